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
    publish.add_argument("--type", dest="doc_type", default="")
    publish.add_argument("--issued-on", default="", help="YYYY-MM-DD (default: today)")
    publish.add_argument("--summary", default="")
    publish.add_argument("--json", action="store_true")
    publish.add_argument("--db", dest="db_sub")

    bundle = sub.add_parser("bundle", help="offline bundles").add_subparsers(
        dest="action", required=True)
    imp = bundle.add_parser("import")
    imp.add_argument("file", type=Path)
    imp.add_argument("-o", "--output", type=Path)
    imp.add_argument("--db", dest="db_sub")

    user = sub.add_parser("user", help="province and commune staff accounts").add_subparsers(
        dest="action", required=True)
    uadd = user.add_parser("add")
    uadd.add_argument("--username", required=True)
    uadd.add_argument("--unit", required=True)
    uadd.add_argument("--password-file", required=True, type=Path,
                      help="a file whose first line is the password ('-': standard input)")
    uadd.add_argument("--name", default="", help="the name shown on comments")
    uadd.add_argument("--json", action="store_true")
    ulist = user.add_parser("list")
    ulist.add_argument("--json", action="store_true")
    upw = user.add_parser("passwd")
    upw.add_argument("username")
    upw.add_argument("--password-file", required=True, type=Path)
    udis = user.add_parser("disable")
    udis.add_argument("username")
    for p in (uadd, ulist, upw, udis):
        p.add_argument("--db", dest="db_sub")

    downloads = sub.add_parser("downloads", help="which branches downloaded a published file")
    downloads.add_argument("document_id")
    downloads.add_argument("--json", action="store_true")
    downloads.add_argument("--db", dest="db_sub")

    quarantine = sub.add_parser(
        "quarantine", help="rows branch PCs received from this server and set aside")
    quarantine.add_argument("--json", action="store_true")
    quarantine.add_argument("--db", dest="db_sub")

    comment = sub.add_parser("comment", help="comment on a branch's draft resolution")
    comment.add_argument("--branch", required=True)
    comment.add_argument("--resolution", required=True)
    comment.add_argument("--text", required=True)
    comment.add_argument("--author", required=True)
    comment.add_argument("--db", dest="db_sub")

    stats = sub.add_parser("stats", help="the figures of the province pages").add_subparsers(
        dest="action", required=True)
    tree = stats.add_parser("tree")
    tree.add_argument("--unit", required=True)
    tree.add_argument("--month", default="", help="YYYY-MM (default: this month)")
    tree.add_argument("--json", action="store_true")
    rebuild = stats.add_parser("rebuild")
    for p in (tree, rebuild):
        p.add_argument("--db", dest="db_sub")

    report = sub.add_parser("report", help="party numbers and meetings, as XLSX or PDF")
    report.add_argument("--unit", required=True)
    report.add_argument("-o", "--output", required=True, type=Path)
    report.add_argument("--db", dest="db_sub")

    check = sub.add_parser("check", help="verify every stored file against the database")
    check.add_argument("--files-dir", type=Path, help="default: SOTAY_SERVER_FILES_DIR")
    check.add_argument("--json", action="store_true")
    check.add_argument("--db", dest="db_sub")
    cleanup = sub.add_parser("cleanup", help="remove unfinished uploads older than an age")
    cleanup.add_argument("--older-than", type=float, metavar="HOURS",
                         help="default: SOTAY_SERVER_PARTIAL_MAX_AGE_HOURS (48)")
    cleanup.add_argument("--files-dir", type=Path, help="default: SOTAY_SERVER_FILES_DIR")
    cleanup.add_argument("--json", action="store_true")
    cleanup.add_argument("--db", dest="db_sub")
    return parser


