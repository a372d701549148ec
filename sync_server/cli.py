"""``sotay-server``: run the server and do the province's admin work from a shell.

    sotay-server serve [--db URL] [--host H] [--port P]
    sotay-server migrate [--db URL]
    sotay-server org add --name NAME --level province|commune|branch [--parent ID] [--json]
    sotay-server org list [--json]
    sotay-server device enroll --unit ID [--label TEXT] [--json]
    sotay-server device revoke DEVICE_ID
    sotay-server publish FILE --to UNIT_ID [--title TEXT] [--number TEXT] [--json]
    sotay-server bundle import FILE [-o ANSWER]

Every command takes ``--db`` (default: SOTAY_SERVER_DB, else the local SQLite
file). Errors print "Lỗi: …" and exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


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

    org = sub.add_parser("org", help="the organisation tree").add_subparsers(
        dest="action", required=True)
    add = org.add_parser("add")
    add.add_argument("--name", required=True)
    add.add_argument("--level", required=True, choices=["province", "commune", "branch"])
    add.add_argument("--parent")
    add.add_argument("--json", action="store_true")
    add.add_argument("--db", dest="db_sub")
    lst = org.add_parser("list")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--db", dest="db_sub")

    device = sub.add_parser("device", help="branch PCs").add_subparsers(
        dest="action", required=True)
    enroll = device.add_parser("enroll")
    enroll.add_argument("--unit", required=True)
    enroll.add_argument("--label", default="")
    enroll.add_argument("--json", action="store_true")
    enroll.add_argument("--db", dest="db_sub")
    revoke = device.add_parser("revoke")
    revoke.add_argument("device_id")
    revoke.add_argument("--db", dest="db_sub")

    publish = sub.add_parser("publish", help="send a document to every branch below a unit")
    publish.add_argument("file", type=Path)
    publish.add_argument("--to", required=True)
    publish.add_argument("--title", default="")
    publish.add_argument("--number", default="")
    publish.add_argument("--json", action="store_true")
    publish.add_argument("--db", dest="db_sub")

    bundle = sub.add_parser("bundle", help="offline bundles").add_subparsers(
        dest="action", required=True)
    imp = bundle.add_parser("import")
    imp.add_argument("file", type=Path)
    imp.add_argument("-o", "--output", type=Path)
    imp.add_argument("--db", dest="db_sub")
    return parser


def _print(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(text)


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
        return _admin(args, settings)
    except Exception as exc:
        from sotay_desktop.i18n import t
        from sync_server.admin import AdminError

        if isinstance(exc, AdminError):
            sys.stderr.write(f"Lỗi: {t(exc.code, **exc.params)}\n")
            return 1
        if isinstance(exc, OSError):
            sys.stderr.write(f"Lỗi: không đọc/ghi được tệp: {exc}\n")
            return 1
        raise


def _admin(args: argparse.Namespace, settings: Any) -> int:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from sync_server import admin, bundles
    from sync_server.db import make_engine, upgrade
    from sync_server.models import Unit

    engine = make_engine(settings.db)
    upgrade(engine)
    if args.command == "migrate":
        print("Cơ sở dữ liệu đã ở phiên bản mới nhất.")
        return 0
    with Session(engine) as session, session.begin():
        if args.command == "org" and args.action == "add":
            unit = admin.add_unit(session, name=args.name, level=args.level,
                                  parent_id=args.parent)
            _print(args, {"id": unit.id, "name": unit.name, "level": unit.level}, unit.id)
        elif args.command == "org":
            units = session.scalars(select(Unit).order_by(Unit.path)).all()
            rows = [{"id": u.id, "name": u.name, "level": u.level, "parent_id": u.parent_id}
                    for u in units]
            if args.json:
                print(json.dumps(rows, ensure_ascii=False))
            for u in units if not args.json else []:
                print(f"{'  ' * (u.path.count('/') - 2)}{u.name} [{u.level}] {u.id}")
        elif args.command == "device" and args.action == "enroll":
            e = admin.enroll_device(session, unit_id=args.unit, label=args.label)
            _print(args, {"device_id": e.device_id, "code": e.code,
                          "expires_at": e.expires_at.isoformat(timespec="seconds")},
                   f"{e.code}\n(máy {e.device_id}; mã dùng một lần, hết hạn "
                   f"{e.expires_at:%d/%m/%Y})")
        elif args.command == "device":
            admin.revoke_device(session, args.device_id)
            print(f"Đã thu hồi máy {args.device_id}.")
        elif args.command == "publish":
            if not args.file.is_file():
                raise admin.AdminError("server_file_missing", path=str(args.file))
            p = admin.publish(session, Path(settings.files_dir), args.file, to_unit=args.to,
                              title=args.title, number=args.number)
            _print(args, {"document_id": p.document_id, "sha256": p.sha256,
                          "branches": p.branches},
                   f"Đã gửi tài liệu {p.document_id} tới {p.branches} chi bộ.")
        elif args.command == "bundle":
            output = args.output or args.file.with_name(args.file.stem + "-tra-loi.sotay")
            summary = bundles.import_request(session, args.file, output)
            print(f"Đã nhận {summary.mutations} thay đổi; gói trả lời: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
