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
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_core.i18n import argparse_words
from sotay_desktop.cli.common import EXIT_FAILED, EXIT_USAGE, CliError, Parser

__all__ = ["EXIT_FAILED", "EXIT_USAGE", "CliError", "build_parser", "chosen_command", "main"]


# (module, its register function, the commands it adds), in the order of ``sotay --help``.
# A command's module is imported only when it is chosen (issue 22: ``sotay sync`` on a
# village PC should not pay for the import of every other command's services).
REGISTRY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("demo", "register", ("demo",)),
    ("members", "register", ("members",)),
    ("meetings", "register", ("meeting", "packet")),
    ("tasks", "register", ("tasks", "score")),
    ("dues", "register", ("dues",)),   # dues basis, exempt, pay, grid, book, receipts, rates
    ("report", "register", ("report",)),   # report month
    ("transfer", "register", ("transfer",)),   # out, in, present, end, list, show, cancel …
    ("candidates", "register", ("candidates",)),   # issue 20: admission
    ("review", "register", ("review",)),   # review open, propose, import, hold, send …
    ("study", "register", ("study",)),   # plans, sessions, scan, make-up, survey, points
    ("quiz", "register", ("quiz",)),   # quiz set, show, answer, grid, results
    ("backup", "register_check", ("db",)),
    ("sync", "register", ("enroll", "sync", "conflicts")),
    ("profiles", "register", ("profile",)),
    ("backup", "register", ("backup", "restore")),
    ("audit", "register", ("audit",)),
    ("sync", "register_bundle", ("bundle",)),   # bundle comes last
)


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (its first word that is not a top-level option)."""
    words = iter(argv)
    for word in words:
        if word == "--lang":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line, its help in the current language (see ``main``). Given ``argv``
    naming a known command, only that command is registered (its module alone imported);
    otherwise (help, a mistyped command) every command is."""
    parser = Parser(prog="sotay", description=i18n.t("cli.description"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=os.environ.get("SOTAY_LANG"),
                        help=i18n.t("cli.lang"))
    sub = parser.add_subparsers(dest="command", required=True)
    name = chosen_command(argv) if argv is not None else None
    entries = [e for e in REGISTRY if name in e[2]] or REGISTRY
    for module, function, _ in entries:
        getattr(importlib.import_module(f"sotay_desktop.cli.{module}"), function)(sub)
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
        args = build_parser(argv).parse_args(argv)
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
