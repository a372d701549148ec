"""What the command groups of ``sotay-server`` share: the environment a command runs in, and
small helpers for its parser, input and output. Every word a person reads goes through
``sotay_core.i18n`` (keys ``server_cli.*``), in the language ``main`` chose. Heavy imports stay
inside functions, so building the parser costs nothing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sotay_core import i18n
from sotay_core.i18n import t

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from sync_server.models import Unit
    from sync_server.settings import ServerSettings

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


@dataclass(frozen=True)
class Env:
    """The settings and the (migrated) database of one command."""

    settings: ServerSettings
    engine: Engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed when the command ends well, rolled back if it raises."""
        from sqlalchemy.orm import Session

        with Session(self.engine) as session, session.begin():
            yield session


Handler = Callable[[argparse.Namespace, Env], int]


def command(sub: SubParsers, name: str, handler: Handler | None, help_key: str
            ) -> argparse.ArgumentParser:
    """A leaf command running ``handler`` (None: ``serve`` and ``migrate``, which ``main``
    runs itself), described by the text ``help_key``; every one takes ``--db`` and ``--lang``
    after its name too (``with_db``)."""
    parser = sub.add_parser(name, help=t(help_key), description=t(help_key))
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def group(sub: SubParsers, name: str, help_key: str) -> SubParsers:
    """A command with commands of its own (``org add``, ``org list``…)."""
    parser = sub.add_parser(name, help=t(help_key), description=t(help_key))
    return parser.add_subparsers(dest="action", required=True)


def with_db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``--db`` and ``--lang`` after the command's name too. The language was read from the
    whole command line before parsing (``argparse_words.language_in``); here it is checked."""
    parser.add_argument("--db", dest="db_sub", metavar="DB", help=t("server_cli.help.db"))
    parser.add_argument("--lang", dest="lang_sub", choices=i18n.LANGUAGES,
                        help=t("server_cli.help.lang"))
    return parser


def with_json(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--json", action="store_true", help=t("server_cli.help.json"))
    return parser


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    """``data`` as JSON with ``--json``, else ``text``."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(text)


def say(key: str, **params: Any) -> None:
    """Print the text ``key`` in the chosen language."""
    print(t(key, **params))


def read_password(path: Path) -> str:
    """The first line of a file ('-': standard input): never a password on a command line."""
    from sync_server.admin import AdminError

    try:
        text = sys.stdin.readline() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise AdminError("server_password_file", path=str(path)) from None
    return text.splitlines()[0] if text.strip() else ""


def iso_date(text: str) -> dt.date:
    import datetime as dt

    from sync_server.admin import AdminError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise AdminError("server_bad_date", value=text) from None


def unit_of(session: Session, unit_id: str) -> Unit:
    from sync_server.admin import AdminError
    from sync_server.models import Unit

    found = session.get(Unit, unit_id)
    if found is None:
        raise AdminError("server_unit_not_found", id=unit_id)
    return found
