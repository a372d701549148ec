"""``sotay``: headless commands over the same services the desktop UI calls.

Every command takes ``--data-dir``; ``list`` and ``show`` take ``--json`` and then
print one JSON document on stdout. Errors go to stderr in plain words with a
non-zero exit code; each write runs in one transaction, so nothing is half-written.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import enum
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from sotay_desktop import i18n
from sotay_desktop.domain.errors import DomainError
from sotay_desktop.paths import default_data_dir

EXIT_USAGE = 2
EXIT_FAILED = 1


class CliError(Exception):
    """A plain-words failure of a command (already translated)."""


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    return value


def _print_json(value: Any, out: TextIO) -> None:
    json.dump(_to_json(value), out, ensure_ascii=False, indent=2)
    out.write("\n")


def _today() -> dt.date:
    return dt.date.today()


def _password(args: argparse.Namespace) -> str | None:
    """From --password-file or SOTAY_PASSWORD; never from an argument (it would show in the
    process list and the shell history)."""
    path = getattr(args, "password_file", None)
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CliError(i18n.t("bad_json", detail=exc)) from exc
        return text.rstrip("\r\n")
    return os.environ.get("SOTAY_PASSWORD") or None


def _key(args: argparse.Namespace) -> bytes | None:
    return _unlock(args)[0]


def _unlock(args: argparse.Namespace) -> tuple[bytes | None, str | None]:
    """The key of an encrypted folder and the profile user whose password was given."""
    from sotay_desktop.db import profile

    data_dir = Path(args.data_dir)
    if not profile.is_encrypted(data_dir):
        return None, None
    password = _password(args)
    if password is None:
        raise CliError(i18n.t("password_missing"))
    return profile.unlock_as(data_dir, password)


def _open(args: argparse.Namespace, *, create: bool = False) -> Any:
    from sotay_desktop.db.engine import open_database

    key, user = _unlock(args)
    db = open_database(Path(args.data_dir), create=create, key=key)
    if user is not None:  # audit rows name the profile's user, as in the window
        db.sessions.configure(info={"actor": user})
    return db


@contextlib.contextmanager
def _database(args: argparse.Namespace, *, create: bool = False) -> Iterator[Any]:
    db = _open(args, create=create)
    try:
        yield db
    finally:
        db.close()


def _branch_id(session: Any, data_dir: str) -> str:
    from sotay_desktop.services.branch import branch_info

    info = branch_info(session)
    if info is None:
        raise CliError(i18n.t("no_branch", path=data_dir))
    return info.branch.id


def _read_json(path: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(i18n.t("bad_json", detail=exc)) from exc
    if not isinstance(data, dict):
        raise CliError(i18n.t("bad_json", detail="cần một đối tượng JSON {…}"))
    return data


# --- commands -----------------------------------------------------------------


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.branch import branch_info
    from sotay_desktop.services.demo import create_demo

    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else _today()
    password = _password(args)
    recovery = None
    if password is not None and not (Path(args.data_dir) / "sotay.db").exists():
        from sotay_desktop.db import profile

        recovery = profile.create_profile(Path(args.data_dir), branch_name="Chi bộ mẫu",
                                          user=args.user, password=password).recovery_code
    with _database(args, create=True) as db:
        with db.sessions.begin() as session:
            if branch_info(session) is not None:
                raise CliError(i18n.t("demo_not_empty", path=args.data_dir))
            summary, _ = create_demo(session, members=args.members, documents=args.documents,
                                     meetings=args.meetings, as_of=as_of, seed=args.seed)
    if args.json:
        _print_json(summary, out)
    else:
        out.write(f"Đã tạo {summary.branch_name}: {summary.members} đảng viên, "
                  f"{summary.documents} văn bản, {summary.meetings} cuộc họp "
                  f"trong {args.data_dir}\n")
    if recovery is not None:
        sys.stderr.write(i18n.t("profile_created", recovery=recovery) + "\n")
    return 0


def _status_label(value: str) -> str:
    return i18n.t(f"status.{value}")


def cmd_members_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.domain.entities import MemberStatus
    from sotay_desktop.services.members import list_members

    statuses = None
    if args.status:
        try:
            statuses = [MemberStatus(s.strip()) for s in args.status.split(",") if s.strip()]
        except ValueError:
            raise CliError(i18n.t("bad_choice", value=args.status,
                                  choices=", ".join(s.value for s in MemberStatus))) from None
    with _database(args) as db:
        with db.reads() as session:
            rows = list_members(session, unit_id=_branch_id(session, args.data_dir),
                                search=args.search, statuses=statuses)
    if args.json:
        _print_json([{k: v for k, v in dataclasses.asdict(r).items() if k != "search_key"}
                     for r in rows], out)
        return 0
    for number, row in enumerate(rows, 1):
        born = row.date_of_birth.strftime("%d/%m/%Y") if row.date_of_birth else "—"
        out.write(f"{number:4d}  {row.full_name:<28} {born:<11} {row.card_number:<10} "
                  f"{_status_label(row.status.value):<16} {row.id}\n")
    out.write(f"({len(rows)} đảng viên)\n")
    return 0


def _member_json(record: Any) -> dict[str, Any]:
    data = _to_json(record)
    member = data.pop("member")
    data.pop("extras", None)
    return {**member, **data}


def cmd_members_show(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.domain.lifecycle import event_label
    from sotay_desktop.services import audit
    from sotay_desktop.services.members import get_member

    with _database(args) as db:
        with db.sessions.begin() as session:
            record = get_member(session, args.id)
            audit.record(session, "view", entity="members", row_id=args.id)
    if args.json:
        _print_json(_member_json(record), out)
        return 0
    m = record.member
    out.write(f"{m.full_name}  ({_status_label(record.status.value)})\n")
    for name in ("date_of_birth", "gender", "hometown", "residence", "card_number",
                 "record_number", "phone"):
        value = getattr(m, name)
        if value:
            shown = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else (
                i18n.t(f"gender.{value.value}") if isinstance(value, enum.Enum) else value)
            out.write(f"  {i18n.field_label(name)}: {shown}\n")
    out.write("  Quá trình:\n")
    for event in record.events:
        extra = " — ".join(x for x in (event.decision, event.place, event.detail) if x)
        out.write(f"    {event.date.strftime('%d/%m/%Y')}  {event_label(event.kind)}"
                  f"{'  (' + extra + ')' if extra else ''}\n")
    return 0


def cmd_members_add(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.members import add_member

    data = _read_json(args.file)
    with _database(args) as db:
        with db.sessions.begin() as session:
            member_id, _ = add_member(session, unit_id=_branch_id(session, args.data_dir),
                                      data=data, today=_today())
    if args.json:
        _print_json({"id": member_id}, out)
    else:
        out.write(f"{member_id}\n")
    return 0


def cmd_members_update(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.members import update_member

    data = _read_json(args.file)
    with _database(args) as db:
        with db.sessions.begin() as session:
            changes = update_member(session, member_id=args.id, data=data, today=_today())
    out.write("Đã cập nhật.\n" if changes else "Không có gì thay đổi.\n")
    return 0


def cmd_members_event(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.members import record_event

    with _database(args) as db:
        with db.sessions.begin() as session:
            event_id, _ = record_event(session, member_id=args.id, kind=args.kind, date=args.date,
                                       decision=args.decision, place=args.place,
                                       detail=args.detail, today=_today())
    out.write(f"{event_id}\n")
    return 0


def cmd_members_import(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.roster_io import import_valid, preview_import

    if not Path(args.file).is_file():  # said before the database is even opened
        raise CliError(i18n.t("file_missing", path=args.file))
    with _database(args) as db:
        with db.sessions.begin() as session:
            unit = _branch_id(session, args.data_dir)
            preview = preview_import(session, path=Path(args.file), today=_today())
            imported = 0
            if not args.dry_run:
                imported, _ = import_valid(session, preview=preview, unit_id=unit,
                                           today=_today())
    report = {"file": preview.file_name, "imported": imported, "valid": len(preview.valid),
              "rejected": [{"line": r.line, "full_name": r.full_name, "errors": list(r.errors)}
                           for r in preview.rejected],
              "ignored_columns": list(preview.ignored_columns)}
    if args.json:
        _print_json(report, out)
    else:
        out.write(f"Hợp lệ: {len(preview.valid)}; đã nhập: {imported}; "
                  f"bỏ qua: {len(preview.rejected)}\n")
        for row in preview.rejected:
            out.write(f"  dòng {row.line} ({row.full_name or '—'}): {'; '.join(row.errors)}\n")
    return 0


def cmd_members_export(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services import audit
    from sotay_desktop.services.files import write_file_atomically
    from sotay_desktop.services.roster_io import export_roster_xlsx

    with _database(args) as db:
        with db.sessions.begin() as session:
            data = export_roster_xlsx(session, today=_today())
            audit.record(session, "export", entity="members", detail="roster Mẫu 7-HSĐV")
    write_file_atomically(Path(args.output), data)
    out.write(f"{args.output}\n")
    return 0


def cmd_meeting_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.meetings import list_meetings

    with _database(args) as db, db.reads() as session:
        meetings = list_meetings(session)
    if args.json:
        _print_json(meetings, out)
        return 0
    for m in meetings:
        out.write(f"{m.date.strftime('%d/%m/%Y')}  {m.title:<40} có mặt {m.present}/{m.called}"
                  f"  {('NQ ' + m.resolution_number) if m.resolution_number else '':<14} {m.id}\n")
    return 0


EXPORTS = ("minutes", "resolution", "invitation", "attendance")


def cmd_meeting_export(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.documents import party_docs
    from sotay_desktop.documents.docx_render import render_docx
    from sotay_desktop.documents.pdf_render import render_pdf
    from sotay_desktop.services import audit
    from sotay_desktop.services.files import write_file_atomically
    from sotay_desktop.documents.meeting_data import require_names
    from sotay_desktop.services.meetings import meeting_data

    with _database(args) as db, db.sessions.begin() as session:
        data = meeting_data(session, args.id)
        require_names(data)    # no paper with blank names, and no audit row for one
        audit.record(session, "export", entity="meetings", row_id=args.id, detail=args.what)
    if args.what == "resolution" and data.resolution is None:
        raise CliError("cuộc họp này chưa có nghị quyết")
    build = {"minutes": party_docs.build_minutes, "resolution": party_docs.build_resolution,
             "invitation": party_docs.build_invitation,
             "attendance": party_docs.build_attendance_sheet}[args.what]
    document = build(data)
    payload = render_docx(document) if args.format == "docx" else render_pdf(document)
    write_file_atomically(Path(args.output), payload)
    out.write(f"{args.output}\n")
    return 0


def cmd_packet(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.documents.packet import page_count, render_packet
    from sotay_desktop.services.files import write_file_atomically
    from sotay_desktop.services.meetings import packet_request

    documents = tuple(d.strip() for d in (args.documents or "").split(",") if d.strip())
    members = "" if args.members in (None, "none") else args.members
    from sotay_desktop.services import audit

    with _database(args) as db, db.sessions.begin() as session:
        request = packet_request(session, meeting_id=args.id, members=members,
                                 document_ids=documents, font_size=args.font_size,
                                 paper=args.paper)
        audit.record(session, "print", entity="meetings", row_id=args.id, detail="packet")
    pdf = render_packet(request)
    write_file_atomically(Path(args.output), pdf)
    out.write(f"{args.output} ({page_count(pdf)} trang, {max(1, len(request.members))} bản)\n")
    return 0


def cmd_db_check(args: argparse.Namespace, out: TextIO) -> int:
    """A report even on a damaged (or encrypted and damaged) file: what is wrong, where."""
    from sotay_desktop.db.check import check_folder

    report = check_folder(Path(args.data_dir), key=_key(args))
    if args.json:
        _print_json({"path": report.path, "schema_version": report.schema_version,
                     "opened": report.opened, "ok": report.ok, "problems": report.problems,
                     "pending_changes": report.pending_changes}, out)
    else:
        out.write(f"Tệp: {report.path}\nPhiên bản lược đồ: {report.schema_version or '—'}\n"
                  f"Thay đổi chờ đồng bộ: {report.pending_changes if report.opened else '—'}\n")
        out.write("Kiểm tra toàn vẹn: tốt\n" if report.ok else
                  "Kiểm tra toàn vẹn: CÓ LỖI\n" + "".join(f"  {p}\n" for p in report.problems))
    if not report.opened:  # also on stderr, where scripts look for the reason of a failure
        raise CliError(report.problems[0])
    return 0 if report.ok else EXIT_FAILED


# --- sync ---------------------------------------------------------------------


def cmd_enroll(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.sync_client import enroll

    with _database(args, create=True) as db:
        done = enroll(db, args.server, args.code, label=args.label or None)
    out.write(i18n.t("sync_enrolled", unit=done.unit_name, queued=done.queued,
                     store=done.token_store) + "\n")
    return 0


def cmd_sync(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.sync_client import run_sync

    with _database(args) as db:
        report = run_sync(db, files=not args.no_files)
    if args.json:
        _print_json(report, out)
    else:
        out.write(i18n.t("sync_done", pushed=report.pushed, pulled=report.pulled,
                         conflicts=report.conflicts, files=report.files_waiting) + "\n")
        if abs(report.clock_skew_s) > 300:
            out.write(i18n.t("sync_clock_skew", minutes=round(report.clock_skew_s / 60)) + "\n")
    return 0


def cmd_conflicts_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.conflicts import notices, open_conflicts

    with _database(args) as db, db.reads() as session:
        items = open_conflicts(session)
        refused = notices(session)
    if args.json:
        _print_json({"conflicts": items, "refused": refused}, out)
        return 0
    if not items and not refused:
        out.write("Không có chỗ nào cần xem lại.\n")
    for item in items:
        out.write(f"{item.id}\n  {item.text}\n  mine = «{item.mine}», "
                  f"theirs = «{item.theirs}»\n")
    for notice in refused:
        out.write(f"! {notice.text}\n")
    return 0


def cmd_conflicts_resolve(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.conflicts import resolve

    with _database(args) as db, db.sessions.begin() as session:
        resolve(session, args.id, args.keep)
    out.write(i18n.t("conflict_resolved") + "\n")
    return 0


def cmd_bundle_export(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.bundles import export_bundle

    with _database(args) as db:
        count = export_bundle(db, Path(args.output))
    out.write(i18n.t("bundle_exported", count=count, path=args.output) + "\n")
    return 0


def cmd_bundle_import(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.bundles import import_bundle

    with _database(args) as db:
        done = import_bundle(db, Path(args.file))
    out.write(i18n.t("bundle_imported", acked=done.acked, pulled=done.changes,
                     conflicts=done.conflicts) + "\n")
    return 0


def cmd_audit_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services import audit

    with _database(args) as db, db.reads() as session:
        items = audit.entries(session, limit=args.limit)
    if args.json:
        _print_json(items, out)
        return 0
    for e in items:
        out.write(f"{e.at}  {e.actor:<16} {e.action:<7} {e.entity:<12} {e.row_id}  {e.detail}\n")
    return 0


def cmd_audit_verify(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services import audit

    with _database(args) as db, db.reads() as session:
        problems = audit.verify(session)
    if not problems:
        out.write(i18n.t("audit_intact") + "\n")
        return 0
    for p in problems:
        out.write(i18n.t("audit_broken", pc=p.pc[:8], seq=p.seq,
                         what=i18n.t(f"audit_what.{p.what}")) + "\n")
    return EXIT_FAILED


def cmd_audit_export(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services import audit

    with _database(args) as db, db.reads() as session:
        count = audit.export_csv(session, Path(args.output))
    out.write(f"{args.output} ({count})\n")
    return 0


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.backup import make_backup

    key = _key(args)
    with _database(args) as db:
        target = make_backup(db, Path(args.output), key=key)
    out.write(i18n.t("backup_done", path=str(target)) + "\n")
    return 0


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.db import profile
    from sotay_desktop.services.backup import check_backup, restore_backup

    backup = Path(args.backup)
    check_backup(backup)
    key = None
    if profile.is_encrypted(backup):
        password = _password(args)
        if password is None:
            raise CliError(i18n.t("password_missing"))
        key = profile.unlock(backup, password)
    restore_backup(backup, Path(args.data_dir), key=key).close()
    out.write(f"{args.data_dir}\n")
    return 0


def _secret_file(path: str | None, what: str) -> str:
    if not path:
        raise CliError(i18n.t("password_missing"))
    try:
        return Path(path).read_text(encoding="utf-8-sig").rstrip("\r\n")
    except OSError as exc:
        raise CliError(f"{what}: {exc}") from exc


def cmd_profile_create(args: argparse.Namespace, out: TextIO) -> int:
    """Protect a folder with a password: a new one, or one that already holds a branch."""
    from sotay_desktop.db import profile
    from sotay_desktop.services.branch import branch_info

    password = _password(args)
    if password is None:
        raise CliError(i18n.t("password_missing"))
    data_dir = Path(args.data_dir)
    if (data_dir / "sotay.db").exists():
        with _database(args) as db, db.reads() as session:
            info = branch_info(session)
        name = info.branch.name if info else ""
        new = profile.encrypt_existing(data_dir, branch_name=name, user=args.user,
                                       password=password)
    else:
        new = profile.create_profile(data_dir, branch_name="", user=args.user,
                                     password=password)
        open_database_with(data_dir, new.key)
    out.write(i18n.t("profile_created", recovery=new.recovery_code) + "\n")
    return 0


def open_database_with(data_dir: Path, key: bytes) -> None:
    from sotay_desktop.db.engine import open_database

    open_database(data_dir, key=key).close()


def cmd_profile_passwd(args: argparse.Namespace, out: TextIO) -> int:
    """A new password: the old one from --password-file/SOTAY_PASSWORD, or the recovery code
    from --recovery-file when the password is forgotten."""
    from sotay_desktop.db import profile

    data_dir = Path(args.data_dir)
    new = _secret_file(args.new_password_file, "--new-password-file")
    if args.recovery_file:
        key = profile.unlock_with_recovery(data_dir, _secret_file(args.recovery_file,
                                                                  "--recovery-file"))
    else:
        old = _password(args)
        if old is None:
            raise CliError(i18n.t("password_missing"))
        key = profile.unlock(data_dir, old, args.user)
    profile.set_password(data_dir, key, args.user, new)
    out.write(i18n.t("profile_password_set", user=args.user) + "\n")
    return 0


def cmd_profile_adduser(args: argparse.Namespace, out: TextIO) -> int:
    """A second user for the same data (a deputy), allowed by an existing user's password."""
    from sotay_desktop.db import profile

    data_dir = Path(args.data_dir)
    if args.user in profile.profile_info(data_dir)["users"]:
        raise CliError(i18n.t("profile_user_exists", user=args.user))
    password = _password(args)
    if password is None:
        raise CliError(i18n.t("password_missing"))
    key = profile.unlock(data_dir, password)
    profile.set_password(data_dir, key, args.user,
                         _secret_file(args.new_password_file, "--new-password-file"),
                         role=args.role)
    out.write(i18n.t("profile_password_set", user=args.user) + "\n")
    return 0


