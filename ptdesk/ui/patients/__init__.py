"""The Patients page: the list, the detail panel, and the patient and authorization dialogs."""
