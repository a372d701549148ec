"""SQLAlchemy 2.0 storage: tables, the engine, migrations and row<->domain mapping."""

# The month's tables live in their own module; importing it here keeps them in
# ``Base.metadata`` wherever the tables are used (migrations, schema checks).
from sotay_desktop.db import month_tables as _month_tables  # noqa: F401
