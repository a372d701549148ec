"""``sotay demo``: a made-up branch to try the program on (members, documents, meetings)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_desktop.cli.common import CliError, command, database, password, print_json, today
from sotay_desktop.db.layout import DB_NAME


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.branch import branch_info
    from sotay_desktop.services.demo import create_demo

    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else today()
    given = password(args)
    recovery = None
    if given is not None and not (Path(args.data_dir) / DB_NAME).exists():
        from sotay_desktop.security import profile

        recovery = profile.create_profile(Path(args.data_dir), branch_name="Chi bộ mẫu",
                                          user=args.user, password=given).recovery_code
    with database(args, create=True) as db:
        with db.sessions.begin() as session:
            if branch_info(session) is not None:
                raise CliError(i18n.t("demo_not_empty", path=args.data_dir))
            summary, _ = create_demo(session, members=args.members, documents=args.documents,
                                     meetings=args.meetings, as_of=as_of, seed=args.seed)
    if args.json:
        print_json(summary, out)
    else:
        out.write(i18n.t("cli.demo_made", branch=summary.branch_name, members=summary.members,
                         documents=summary.documents, meetings=summary.meetings,
                         path=args.data_dir) + "\n")
    if recovery is not None:
        sys.stderr.write(i18n.t("profile_created", recovery=recovery) + "\n")
    return 0


def _between(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high``, else refused in words
    (a demo of one member or of a million is refused before anything is written)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                i18n.t("cli.demo_count_range", value=text, low=low, high=high))
        return value

    return parse


def register(sub: Any) -> None:
    """``demo``."""
    demo = command(sub, "demo", "cli.demo", json_flag=True)
    demo.add_argument("--members", type=_between(2, 5000), default=60,
                      help=i18n.t("cli.demo_members"))
    demo.add_argument("--documents", type=_between(0, 5000), default=20,
                      help=i18n.t("cli.demo_documents"))
    demo.add_argument("--meetings", type=_between(0, 240), default=12,
                      help=i18n.t("cli.demo_meetings"))
    demo.add_argument("--seed", type=int, default=2026, help=i18n.t("cli.demo_seed"))
    demo.add_argument("--as-of", help=i18n.t("cli.as_of"))
    demo.add_argument("--user", default="bi-thu", help=i18n.t("cli.profile_user"))
    demo.set_defaults(func=cmd_demo)
