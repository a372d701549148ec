"""Sổ tay: a Party branch's records on the village-hall PC.

This package imports nothing on purpose: importing a light submodule (``db.access``,
``db.layout``, ``services.first_paint``) must not pull in Qt or SQLAlchemy. The rules
and the wire shared with the server are in ``sotay_core``.
"""

__version__ = "0.1.0"
