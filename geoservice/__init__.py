"""geoservice: kelurahan boundaries, facility layers and maps for Satu Data Indonesia."""

__version__ = "0.1.0"