def _password(path: Path) -> str:
    from sync_server.admin import AdminError

    try:
        text = sys.stdin.readline() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise AdminError("server_password_file", path=str(path)) from None
    return text.splitlines()[0] if text.strip() else ""


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
    if args.command in ("check", "cleanup"):
        return _files_upkeep(args, settings, engine)
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
            issued = _iso_date(args.issued_on) if args.issued_on else None
            p = admin.publish(session, Path(settings.files_dir), args.file, to_unit=args.to,
                              title=args.title, number=args.number, doc_type=args.doc_type,
                              issued_on=issued, summary=args.summary)
            _print(args, {"document_id": p.document_id, "sha256": p.sha256,
                          "branches": p.branches},
                   f"Đã gửi tài liệu {p.document_id} tới {p.branches} chi bộ.")
        elif args.command in ("user", "downloads", "quarantine", "comment", "stats", "report"):
            return _province(args, session, settings)
        elif args.command == "bundle":
            output = args.output or args.file.with_name(args.file.stem + "-tra-loi.sotay")
            summary = bundles.import_request(session, args.file, output)
            print(f"Đã nhận {summary.mutations} thay đổi; gói trả lời: {output}")
    return 0


def _files_upkeep(args: argparse.Namespace, settings: Any, engine: Any) -> int:
    """``check``: read every stored file back; ``cleanup``: remove old unfinished uploads."""
    from sqlalchemy.orm import Session

    from sync_server import admin, files

    files_dir = Path(args.files_dir or settings.files_dir)
    if args.command == "cleanup":
        hours = settings.partial_max_age_hours if args.older_than is None else args.older_than
        removed, freed = files.cleanup_partials(files_dir, max(0.0, hours) * 3600)
        _print(args, {"removed": removed, "bytes": freed, "older_than_hours": hours},
               f"Đã xóa {removed} tệp tải lên dở (cũ hơn {hours:g} giờ), "
               f"giải phóng {freed} byte.")
        return 0
    with Session(engine) as session, session.begin():
        report = files.check_store(session, files_dir)
        if not report.ok:
            admin.log_action(session, "cli:check", "file_check_failed",
                             missing=report.missing, corrupt=report.corrupt)
    if args.json:
        print(json.dumps({"files_dir": str(files_dir), "checked": report.checked,
                          "bytes": report.bytes, "missing": report.missing,
                          "corrupt": report.corrupt, "unknown": report.unknown,
                          "ok": report.ok}, ensure_ascii=False))
    else:
        print(f"Thư mục tệp: {files_dir}")
        print(f"Đã kiểm {report.checked} tệp ({report.bytes} byte đọc lại).")
        for sha in report.missing:
            print(f"THIẾU  {sha}")
        for sha in report.corrupt:
            print(f"HỎNG   {sha}  (kích thước hoặc mã SHA-256 không khớp)")
        if report.unknown:
            print(f"{len(report.unknown)} tệp trong thư mục không có trong cơ sở dữ liệu "
                  "(không dùng; có thể xóa).")
        print("Tất cả tệp khớp với cơ sở dữ liệu." if report.ok else
              f"CÓ LỖI: thiếu {len(report.missing)}, hỏng {len(report.corrupt)}. Khôi phục "
              "thư mục tệp từ bản sao lưu cùng lúc với cơ sở dữ liệu (docs/install.md).")
    return 0 if report.ok else 1


def _iso_date(text: str) -> Any:
    import datetime as dt

    from sync_server.admin import AdminError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise AdminError("server_bad_date", value=text) from None


