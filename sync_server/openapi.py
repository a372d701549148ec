"""Write the server's OpenAPI schema (committed as docs/api/openapi.json).

    python -m sync_server.openapi [PATH]

``tests/test_sync_protocol.py`` fails when the committed file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sync_server.app import create_app
from sync_server.settings import ServerSettings

DEFAULT = Path(__file__).parents[1] / "docs" / "api" / "openapi.json"


def schema_text() -> str:
    app = create_app(ServerSettings(db="sqlite://", files_dir="unused"))
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
