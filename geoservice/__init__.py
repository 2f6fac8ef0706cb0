"""geoservice: kelurahan boundaries and facility layers on PostGIS, for Satu Data Indonesia."""

__version__ = "0.1.0"
