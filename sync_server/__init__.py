"""The province sync server (FastAPI). Imports only the pure desktop packages."""
