"""What every command module shares: the error a command raises, opening the data folder
(password, key, database, the window's use cases), reading JSON, printing JSON, and the
helpers that build a sub-command's parser."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import enum
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sotay_core import i18n
from sotay_desktop.db.layout import DB_NAME
from sotay_desktop.paths import default_data_dir

if TYPE_CHECKING:
    from sotay_desktop.usecases.workspace import Workspace

EXIT_USAGE = 2
EXIT_FAILED = 1


class CliError(Exception):
    """A plain-words failure of a command (already translated)."""


def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not f.metadata.get("internal")}   # sort and search keys stay inside
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def print_json(value: Any, out: TextIO) -> None:
    json.dump(to_json(value), out, ensure_ascii=False, indent=2)
    out.write("\n")


def today() -> dt.date:
    return dt.date.today()


def password(args: argparse.Namespace) -> str | None:
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


def required_password(args: argparse.Namespace) -> str:
    """The password, or a plain-words failure naming where it is looked for."""
    given = password(args)
    if given is None:
        raise CliError(i18n.t("password_missing"))
    return given


def secret_file(path: str | None, what: str) -> str:
    """A password or recovery code read from the file named by option ``what``."""
    if not path:
        raise CliError(i18n.t("password_missing"))
    try:
        return Path(path).read_text(encoding="utf-8-sig").rstrip("\r\n")
    except OSError as exc:
        raise CliError(i18n.t("cli.secret_file_error", option=what, detail=exc)) from exc


def key(args: argparse.Namespace) -> bytes | None:
    return unlock(args)[0]


def unlock(args: argparse.Namespace) -> tuple[bytes | None, str | None]:
    """The key of an encrypted folder and the profile user whose password was given."""
    from sotay_desktop.db.layout import is_encrypted
    from sotay_desktop.security import profile

    data_dir = Path(args.data_dir)
    if not is_encrypted(data_dir):
        return None, None
    return profile.unlock_as(data_dir, required_password(args))


def open_folder(args: argparse.Namespace, *, create: bool = False) -> Any:
    """The database of the folder named by ``args`` (unlocked with the given password)."""
    from sotay_desktop.db.engine import open_database

    found_key, user = unlock(args)
    db = open_database(Path(args.data_dir), create=create, key=found_key)
    if user is not None:  # audit rows name the profile's user, as in the window
        db.sessions.configure(info={"actor": user})
    return db


@contextlib.contextmanager
def database(args: argparse.Namespace, *, create: bool = False) -> Iterator[Any]:
    db = open_folder(args, create=create)
    try:
        yield db
    finally:
        db.close()


@contextlib.contextmanager
def workspace(args: argparse.Namespace) -> Iterator[Workspace]:
    """The folder named by ``args``, for the use cases the window calls
    (``sotay_desktop.usecases``): the CLI and the window read, write and audit the same way
    (a view, an export, a print: ``usecases.trace``, once the act succeeded)."""
    from sotay_desktop.usecases.workspace import Workspace

    with database(args) as db:
        if not (Path(args.data_dir) / DB_NAME).exists():
            raise CliError(i18n.t("no_branch", path=args.data_dir))
        yield Workspace(db, today=today)


def branch_id(session: Any, data_dir: str) -> str:
    from sotay_desktop.services.branch import branch_info

    info = branch_info(session)
    if info is None:
        raise CliError(i18n.t("no_branch", path=data_dir))
    return info.branch.id


def read_json(path: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(i18n.t("bad_json", detail=exc)) from exc
    if not isinstance(data, dict):
        raise CliError(i18n.t("bad_json", detail=i18n.t("cli.json_object")))
    return data


def month(text: str) -> Any:
    """A month as every command reads one: ``11/2026`` or ``2026-11`` (``month_text``)."""
    from sotay_core.domain.month_text import parse_month

    return parse_month(text)


def year(text: str) -> int:
    """An argparse ``type``: a year from 1900 to 2100, else refused naming it."""
    from sotay_core.domain.errors import DomainError
    from sotay_core.domain.month_text import check_year

    try:
        return check_year(int(text.strip()))
    except (ValueError, DomainError):
        raise argparse.ArgumentTypeError(i18n.t(
            "dues.bad_year", value=text, low=1900, high=2100)) from None


def status_label(value: str) -> str:
    return i18n.t(f"status.{value}")


# --- building the parser --------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """No abbreviated options: "--password X" must not be taken for "--password-file X"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def add_common(parser: argparse.ArgumentParser, *, json_flag: bool = False) -> None:
    """--data-dir and --password-file, which every command takes (and --json)."""
    parser.add_argument("--data-dir", default=str(default_data_dir()), help=i18n.t("cli.data_dir"))
    parser.add_argument("--password-file", help=i18n.t("cli.password_file"))
    if json_flag:
        parser.add_argument("--json", action="store_true", help=i18n.t("cli.json"))


def command(sub: Any, name: str, key: str, *, json_flag: bool | None = None
            ) -> argparse.ArgumentParser:
    """A subcommand whose one-line help (in the list of commands) is also its description;
    with ``json_flag`` set (True or False) it also takes the common options."""
    text = i18n.t(key)
    parser: argparse.ArgumentParser = sub.add_parser(name, help=text, description=text)
    if json_flag is not None:
        add_common(parser, json_flag=json_flag)
    return parser


def group(sub: Any, name: str, key: str) -> Any:
    """A command made of subcommands (``members list``, ``members show`` …)."""
    return command(sub, name, key).add_subparsers(dest="action", required=True)
