"""Indicators: who may see which, values, classes, choropleths and statistics."""
