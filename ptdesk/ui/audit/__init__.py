"""The Audit page: the owner reads and exports the trail."""
