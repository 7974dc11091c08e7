"""Printable documents: plain data in, PDF out (reportlab; no database, no Qt)."""
