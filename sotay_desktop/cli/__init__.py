"""``sotay``: headless commands over the same use cases (``sotay_desktop.usecases``) as
the window.

Every command takes ``--data-dir``; ``list`` and ``show`` take ``--json`` and then
print one JSON document on stdout. Errors go to stderr in plain words with a
non-zero exit code; each write runs in one transaction, so nothing is half-written.

One module per command group registers its sub-parser next to its handlers (``members``,
``meetings``, ``sync``, ``audit``, ``backup``, ``profiles``, ``demo``); ``common`` holds what
they share. This module builds the parser from them and runs a command (``main``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_core.i18n import argparse_words
from sotay_desktop.cli import (
    audit,
    backup,
    candidates,
    demo,
    dues,
    meetings,
    members,
    profiles,
    quiz,
    report,
    review,
    study,
    sync,
    tasks,
    transfer,
)
from sotay_desktop.cli.common import EXIT_FAILED, EXIT_USAGE, CliError, Parser

__all__ = ["EXIT_FAILED", "EXIT_USAGE", "CliError", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The command line, its help in the current language (see ``main``)."""
    parser = Parser(prog="sotay", description=i18n.t("cli.description"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=os.environ.get("SOTAY_LANG"),
                        help=i18n.t("cli.lang"))
    sub = parser.add_subparsers(dest="command", required=True)
    demo.register(sub)
    members.register(sub)
    meetings.register(sub)
    tasks.register(sub)   # tasks, score
    dues.register(sub)   # dues basis, exempt, pay, grid, book, receipts, rates
    report.register(sub)   # report month
    transfer.register(sub)   # transfer out, in, present, end, list, show, cancel, rules
    candidates.register(sub)   # candidates (issue 20: admission)
    review.register(sub)   # review open, propose, import, hold, send, summary …
    study.register(sub)   # study plans, sessions, scan, make-up, survey, points (issue 21)
    quiz.register(sub)   # quiz set, show, answer, grid, results
    backup.register_check(sub)
    sync.register(sub)
    profiles.register(sub)
    backup.register(sub)
    audit.register(sub)
    sync.register_bundle(sub)
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
    language = argparse_words.language_in(argv)
    if language:   # before the parser is built: its help speaks this language
        i18n.set_language(language)
    with argparse_words.speaking():
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
