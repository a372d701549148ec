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

from sotay_core import i18n
from sotay_desktop import argparse_i18n
from sotay_core.domain.errors import DomainError
from sotay_desktop.paths import default_data_dir
from sotay_desktop.services.papers import KINDS as PAPER_KINDS

EXIT_USAGE = 2
EXIT_FAILED = 1


class CliError(Exception):
    """A plain-words failure of a command (already translated)."""


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not f.metadata.get("internal")}   # sort and search keys stay inside
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


@contextlib.contextmanager
def _store(args: argparse.Namespace) -> Iterator[Any]:
    """The use cases the window calls (``BranchStore``), over the folder named by ``args``:
    the CLI and the window read, write and audit the same way."""
    from sotay_desktop.services.store import BranchStore

    with _database(args) as db:
        if not (Path(args.data_dir) / "sotay.db").exists():
            raise CliError(i18n.t("no_branch", path=args.data_dir))
        yield BranchStore(db, today=_today)


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
        raise CliError(i18n.t("bad_json", detail=i18n.t("cli.json_object")))
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
        out.write(i18n.t("cli.demo_made", branch=summary.branch_name, members=summary.members,
                         documents=summary.documents, meetings=summary.meetings,
                         path=args.data_dir) + "\n")
    if recovery is not None:
        sys.stderr.write(i18n.t("profile_created", recovery=recovery) + "\n")
    return 0


def _status_label(value: str) -> str:
    return i18n.t(f"status.{value}")


def cmd_members_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_core.domain.entities import MemberStatus
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
        _print_json(rows, out)
        return 0
    for number, row in enumerate(rows, 1):
        born = row.date_of_birth.strftime("%d/%m/%Y") if row.date_of_birth else "—"
        out.write(f"{number:4d}  {row.full_name:<28} {born:<11} {row.card_number:<10} "
                  f"{_status_label(row.status.value):<16} {row.id}\n")
    out.write(i18n.t("cli.member_count", count=len(rows)) + "\n")
    return 0


def _member_json(record: Any) -> dict[str, Any]:
    data = _to_json(record)
    member = data.pop("member")
    data.pop("extras", None)
    return {**member, **data}