def _province(args: argparse.Namespace, session: Any, settings: Any) -> int:
    """The province pages' tasks from a shell."""
    import datetime as dt

    from sqlalchemy import select

    from sync_server import admin, facts, queries, reports, staff
    from sync_server.models import StaffUser, Unit

    def unit(unit_id: str) -> Unit:
        found = session.get(Unit, unit_id)
        if found is None:
            raise admin.AdminError("server_unit_not_found", id=unit_id)
        return found  # type: ignore[no-any-return]

    if args.command == "user" and args.action == "add":
        user = staff.add_user(session, username=args.username, unit_id=args.unit,
                              password=_password(args.password_file), display_name=args.name)
        _print(args, {"id": user.id, "username": user.username, "unit_id": user.unit_id},
               f"Đã tạo tài khoản {user.username} ({unit(user.unit_id).name}).")
    elif args.command == "user" and args.action == "list":
        rows = [{"username": u.username, "name": u.display_name, "unit_id": u.unit_id,
                 "disabled": u.disabled_at is not None}
                for u in session.scalars(select(StaffUser).order_by(StaffUser.username))]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        for r in rows if not args.json else []:
            print(f"{r['username']}\t{r['name']}\t{r['unit_id']}"
                  f"{'  (đã khoá)' if r['disabled'] else ''}")
    elif args.command == "user" and args.action == "passwd":
        staff.set_password(session, args.username, _password(args.password_file))
        print(f"Đã đổi mật khẩu của {args.username}; các phiên đăng nhập cũ đã bị đóng.")
    elif args.command == "user":
        staff.disable_user(session, args.username)
        print(f"Đã khoá tài khoản {args.username}.")
    elif args.command == "downloads":
        top = session.scalars(select(Unit).where(Unit.parent_id.is_(None))).all()
        rows = []
        for root in top:
            targets = queries.publication_targets(session, root, args.document_id)
            if not targets:
                continue
            data = queries.record(session, targets[0].id, "documents", args.document_id) or {}
            got = queries.downloaded_by(session, root, args.document_id,
                                        str(data.get("file_sha256") or ""))
            rows += [{"branch_id": u.id, "branch": u.name,
                      "downloaded_at": got[u.id].isoformat() if u.id in got else None}
                     for u in targets]
        if not rows:
            raise admin.AdminError("server_record_not_found", id=args.document_id)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        else:
            for r in rows:
                print(f"{r['branch']}\t{r['downloaded_at'] or 'chưa tải'}")
            print(f"{sum(1 for r in rows if r['downloaded_at'])}/{len(rows)} chi bộ đã tải về.")
    elif args.command == "quarantine":
        from sync_server.quarantine import quarantine_reports

        quarantined = quarantine_reports(session)
        if args.json:
            print(json.dumps(quarantined, ensure_ascii=False))
        else:
            for r in quarantined:
                print(f"{r['at']}\t{r['unit_name']}\t{r['pc']}\t{r['entity']}\t"
                      f"{r['row_id']}\t{r['reason']}")
            print(f"{len(quarantined)} bản ghi bị máy chi bộ để riêng.")
    elif args.command == "comment":
        comment_id = admin.add_comment(session, branch_id=args.branch,
                                       resolution_id=args.resolution, body=args.text,
                                       author=args.author, actor="admin")
        print(f"Đã ghi góp ý {comment_id}; chi bộ nhận được ở lần đồng bộ tới.")
    elif args.command == "stats" and args.action == "rebuild":
        count = facts.rebuild_all(session)
        print(f"Đã tính lại số liệu từ {count} bản ghi.")
    elif args.command == "stats":
        today = dt.date.today()
        year, month = today.year, today.month
        if args.month:
            year, month = _iso_date(args.month + "-01").timetuple()[:2]
        tree = queries.tree(session, unit(args.unit), year, month)
        rows = [{"unit_id": r.unit.id, "name": r.unit.name, "level": r.unit.level,
                 "branches": r.branches, "members": r.members,
                 "open_conflicts": r.open_conflicts, "held": r.held,
                 "attendance": r.attendance, "adopted": r.adopted,
                 "last_sync": r.last_sync.isoformat() if r.last_sync else None}
                for r in [*tree.rows, tree.total]]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        else:
            for r in rows:
                rate = "—" if r["attendance"] is None else f"{100 * r['attendance']:.0f}%"
                print(f"{r['name']}\t{r['branches']} chi bộ\t{r['members']} đảng viên\t"
                      f"đã họp {r['held']}\tdự họp {rate}\tNQ {r['adopted']}\t"
                      f"xung đột {r['open_conflicts']}")
    elif args.command == "report":
        target = unit(args.unit)
        numbers = queries.party_numbers(session, target, dt.date.today())
        months = queries.months(session, target, dt.date.today())
        suffix = args.output.suffix.lower()
        if suffix not in (".xlsx", ".pdf"):
            raise admin.AdminError("server_report_format")
        content = (reports.xlsx(numbers, months) if suffix == ".xlsx"
                   else reports.pdf(numbers, months))
        args.output.write_bytes(content)
        admin.log_action(session, "admin", "report", unit=target.id, format=suffix[1:])
        print(f"Đã ghi {args.output} ({numbers.total} đảng viên).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
