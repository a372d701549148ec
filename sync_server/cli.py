"""``sotay-server``: run the server. Admin commands arrive with the sync issue."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sotay-server")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--db", help="database URL (default: SOTAY_SERVER_DB, else SQLite)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    args = parser.parse_args(argv)

    try:
        import uvicorn

        from sync_server.app import create_app
        from sync_server.settings import ServerSettings
    except ImportError as exc:
        sys.stderr.write(f"Thiếu thư viện máy chủ ({exc.name}); "
                         "cài bằng: pip install '.[server]'\n")
        return 1
    overrides = {k: v for k, v in (("db", args.db), ("host", args.host), ("port", args.port))
                 if v is not None}
    settings = ServerSettings(**overrides)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
