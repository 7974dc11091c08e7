"""Settings: the clinic profile, data and backups (and later staff and rooms)."""
