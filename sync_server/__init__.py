"""The province sync server (FastAPI). Imports the shared core (sotay_core), nothing of the
desktop."""
