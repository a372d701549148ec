"""``sotay db check``, ``backup`` and ``restore``: the health and the copies of the data
folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_desktop.cli.common import (
    EXIT_FAILED,
    CliError,
    command,
    database,
    group,
    key,
    print_json,
    required_password,
)


def cmd_db_check(args: argparse.Namespace, out: TextIO) -> int:
    """A report even on a damaged (or encrypted and damaged) file: what is wrong, where."""
    from sotay_desktop.services.db_check import check_folder

    report = check_folder(Path(args.data_dir), key=key(args))
    if args.json:
        print_json({"path": report.path, "schema_version": report.schema_version,
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


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.backup import make_backup

    folder_key = key(args)
    with database(args) as db:
        target = make_backup(db, Path(args.output), key=folder_key)
    out.write(i18n.t("backup_done", path=str(target)) + "\n")
    return 0


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.db.layout import is_encrypted
    from sotay_desktop.security import profile
    from sotay_desktop.services.backup import check_backup, restore_backup

    backup = Path(args.backup)
    check_backup(backup)
    backup_key = None
    if is_encrypted(backup):
        backup_key = profile.unlock(backup, required_password(args))
    restore_backup(backup, Path(args.data_dir), key=backup_key).close()
    out.write(f"{args.data_dir}\n")
    return 0


def register_check(sub: Any) -> None:
    """``db check``."""
    db = group(sub, "db", "cli.db")
    check = command(db, "check", "cli.db_check", json_flag=True)
    check.set_defaults(func=cmd_db_check)


def register(sub: Any) -> None:
    """``backup`` and ``restore``."""
    backup = command(sub, "backup", "cli.backup", json_flag=False)
    backup.add_argument("-o", "--output", required=True, help=i18n.t("cli.backup_output"))
    backup.set_defaults(func=cmd_backup)
    restore = command(sub, "restore", "cli.restore", json_flag=False)
    restore.add_argument("backup", help=i18n.t("cli.backup_file"))
    restore.set_defaults(func=cmd_restore)
