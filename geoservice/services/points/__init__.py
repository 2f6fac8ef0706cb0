"""Writes to facility points and the rules a point must keep (coordinates, duplicates)."""
