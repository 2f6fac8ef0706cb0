"""Importers: read a file, check every row, write in one transaction, report per row."""
