"""``sotay review paper YEAR --what … -o FILE``: the annual review's papers from the command
line, as the review screen saves them (``usecases.review_papers``): a member's self-review
form or all of them, the minutes of the review meeting, the collective report; in normal
or large type (18, 20 or 24 pt), PDF or DOCX by the file's suffix. The signers come from
the meeting the campaign was held at; ``--chair``/``--recorder``/``--secretary`` name them
when no meeting says (a paper is refused with a blank signer, never printed so).
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_desktop.cli.common import CliError, command, workspace, year

KINDS = ("form", "forms", "minutes", "report")


def cmd_paper(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.usecases import review, review_papers

    target = Path(args.output)
    if target.suffix.lower() not in (".pdf", ".docx"):
        raise CliError(i18n.t("cli.dues_bad_suffix", path=args.output, allowed=".pdf, .docx"))
    if args.what == "form" and not args.member:
        raise CliError(i18n.t("review_app.cli_paper_member"))
    with workspace(args) as ws:
        member_id = review.find_member(ws, args.member) if args.what == "form" else None
        info = review_papers.paper_info(ws, args.year, args.quarter)
        given = {name: value.strip() for name in ("chair", "recorder", "secretary", "number")
                 if (value := getattr(args, name))}
        saved = review_papers.save_paper(
            ws, args.year, args.quarter, args.what, target,
            info=dataclasses.replace(info, **given), large=args.large or args.font_size
            is not None, size=args.font_size or 20, member_id=member_id)
    out.write(i18n.t("ui.exported", path=str(saved)) + "\n")
    return 0


def register(actions: Any) -> None:
    """``paper`` under ``sotay review``."""
    paper = command(actions, "paper", "review_app.cli_paper", json_flag=False)
    paper.add_argument("year", type=year, help=i18n.t("review_app.cli_year"))
    paper.add_argument("--quarter", type=int, choices=(1, 2, 3, 4),
                       help=i18n.t("review_app.cli_quarter"))
    paper.add_argument("--what", required=True, choices=KINDS,
                       help=i18n.t("review_app.cli_paper_what"))
    paper.add_argument("--member", help=i18n.t("review_app.cli_member"))
    paper.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    paper.add_argument("--large", action="store_true", help=i18n.t("review_app.cli_large"))
    paper.add_argument("--font-size", type=int, choices=(18, 20, 24),
                       help=i18n.t("review_app.cli_font_size"))
    for name in ("chair", "recorder", "secretary", "number"):
        paper.add_argument(f"--{name}", help=i18n.t(f"review_app.cli_paper_{name}"))
    paper.set_defaults(func=cmd_paper)

