"""Schema revisions known to this build, checked without importing Alembic (it costs ~0.3 s).

``tests/test_migrations.py`` asserts these match the scripts in ``migrations/versions``.
"""

from __future__ import annotations

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = REVISIONS[-1]
