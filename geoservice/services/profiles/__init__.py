"""The kelurahan profile: forms as data, the values per kelurahan and period, derived fields."""
