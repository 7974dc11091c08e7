"""The Reports page: the owner's monthly report, and data in and out by CSV."""
