"""The Today page: what each role needs this day."""
