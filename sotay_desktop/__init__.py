"""Sổ tay: a Party branch's records on the village-hall PC.

This package imports nothing on purpose, so that the sync server can import the
pure packages (``domain``, ``protocol``) without pulling in Qt or SQLAlchemy.
"""

__version__ = "0.1.0"
