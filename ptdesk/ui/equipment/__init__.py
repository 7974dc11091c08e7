"""The Equipment page: due board, inventory, cleaning log and hydrocollator water log."""