# --- parser -------------------------------------------------------------------


def _common(parser: argparse.ArgumentParser, *, json_flag: bool = False) -> None:
    parser.add_argument("--data-dir", default=str(default_data_dir()),
                        help="thư mục dữ liệu của chi bộ (mặc định: %(default)s)")
    parser.add_argument("--password-file",
                        help="tệp chứa mật khẩu của hồ sơ mã hóa (hoặc biến SOTAY_PASSWORD)")
    if json_flag:
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")


class _Parser(argparse.ArgumentParser):
    """No abbreviated options: "--password X" must not be taken for "--password-file X"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sotay", description="Sổ tay bí thư chi bộ")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=os.environ.get("SOTAY_LANG"))
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="tạo chi bộ mẫu")
    _common(demo, json_flag=True)
    demo.add_argument("--members", type=int, default=60)
    demo.add_argument("--documents", type=int, default=20)
    demo.add_argument("--meetings", type=int, default=12)
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--as-of", help="ngày tham chiếu YYYY-MM-DD (mặc định: hôm nay)")
    demo.add_argument("--user", default="bi-thu",
                      help="tên người dùng của hồ sơ mã hóa (khi có mật khẩu)")
    demo.set_defaults(func=cmd_demo)

    members = sub.add_parser("members", help="danh sách đảng viên").add_subparsers(
        dest="action", required=True)
    m_list = members.add_parser("list")
    _common(m_list, json_flag=True)
    m_list.add_argument("--search", help="tìm theo tên, không cần dấu")
    m_list.add_argument("--status", help="lọc theo trạng thái, ví dụ official,probationary")
    m_list.set_defaults(func=cmd_members_list)
    m_show = members.add_parser("show")
    _common(m_show, json_flag=True)
    m_show.add_argument("id")
    m_show.set_defaults(func=cmd_members_show)
    m_add = members.add_parser("add")
    _common(m_add, json_flag=True)
    m_add.add_argument("--file", default="-", help="tệp JSON (mặc định: đọc từ stdin)")
    m_add.set_defaults(func=cmd_members_add)
    m_update = members.add_parser("update")
    _common(m_update)
    m_update.add_argument("id")
    m_update.add_argument("--file", default="-")
    m_update.set_defaults(func=cmd_members_update)
    m_event = members.add_parser("event")
    _common(m_event)
    m_event.add_argument("id")
    m_event.add_argument("--kind", required=True)
    m_event.add_argument("--date", required=True)
    m_event.add_argument("--decision", default="")
    m_event.add_argument("--place", default="")
    m_event.add_argument("--detail", default="")
    m_event.set_defaults(func=cmd_members_event)

    m_import = members.add_parser("import", help="nhập danh sách từ XLSX hoặc CSV")
    _common(m_import, json_flag=True)
    m_import.add_argument("file")
    m_import.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không nhập")
    m_import.set_defaults(func=cmd_members_import)
    m_export = members.add_parser("export", help="xuất sổ danh sách (Mẫu 7-HSĐV) ra XLSX")
    _common(m_export)
    m_export.add_argument("-o", "--output", required=True)
    m_export.set_defaults(func=cmd_members_export)

    meeting = sub.add_parser("meeting", help="sinh hoạt chi bộ").add_subparsers(
        dest="action", required=True)
    mt_list = meeting.add_parser("list")
    _common(mt_list, json_flag=True)
    mt_list.set_defaults(func=cmd_meeting_list)
    mt_export = meeting.add_parser("export", help="biên bản, nghị quyết, giấy mời, danh sách")
    _common(mt_export)
    mt_export.add_argument("id")
    mt_export.add_argument("--what", choices=EXPORTS, required=True)
    mt_export.add_argument("--format", choices=("docx", "pdf"), default="pdf")
    mt_export.add_argument("-o", "--output", required=True)
    mt_export.set_defaults(func=cmd_meeting_export)

    packet = sub.add_parser("packet", help="tài liệu chữ to cho đảng viên cao tuổi")
    _common(packet)
    packet.add_argument("id", help="mã cuộc họp")
    packet.add_argument("--font-size", type=int, default=20, choices=(18, 20, 24))
    packet.add_argument("--members", help="all, hoặc danh sách mã đảng viên cách nhau dấu phẩy")
    packet.add_argument("--documents", help="mã văn bản cần in kèm, cách nhau dấu phẩy")
    packet.add_argument("--paper", choices=("a4", "a5"), default="a4")
    packet.add_argument("-o", "--output", required=True)
    packet.set_defaults(func=cmd_packet)

    db = sub.add_parser("db", help="kiểm tra dữ liệu").add_subparsers(dest="action", required=True)
    check = db.add_parser("check")
    _common(check, json_flag=True)
    check.set_defaults(func=cmd_db_check)

    enroll = sub.add_parser("enroll", help="đăng ký máy này với máy chủ tỉnh")
    _common(enroll)
    enroll.add_argument("--server", required=True, help="địa chỉ máy chủ, ví dụ https://…")
    enroll.add_argument("--code", required=True, help="mã đăng ký một lần do cấp trên cấp")
    enroll.add_argument("--label", default="", help="tên máy này (mặc định: tên máy tính)")
    enroll.set_defaults(func=cmd_enroll)
    sync = sub.add_parser("sync", help="đồng bộ với máy chủ tỉnh")
    _common(sync, json_flag=True)
    sync.add_argument("--no-files", action="store_true", help="chỉ dữ liệu, không tải tệp")
    sync.set_defaults(func=cmd_sync)
    conflicts = sub.add_parser("conflicts", help="những chỗ cần xem lại sau đồng bộ"
                               ).add_subparsers(dest="action", required=True)
    c_list = conflicts.add_parser("list")
    _common(c_list, json_flag=True)
    c_list.set_defaults(func=cmd_conflicts_list)
    c_resolve = conflicts.add_parser("resolve")
    _common(c_resolve)
    c_resolve.add_argument("id")
    c_resolve.add_argument("--keep", required=True, choices=("mine", "theirs"))
    c_resolve.set_defaults(func=cmd_conflicts_resolve)
    prof = sub.add_parser("profile", help="hồ sơ mã hóa: tạo, đổi mật khẩu"
                          ).add_subparsers(dest="action", required=True)
    p_create = prof.add_parser("create", help="bảo vệ thư mục dữ liệu bằng mật khẩu")
    _common(p_create)
    p_create.add_argument("--user", default="bi-thu")
    p_create.set_defaults(func=cmd_profile_create)
    p_passwd = prof.add_parser("passwd", help="đặt mật khẩu mới (hoặc bằng mã khôi phục)")
    _common(p_passwd)
    p_passwd.add_argument("--user", default="bi-thu")
    p_passwd.add_argument("--new-password-file", required=True)
    p_passwd.add_argument("--recovery-file", help="tệp chứa mã khôi phục, khi quên mật khẩu")
    p_passwd.set_defaults(func=cmd_profile_passwd)
    p_add = prof.add_parser("adduser", help="thêm người dùng (phó bí thư) với mật khẩu riêng")
    _common(p_add)
    p_add.add_argument("--user", required=True)
    p_add.add_argument("--role", default="deputy", choices=("secretary", "deputy"))
    p_add.add_argument("--new-password-file", required=True)
    p_add.set_defaults(func=cmd_profile_adduser)
    backup = sub.add_parser("backup", help="sao lưu (mã hóa nếu hồ sơ mã hóa) vào thư mục/USB")
    _common(backup)
    backup.add_argument("-o", "--output", required=True, help="thư mục đích, ví dụ ổ USB")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="khôi phục bản sao lưu vào thư mục trống")
    _common(restore)
    restore.add_argument("backup")
    restore.set_defaults(func=cmd_restore)
    audit_cmd = sub.add_parser("audit", help="nhật ký xem, sửa, xuất, in dữ liệu đảng viên"
                               ).add_subparsers(dest="action", required=True)
    a_list = audit_cmd.add_parser("list")
    _common(a_list, json_flag=True)
    a_list.add_argument("--limit", type=int, default=200)
    a_list.set_defaults(func=cmd_audit_list)
    a_verify = audit_cmd.add_parser("verify", help="kiểm tra nhật ký không bị sửa, xóa")
    _common(a_verify)
    a_verify.set_defaults(func=cmd_audit_verify)
    a_export = audit_cmd.add_parser("export")
    _common(a_export)
    a_export.add_argument("-o", "--output", required=True)
    a_export.set_defaults(func=cmd_audit_export)
    bundle = sub.add_parser("bundle", help="gói dữ liệu chép qua USB khi không có mạng"
                            ).add_subparsers(dest="action", required=True)
    b_export = bundle.add_parser("export")
    _common(b_export)
    b_export.add_argument("-o", "--output", required=True)
    b_export.set_defaults(func=cmd_bundle_export)
    b_import = bundle.add_parser("import")
    _common(b_import)
    b_import.add_argument("file")
    b_import.set_defaults(func=cmd_bundle_import)
    return parser


def _named_fault(exc: BaseException, args: argparse.Namespace) -> str | None:
    """Plain words for a fault of the PC (disk full, USB stick gone, file missing)."""
    from sotay_desktop.db.faults import storage_fault

    filename = getattr(exc, "filename", None)
    fault = storage_fault(exc, None if filename else getattr(args, "data_dir", None))
    if fault is not None:
        return fault.message()
    if isinstance(exc, FileNotFoundError):
        return i18n.t("file_missing", path=str(filename or ""))
    if isinstance(exc, OSError):
        return i18n.t("file_error", path=str(filename or ""), detail=exc.strerror or exc)
    return None


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    for stream in (out, err):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Windows consoles default to cp1258/cp437
    args = build_parser().parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    func: Callable[[argparse.Namespace, TextIO], int] = args.func
    try:
        return func(args, out)
    except DomainError as exc:
        err.write(f"Lỗi: {exc.message()}\n")
        return EXIT_FAILED
    except CliError as exc:
        err.write(f"Lỗi: {exc}\n")
        return EXIT_FAILED
    except Exception as exc:  # last resort: plain words, the traceback only on request
        if os.environ.get("SOTAY_DEBUG"):
            raise
        fault = _named_fault(exc, args)
        if fault is not None:  # a full disk, a missing file: said as such, not "unexpected"
            err.write(f"Lỗi: {fault}\n")
            return EXIT_FAILED
        err.write(f"Lỗi không mong đợi: {type(exc).__name__}: {exc}\n")
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
