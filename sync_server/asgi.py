"""The ASGI app for process managers: ``uvicorn sync_server.asgi:app --workers 4``.

Settings come from the environment (SOTAY_SERVER_DB, SOTAY_SERVER_FILES_DIR, …).
"""

from __future__ import annotations

from sync_server.app import create_app

app = create_app()
