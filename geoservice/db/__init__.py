"""Database access: engine and sessions, table models, migrations, packaged SQL."""
