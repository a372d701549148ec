"""The only Qt code: one folder per screen."""
