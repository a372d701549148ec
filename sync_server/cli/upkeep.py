"""``sotay-server check`` and ``cleanup``: the files folder against the database, and old
unfinished uploads."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_core.i18n import t
from sync_server.cli.common import Env, command, emit, say, with_db, with_json

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers
    from sync_server.storage import FileStore


def add_check(sub: SubParsers) -> None:
    check = command(sub, "check", check_files, "server_cli.help.check")
    check.add_argument("--files-dir", type=Path, help=t("server_cli.help.files_dir"))
    with_db(with_json(check))


def add_cleanup(sub: SubParsers) -> None:
    cleanup = command(sub, "cleanup", clean_partials, "server_cli.help.cleanup")
    cleanup.add_argument("--older-than", type=float, metavar=t("server_cli.help.hours"),
                         help=t("server_cli.help.older_than"))
    cleanup.add_argument("--files-dir", type=Path, help=t("server_cli.help.files_dir"))
    with_db(with_json(cleanup))


def _store(args: argparse.Namespace, env: Env) -> FileStore:
    """The settings' store; ``--files-dir`` names a files folder instead (the default layout)."""
    from sync_server.storage import as_store, make_store

    return as_store(Path(args.files_dir)) if args.files_dir else make_store(env.settings)


def clean_partials(args: argparse.Namespace, env: Env) -> int:
    from sync_server import files

    store = _store(args, env)
    hours = env.settings.partial_max_age_hours if args.older_than is None else args.older_than
    with env.transaction() as session:
        removed, freed = files.cleanup(session, store, max(0.0, hours) * 3600)
    emit(args, {"removed": removed, "bytes": freed, "older_than_hours": hours},
         t("server_cli.cleaned", removed=removed, hours=hours, freed=freed))
    return 0


def check_files(args: argparse.Namespace, env: Env) -> int:
    """Read every stored file back; exit 1 when one is missing or damaged."""
    from sync_server import admin, files

    store = _store(args, env)
    with env.transaction() as session:
        report = files.check_store(session, store)
        if not report.ok:
            admin.log_action(session, "cli:check", "file_check_failed",
                             missing=report.missing, corrupt=report.corrupt)
    if args.json:
        print(json.dumps({"files_dir": store.where, "checked": report.checked,
                          "bytes": report.bytes, "missing": report.missing,
                          "corrupt": report.corrupt, "unknown": report.unknown,
                          "ok": report.ok}, ensure_ascii=False))
    else:
        say("server_cli.check_folder", path=store.where)
        say("server_cli.check_checked", checked=report.checked, bytes=report.bytes)
        for sha in report.missing:
            say("server_cli.check_missing", sha=sha)
        for sha in report.corrupt:
            say("server_cli.check_corrupt", sha=sha)
        if report.unknown:
            say("server_cli.check_unknown", count=len(report.unknown))
        if report.ok:
            say("server_cli.check_ok")
        else:
            say("server_cli.check_failed", missing=len(report.missing),
                corrupt=len(report.corrupt))
    return 0 if report.ok else 1
