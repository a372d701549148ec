"""argparse in the user's language: its own words ("usage:", "options", "show this help
message and exit", its error messages) through ``i18n``, like every other text.

argparse takes its words from gettext, which would need compiled catalogues on disk; it
looks them up through its module's ``_`` and ``ngettext`` when a parser is built and when it
parses. ``speaking()`` points those two at the i18n table for the time of one build and
parse, and puts them back afterwards.

Qt-free, in the core: the desktop's ``sotay`` and window and the server's ``sotay-server`` all
use it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sotay_core import i18n

# argparse's own message ids (Python 3.11 to 3.13) -> i18n codes
MESSAGES = {
    "usage: ": "argparse.usage",
    "options": "argparse.options",
    "positional arguments": "argparse.positionals",
    "subcommands": "argparse.subcommands",
    "show this help message and exit": "argparse.help",
    "show program's version number and exit": "argparse.version",
    "%(prog)s: error: %(message)s\n": "argparse.error",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "the following arguments are required: %s": "argparse.required",
    "one of the arguments %s is required": "argparse.one_required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "not allowed with argument %s": "argparse.not_allowed",
    "ignored explicit argument %r": "argparse.ignored",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "expected %s argument": "argparse.expected_n",
    "expected %s arguments": "argparse.expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "unexpected option string: %s": "argparse.unexpected",
    "invalid %(type)s value: %(value)r": "argparse.invalid_type",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "can't open '%(filename)s': %(error)s": "argparse.cannot_open",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse.unknown_parser",
}


def translate(message: str) -> str:
    if i18n.language() == "en":
        return message   # argparse's own English, plural forms and all
    code = MESSAGES.get(message)
    return i18n.t(code) if code else message


def translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


@contextmanager
def speaking() -> Iterator[None]:
    """argparse's words in the current i18n language while the block runs."""
    module = vars(argparse)
    saved: tuple[Callable[..., str], Callable[..., str]] = (module["_"], module["ngettext"])
    module["_"], module["ngettext"] = translate, translate_plural
    try:
        yield
    finally:
        module["_"], module["ngettext"] = saved


def language_in(argv: Sequence[str], fallback: str | None = None) -> str | None:
    """The language asked for on the command line (--lang xx or --lang=xx), else SOTAY_LANG,
    else ``fallback``; read before the parser is built, because its help is in that language.
    An unknown value is left for argparse to refuse."""
    for index, arg in enumerate(argv):
        value = None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in i18n.LANGUAGES:
            return value
    env = os.environ.get("SOTAY_LANG", "")
    return env if env in i18n.LANGUAGES else fallback
