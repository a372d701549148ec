"""``sotay-server``: run the server and do the province's admin work from a shell.

    sotay-server serve [--db URL] [--host H] [--port P]
    sotay-server migrate [--db URL]
    sotay-server org add --name NAME --level province|commune|branch [--parent ID] [--json]
    sotay-server org list [--json]
    sotay-server device enroll --unit ID [--label TEXT] [--json]
    sotay-server device revoke DEVICE_ID
    sotay-server publish FILE --to UNIT_ID [--title TEXT] [--number TEXT] [--json]
    sotay-server bundle import FILE [-o ANSWER]
    sotay-server user add --username NAME --unit UNIT_ID --password-file FILE [--name TEXT]
    sotay-server user list [--json] | user passwd NAME --password-file FILE | user disable NAME
    sotay-server downloads DOCUMENT_ID [--json]      which branches have the published file
    sotay-server quarantine [--json]                 rows branch PCs received and set aside
    sotay-server comment --branch ID --resolution ID --text TEXT --author TEXT
    sotay-server stats tree --unit ID [--month YYYY-MM] [--json] | stats rebuild
    sotay-server report --unit ID -o FILE.xlsx|FILE.pdf
    sotay-server check [--files-dir DIR] [--json]    every stored file's size and SHA-256
    sotay-server cleanup [--older-than HOURS] [--files-dir DIR] [--json]   old partial uploads

Every command takes ``--db`` (default: SOTAY_SERVER_DB, else the local SQLite
file). Errors print "Lỗi: …" and exit 1; ``check`` exits 1 when a file is missing or damaged.

One module per command group registers its parser next to its handlers: ``org`` (org, device,
bundle), ``documents`` (publish, downloads, comment), ``accounts`` (user), ``figures`` (stats,
report, quarantine), ``upkeep`` (check, cleanup); ``common`` holds what they share.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sync_server.cli import accounts, documents, figures, org, upkeep
from sync_server.cli.common import Env, Handler

if TYPE_CHECKING:
    from sync_server.settings import ServerSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sotay-server")
    parser.add_argument("--db", help="database URL (default: SOTAY_SERVER_DB, else SQLite)")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--db", dest="db_sub")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--db", dest="db_sub")
    org.add_org(sub)
    org.add_device(sub)
    documents.add_publish(sub)
    org.add_bundle(sub)
    accounts.add_user(sub)
    documents.add_downloads(sub)
    figures.add_quarantine(sub)
    documents.add_comment(sub)
    figures.add_stats(sub)
    figures.add_report(sub)
    upkeep.add_check(sub)
    upkeep.add_cleanup(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        from sync_server.settings import ServerSettings
    except ImportError as exc:
        sys.stderr.write(f"Thiếu thư viện máy chủ ({exc.name}); "
                         "cài bằng: pip install '.[server]'\n")
        return 1
    db = getattr(args, "db_sub", None) or args.db
    overrides: dict[str, Any] = {"db": db} if db else {}
    if args.command == "serve":
        overrides |= {k: v for k, v in (("host", args.host), ("port", args.port))
                      if v is not None}
    settings = ServerSettings(**overrides)
    if args.command == "serve":
        import uvicorn

        from sync_server.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                    timeout_keep_alive=75)
        return 0
    try:
        return _run(args, settings)
    except Exception as exc:
        from sotay_core.i18n import t
        from sync_server.admin import AdminError

        if isinstance(exc, AdminError):
            params: dict[str, Any] = exc.params
            sys.stderr.write(f"Lỗi: {t(exc.code, **params)}\n")
            return 1
        if isinstance(exc, OSError):
            sys.stderr.write(f"Lỗi: không đọc/ghi được tệp: {exc}\n")
            return 1
        from sync_server.files import FileError

        if isinstance(exc, FileError):
            sys.stderr.write(f"Lỗi: {t(exc.code.replace('sync_', 'server_', 1))}\n")
            return 1
        raise


def _run(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Every command but ``serve``: on the database brought up to date first."""
    from sync_server.db import make_engine, upgrade

    engine = make_engine(settings.db)
    upgrade(engine)
    if args.command == "migrate":
        print("Cơ sở dữ liệu đã ở phiên bản mới nhất.")
        return 0
    handler: Handler = args.handler
    return handler(args, Env(settings, engine))


if __name__ == "__main__":
    sys.exit(main())
