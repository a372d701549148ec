"""SQLAlchemy 2.0 storage: tables, the engine, migrations and row<->domain mapping."""
