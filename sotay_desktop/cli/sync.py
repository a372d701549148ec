"""``sotay enroll``, ``sync``, ``conflicts …`` and ``bundle …``: this PC and the province
server, over the network or by offline bundle."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_desktop.cli.common import command, database, group, print_json


def cmd_enroll(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.sync.client import enroll

    with database(args, create=True) as db:
        done = enroll(db, args.server, args.code, label=args.label or None)
    out.write(i18n.t("sync_enrolled", unit=done.unit_name, queued=done.queued,
                     store=done.token_store) + "\n")
    return 0


def cmd_sync(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.sync.client import run_sync

    with database(args) as db:
        started = time.perf_counter()
        report = run_sync(db, files=not args.no_files)
        if os.environ.get("SOTAY_SYNC_TIMINGS"):   # for bench/link.py: the sync's own time
            sys.stderr.write(f"sync_seconds={time.perf_counter() - started:.3f}\n")
    if args.json:
        print_json(report, out)
    else:
        out.write(i18n.t("sync_done", pushed=report.pushed, pulled=report.pulled,
                         conflicts=report.conflicts, files=report.files_waiting) + "\n")
        if abs(report.clock_skew_s) > 300:
            out.write(i18n.t("sync_clock_skew", minutes=round(report.clock_skew_s / 60)) + "\n")
        if report.files_skipped:
            out.write(i18n.t("sync_files_skipped", count=report.files_skipped) + "\n")
        if report.check is not None and report.check.status in ("repaired", "unrepaired"):
            from sotay_desktop.services.sync.convergence import describe

            out.write(describe(report.check) + "\n")   # the end-of-sync comparison (R5)
    return 0


def cmd_conflicts_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.conflicts import notices, open_conflicts, quarantined

    with database(args) as db, db.reads() as session:
        items = open_conflicts(session)
        refused = notices(session)
        set_aside = quarantined(session)
    if args.json:
        print_json({"conflicts": items, "refused": refused, "quarantined": set_aside}, out)
        return 0
    if not items and not refused and not set_aside:
        out.write(i18n.t("cli.no_conflicts") + "\n")
    for item in items:
        sides = i18n.t("cli.conflict_sides", mine=item.mine, theirs=item.theirs)
        out.write(f"{item.id}\n  {item.text}\n  {sides}\n")
    for notice in refused:
        out.write(f"! {notice.text}\n")
    for notice in set_aside:
        out.write(f"? {notice.text}\n")
    return 0


def cmd_conflicts_resolve(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.conflicts import resolve

    with database(args) as db, db.sessions.begin() as session:
        resolve(session, args.id, args.keep)
    out.write(i18n.t("conflict_resolved") + "\n")
    return 0


def cmd_bundle_export(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.sync.bundles import export_bundle

    with database(args) as db:
        count = export_bundle(db, Path(args.output))
    out.write(i18n.t("bundle_exported", count=count, path=args.output) + "\n")
    return 0


def cmd_bundle_import(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.sync.bundles import import_bundle

    with database(args) as db:
        done = import_bundle(db, Path(args.file))
    out.write(i18n.t("bundle_imported", acked=done.acked, pulled=done.changes,
                     conflicts=done.conflicts) + "\n")
    return 0


def register(sub: Any) -> None:
    """``enroll``, ``sync`` and ``conflicts`` (``bundle`` comes last: see ``register_bundle``)."""
    enroll = command(sub, "enroll", "cli.enroll", json_flag=False)
    enroll.add_argument("--server", required=True, help=i18n.t("cli.server"))
    enroll.add_argument("--code", required=True, help=i18n.t("cli.code"))
    enroll.add_argument("--label", default="", help=i18n.t("cli.label"))
    enroll.set_defaults(func=cmd_enroll)
    sync = command(sub, "sync", "cli.sync", json_flag=True)
    sync.add_argument("--no-files", action="store_true", help=i18n.t("cli.no_files"))
    sync.set_defaults(func=cmd_sync)
    conflicts = group(sub, "conflicts", "cli.conflicts")
    c_list = command(conflicts, "list", "cli.conflicts_list", json_flag=True)
    c_list.set_defaults(func=cmd_conflicts_list)
    c_resolve = command(conflicts, "resolve", "cli.conflicts_resolve", json_flag=False)
    c_resolve.add_argument("id", help=i18n.t("cli.conflict_id"))
    c_resolve.add_argument("--keep", required=True, choices=("mine", "theirs"),
                           help=i18n.t("cli.keep"))
    c_resolve.set_defaults(func=cmd_conflicts_resolve)


def register_bundle(sub: Any) -> None:
    """``bundle export`` and ``bundle import``: sync by file when there is no network."""
    bundle = group(sub, "bundle", "cli.bundle")
    b_export = command(bundle, "export", "cli.bundle_export", json_flag=False)
    b_export.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    b_export.set_defaults(func=cmd_bundle_export)
    b_import = command(bundle, "import", "cli.bundle_import", json_flag=False)
    b_import.add_argument("file", help=i18n.t("cli.bundle_file"))
    b_import.set_defaults(func=cmd_bundle_import)