def cmd_members_show(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_core.domain.lifecycle import event_label

    with _store(args) as store:
        record = store.member(args.id)     # the read, then its audit row (as in the window)
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
    out.write(f"  {i18n.t('ui.history')}:\n")
    for event in record.events:
        extra = " — ".join(x for x in (event.decision, event.place, event.detail) if x)
        out.write(f"    {event.date.strftime('%d/%m/%Y')}  {event_label(event.kind)}"
                  f"{'  (' + extra + ')' if extra else ''}\n")
    return 0


def cmd_members_add(args: argparse.Namespace, out: TextIO) -> int:
    data = _read_json(args.file)
    with _store(args) as store:
        member_id, _ = store.add_member(data)
    if args.json:
        _print_json({"id": member_id}, out)
    else:
        out.write(f"{member_id}\n")
    return 0


def cmd_members_update(args: argparse.Namespace, out: TextIO) -> int:
    data = _read_json(args.file)
    with _store(args) as store:
        changes = store.update_member(args.id, data)
    out.write(i18n.t("cli.updated" if changes else "cli.unchanged") + "\n")
    return 0


def cmd_members_event(args: argparse.Namespace, out: TextIO) -> int:
    with _store(args) as store:
        event_id, _ = store.record_event(args.id, args.kind, args.date, decision=args.decision,
                                         place=args.place, detail=args.detail)
    out.write(f"{event_id}\n")
    return 0


def cmd_members_import(args: argparse.Namespace, out: TextIO) -> int:
    if not Path(args.file).is_file():  # said before the database is even opened
        raise CliError(i18n.t("file_missing", path=args.file))
    with _store(args) as store:
        preview = store.preview_import(Path(args.file))
        imported = 0 if args.dry_run else store.import_valid(preview)
    report = {"file": preview.file_name, "imported": imported, "valid": len(preview.valid),
              "rejected": [{"line": r.line, "full_name": r.full_name, "errors": list(r.errors)}
                           for r in preview.rejected],
              "ignored_columns": list(preview.ignored_columns),
              "not_members": [{"line": line, "text": text} for line, text in preview.skipped]}
    if args.json:
        _print_json(report, out)
    else:
        out.write(i18n.t("cli.import_report", valid=len(preview.valid), imported=imported,
                         rejected=len(preview.rejected)) + "\n")
        for row in preview.rejected:
            out.write("  " + i18n.t("cli.import_line", line=row.line, name=row.full_name or "—",
                                    errors="; ".join(row.errors)) + "\n")
        if preview.skipped:   # totals, captions, signatures: never members
            lines = ", ".join(str(line) for line, _text in preview.skipped)
            out.write(i18n.t("ui.import_skipped", count=len(preview.skipped), lines=lines)
                      + "\n")
    return 0


def cmd_members_export(args: argparse.Namespace, out: TextIO) -> int:
    with _store(args) as store:
        store.export_roster(Path(args.output))   # audited once the file is written
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
        present = i18n.t("cli.present", present=m.present, called=m.called)
        out.write(f"{m.date.strftime('%d/%m/%Y')}  {m.title:<40} {present}"
                  f"  {('NQ ' + m.resolution_number) if m.resolution_number else '':<14} {m.id}\n")
    return 0




def cmd_meeting_export(args: argparse.Namespace, out: TextIO) -> int:
    with _store(args) as store:   # refused before any file or audit row: no names, no NQ
        store.save_meeting_paper(args.id, args.what, args.format, Path(args.output))
    out.write(f"{args.output}\n")
    return 0


def cmd_packet(args: argparse.Namespace, out: TextIO) -> int:
    documents = tuple(d.strip() for d in (args.documents or "").split(",") if d.strip())
    members = "" if args.members in (None, "none") else args.members
    with _store(args) as store:
        made = store.packet(args.id, Path(args.output), members=members,
                            document_ids=documents, font_size=args.font_size,
                            paper=args.paper)
    out.write(i18n.t("cli.packet_made", path=args.output, pages=made.pages,
                     copies=made.copies) + "\n")
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
        out.write(i18n.t("cli.check_report", path=report.path,
                         version=report.schema_version or "—",
                         pending=report.pending_changes if report.opened else "—") + "\n")
        out.write(i18n.t("cli.check_ok") + "\n" if report.ok else
                  i18n.t("cli.check_bad") + "\n" + "".join(f"  {p}\n" for p in report.problems))
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
        if report.files_skipped:
            out.write(i18n.t("sync_files_skipped", count=report.files_skipped) + "\n")
        if report.check is not None and report.check.status in ("repaired", "unrepaired"):
            from sotay_desktop.services.convergence import describe

            out.write(describe(report.check) + "\n")   # the end-of-sync comparison (R5)
    return 0


def cmd_conflicts_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.conflicts import notices, open_conflicts, quarantined

    with _database(args) as db, db.reads() as session:
        items = open_conflicts(session)
        refused = notices(session)
        set_aside = quarantined(session)
    if args.json:
        _print_json({"conflicts": items, "refused": refused, "quarantined": set_aside}, out)
        return 0
    if not items and not refused and not set_aside:
        out.write(i18n.t("cli.no_conflicts") + "\n")
    for item in items:
        out.write(f"{item.id}\n  {item.text}\n  mine = «{item.mine}», "
                  f"theirs = «{item.theirs}»\n")
    for notice in refused:
        out.write(f"! {notice.text}\n")
    for notice in set_aside:
        out.write(f"? {notice.text}\n")
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
    with _store(args) as store:
        count = store.export_audit(Path(args.output))   # itself audited, as in the window
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
    parser.add_argument("--data-dir", default=str(default_data_dir()), help=i18n.t("cli.data_dir"))
    parser.add_argument("--password-file", help=i18n.t("cli.password_file"))
    if json_flag:
        parser.add_argument("--json", action="store_true", help=i18n.t("cli.json"))


class _Parser(argparse.ArgumentParser):
    """No abbreviated options: "--password X" must not be taken for "--password-file X"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def _command(sub: Any, name: str, key: str) -> argparse.ArgumentParser:
    """A subcommand whose one-line help (in the list of commands) is also its description."""
    text = i18n.t(key)
    parser: argparse.ArgumentParser = sub.add_parser(name, help=text, description=text)
    return parser


def _group(sub: Any, name: str, key: str) -> Any:
    """A command made of subcommands (``members list``, ``members show`` …)."""
    return _command(sub, name, key).add_subparsers(dest="action", required=True)


def build_parser() -> argparse.ArgumentParser:
    """The command line, its help in the current language (see ``main``)."""
    parser = _Parser(prog="sotay", description=i18n.t("cli.description"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=os.environ.get("SOTAY_LANG"),
                        help=i18n.t("cli.lang"))
    sub = parser.add_subparsers(dest="command", required=True)

    demo = _command(sub, "demo", "cli.demo")
    _common(demo, json_flag=True)
    demo.add_argument("--members", type=int, default=60, help=i18n.t("cli.demo_members"))
    demo.add_argument("--documents", type=int, default=20, help=i18n.t("cli.demo_documents"))
    demo.add_argument("--meetings", type=int, default=12, help=i18n.t("cli.demo_meetings"))
    demo.add_argument("--seed", type=int, default=2026, help=i18n.t("cli.demo_seed"))
    demo.add_argument("--as-of", help=i18n.t("cli.as_of"))
    demo.add_argument("--user", default="bi-thu", help=i18n.t("cli.profile_user"))
    demo.set_defaults(func=cmd_demo)

    members = _group(sub, "members", "cli.members")
    m_list = _command(members, "list", "cli.members_list")
    _common(m_list, json_flag=True)
    m_list.add_argument("--search", help=i18n.t("cli.search"))
    m_list.add_argument("--status", help=i18n.t("cli.status"))
    m_list.set_defaults(func=cmd_members_list)
    m_show = _command(members, "show", "cli.members_show")
    _common(m_show, json_flag=True)
    m_show.add_argument("id", help=i18n.t("cli.member_id"))
    m_show.set_defaults(func=cmd_members_show)
    m_add = _command(members, "add", "cli.members_add")
    _common(m_add, json_flag=True)
    m_add.add_argument("--file", default="-", help=i18n.t("cli.json_file"))
    m_add.set_defaults(func=cmd_members_add)
    m_update = _command(members, "update", "cli.members_update")
    _common(m_update)
    m_update.add_argument("id", help=i18n.t("cli.member_id"))
    m_update.add_argument("--file", default="-", help=i18n.t("cli.json_file"))
    m_update.set_defaults(func=cmd_members_update)
    m_event = _command(members, "event", "cli.members_event")
    _common(m_event)
    m_event.add_argument("id", help=i18n.t("cli.member_id"))
    m_event.add_argument("--kind", required=True, help=i18n.t("cli.event_kind"))
    m_event.add_argument("--date", required=True, help=i18n.t("cli.event_date"))
    m_event.add_argument("--decision", default="", help=i18n.t("cli.event_decision"))
    m_event.add_argument("--place", default="", help=i18n.t("cli.event_place"))
    m_event.add_argument("--detail", default="", help=i18n.t("cli.event_detail"))
    m_event.set_defaults(func=cmd_members_event)

    m_import = _command(members, "import", "cli.members_import")
    _common(m_import, json_flag=True)
    m_import.add_argument("file", help=i18n.t("cli.import_file"))
    m_import.add_argument("--dry-run", action="store_true", help=i18n.t("cli.dry_run"))
    m_import.set_defaults(func=cmd_members_import)
    m_export = _command(members, "export", "cli.members_export")
    _common(m_export)
    m_export.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    m_export.set_defaults(func=cmd_members_export)

    meeting = _group(sub, "meeting", "cli.meeting")
    mt_list = _command(meeting, "list", "cli.meeting_list")
    _common(mt_list, json_flag=True)
    mt_list.set_defaults(func=cmd_meeting_list)
    mt_export = _command(meeting, "export", "cli.meeting_export")
    _common(mt_export)
    mt_export.add_argument("id", help=i18n.t("cli.meeting_id"))
    mt_export.add_argument("--what", choices=PAPER_KINDS, required=True, help=i18n.t("cli.what"))
    mt_export.add_argument("--format", choices=("docx", "pdf"), default="pdf",
                           help=i18n.t("cli.format"))
    mt_export.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    mt_export.set_defaults(func=cmd_meeting_export)

    packet = _command(sub, "packet", "cli.packet")
    _common(packet)
    packet.add_argument("id", help=i18n.t("cli.meeting_id"))
    packet.add_argument("--font-size", type=int, default=20, choices=(18, 20, 24),
                        help=i18n.t("cli.font_size"))
    packet.add_argument("--members", help=i18n.t("cli.packet_members"))
    packet.add_argument("--documents", help=i18n.t("cli.packet_documents"))
    packet.add_argument("--paper", choices=("a4", "a5"), default="a4", help=i18n.t("cli.paper"))
    packet.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    packet.set_defaults(func=cmd_packet)

    db = _group(sub, "db", "cli.db")
    check = _command(db, "check", "cli.db_check")
    _common(check, json_flag=True)
    check.set_defaults(func=cmd_db_check)

    enroll = _command(sub, "enroll", "cli.enroll")
    _common(enroll)
    enroll.add_argument("--server", required=True, help=i18n.t("cli.server"))
    enroll.add_argument("--code", required=True, help=i18n.t("cli.code"))
    enroll.add_argument("--label", default="", help=i18n.t("cli.label"))
    enroll.set_defaults(func=cmd_enroll)
    sync = _command(sub, "sync", "cli.sync")
    _common(sync, json_flag=True)
    sync.add_argument("--no-files", action="store_true", help=i18n.t("cli.no_files"))
    sync.set_defaults(func=cmd_sync)
    conflicts = _group(sub, "conflicts", "cli.conflicts")
    c_list = _command(conflicts, "list", "cli.conflicts_list")
    _common(c_list, json_flag=True)
    c_list.set_defaults(func=cmd_conflicts_list)
    c_resolve = _command(conflicts, "resolve", "cli.conflicts_resolve")
    _common(c_resolve)
    c_resolve.add_argument("id", help=i18n.t("cli.conflict_id"))
    c_resolve.add_argument("--keep", required=True, choices=("mine", "theirs"),
                           help=i18n.t("cli.keep"))
    c_resolve.set_defaults(func=cmd_conflicts_resolve)
    prof = _group(sub, "profile", "cli.profile")
    p_create = _command(prof, "create", "cli.profile_create")
    _common(p_create)
    p_create.add_argument("--user", default="bi-thu", help=i18n.t("cli.profile_user"))
    p_create.set_defaults(func=cmd_profile_create)
    p_passwd = _command(prof, "passwd", "cli.profile_passwd")
    _common(p_passwd)
    p_passwd.add_argument("--user", default="bi-thu", help=i18n.t("cli.profile_user"))
    p_passwd.add_argument("--new-password-file", required=True,
                          help=i18n.t("cli.new_password_file"))
    p_passwd.add_argument("--recovery-file", help=i18n.t("cli.recovery_file"))
    p_passwd.set_defaults(func=cmd_profile_passwd)
    p_add = _command(prof, "adduser", "cli.profile_adduser")
    _common(p_add)
    p_add.add_argument("--user", required=True, help=i18n.t("cli.new_user"))
    p_add.add_argument("--role", default="deputy", choices=("secretary", "deputy"),
                       help=i18n.t("cli.role"))
    p_add.add_argument("--new-password-file", required=True,
                       help=i18n.t("cli.new_password_file"))
    p_add.set_defaults(func=cmd_profile_adduser)
    backup = _command(sub, "backup", "cli.backup")
    _common(backup)
    backup.add_argument("-o", "--output", required=True, help=i18n.t("cli.backup_output"))
    backup.set_defaults(func=cmd_backup)
    restore = _command(sub, "restore", "cli.restore")
    _common(restore)
    restore.add_argument("backup", help=i18n.t("cli.backup_file"))
    restore.set_defaults(func=cmd_restore)
    audit_cmd = _group(sub, "audit", "cli.audit")
    a_list = _command(audit_cmd, "list", "cli.audit_list")
    _common(a_list, json_flag=True)
    a_list.add_argument("--limit", type=int, default=200, help=i18n.t("cli.limit"))
    a_list.set_defaults(func=cmd_audit_list)
    a_verify = _command(audit_cmd, "verify", "cli.audit_verify")
    _common(a_verify)
    a_verify.set_defaults(func=cmd_audit_verify)
    a_export = _command(audit_cmd, "export", "cli.audit_export")
    _common(a_export)
    a_export.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    a_export.set_defaults(func=cmd_audit_export)
    bundle = _group(sub, "bundle", "cli.bundle")
    b_export = _command(bundle, "export", "cli.bundle_export")
    _common(b_export)
    b_export.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    b_export.set_defaults(func=cmd_bundle_export)
    b_import = _command(bundle, "import", "cli.bundle_import")
    _common(b_import)
    b_import.add_argument("file", help=i18n.t("cli.bundle_file"))
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
    argv = sys.argv[1:] if argv is None else list(argv)
    language = argparse_i18n.language_in(argv)
    if language:   # before the parser is built: its help speaks this language
        i18n.set_language(language)
    with argparse_i18n.speaking():
        args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace, TextIO], int] = args.func
    try:
        return func(args, out)
    except DomainError as exc:
        err.write(i18n.t("cli.error", text=exc.message()) + "\n")
        return EXIT_FAILED
    except CliError as exc:
        err.write(i18n.t("cli.error", text=exc) + "\n")
        return EXIT_FAILED
    except BrokenPipeError:   # `sotay members list | head`: the reader had enough
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # last resort: plain words, the detail in the log file
        if os.environ.get("SOTAY_DEBUG"):
            raise
        fault = _named_fault(exc, args)
        if fault is not None:  # a full disk, a missing file: said as such, not "unexpected"
            err.write(i18n.t("cli.error", text=fault) + "\n")
            return EXIT_FAILED
        from sotay_desktop import errorlog

        data_dir = getattr(args, "data_dir", None)
        if data_dir and Path(data_dir).is_dir():
            errorlog.setup(Path(data_dir))
        errorlog.log.error("unexpected error in 'sotay %s'", " ".join(argv[:2]), exc_info=exc)
        err.write(i18n.t("cli.error", text=errorlog.describe(exc)) + "\n")
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
