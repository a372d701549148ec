"""``sotay-server``: run the server and do the province's admin work from a shell.

    sotay-server serve [--db URL] [--host H] [--port P]
    sotay-server migrate [--db URL]
    sotay-server org add --name NAME --level province|commune|branch [--parent ID] [--json]
    sotay-server org list [--json]
    sotay-server device enroll --unit ID [--label TEXT] [--json]
    sotay-server device revoke DEVICE_ID
    sotay-server publish FILE --to UNIT_ID [--title TEXT] [--number TEXT] [--json]
    sotay-server bundle import FILE [-o ANSWER]
    sotay-server user add --username NAME --unit UNIT_ID --password-file FILE [--name TEXT]
    sotay-server user list [--json] | user passwd NAME --password-file FILE | user disable NAME
    sotay-server downloads DOCUMENT_ID [--json]      which branches have the published file
    sotay-server quarantine [--json]                 rows branch PCs received and set aside
    sotay-server comment --branch ID --resolution ID --text TEXT --author TEXT
    sotay-server stats tree --unit ID [--month YYYY-MM] [--json] | stats rebuild
    sotay-server report --unit ID -o FILE.xlsx|FILE.pdf
    sotay-server review list --unit ID [--year Y] | review show --branch ID [--year Y]
    sotay-server review decide --branch ID --year Y --number N --date D [--grade MEMBER=GRADE]
    sotay-server study publish --to UNIT_ID --title T --due D [--quiz FILE] [--survey FILE] …
    sotay-server study list --unit ID | study show PLAN_ID [--unit ID]
    sotay-server study edit PLAN_ID [--due D] [--title T] | study withdraw PLAN_ID
    sotay-server check [--files-dir DIR] [--json]    every stored file's size and SHA-256
    sotay-server cleanup [--older-than HOURS] [--files-dir DIR] [--json]   old partial uploads

Every command takes ``--db`` (default: SOTAY_SERVER_DB, else the local SQLite
file) and ``--lang vi|en`` (default: SOTAY_LANG, else Vietnamese): the help, argparse's own
words, the output and the errors are in that language, through ``sotay_core.i18n`` (keys
``server_cli.*`` and the ``server_*`` refusals of ``sync_server.admin``); JSON output and the
XLSX/PDF reports are the same in both. Errors print "Lỗi: …" ("Error: …") and exit 1;
``check`` exits 1 when a file is missing or damaged.

One module per command group registers its parser next to its handlers: ``org`` (org, device,
bundle), ``documents`` (publish, downloads, comment), ``accounts`` (user), ``figures`` (stats,
report, quarantine), ``review`` (the annual review), ``study`` (political study), ``upkeep``
(check, cleanup); ``common`` holds what they share.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sotay_core import i18n
from sotay_core.i18n import argparse_words, t
from sync_server.cli import accounts, documents, figures, org, review, study, upkeep
from sync_server.cli.common import Env, Handler, command, say, with_db

if TYPE_CHECKING:
    from sync_server.settings import ServerSettings


def build_parser() -> argparse.ArgumentParser:
    """The command line, its help in the current language (see ``main``)."""
    parser = argparse.ArgumentParser(prog="sotay-server",
                                     description=t("server_cli.help.description"))
    parser.add_argument("--db", help=t("server_cli.help.db"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=t("server_cli.help.lang"))
    sub = parser.add_subparsers(dest="command", required=True)
    serve = with_db(command(sub, "serve", None, "server_cli.help.serve"))
    serve.add_argument("--host", help=t("server_cli.help.host"))
    serve.add_argument("--port", type=int, help=t("server_cli.help.port"))
    with_db(command(sub, "migrate", None, "server_cli.help.migrate"))
    org.add_org(sub)
    org.add_device(sub)
    documents.add_publish(sub)
    org.add_bundle(sub)
    accounts.add_user(sub)
    documents.add_downloads(sub)
    figures.add_quarantine(sub)
    documents.add_comment(sub)
    figures.add_stats(sub)
    figures.add_report(sub)
    review.add_review(sub)
    study.add_study(sub)
    upkeep.add_check(sub)
    upkeep.add_cleanup(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command in the language of ``--lang`` (else SOTAY_LANG, else Vietnamese); the
    language is put back as it was when the command ends."""
    argv = sys.argv[1:] if argv is None else list(argv)
    before = i18n.language()
    # before the parser is built: its help speaks this language
    i18n.set_language(argparse_words.language_in(argv, "vi") or "vi")
    try:
        with argparse_words.speaking():
            args = build_parser().parse_args(argv)
        return _main(args)
    finally:
        i18n.set_language(before)


def _main(args: argparse.Namespace) -> int:
    try:
        from sync_server.settings import ServerSettings
    except ImportError as exc:
        sys.stderr.write(t("server_cli.missing_library", name=exc.name) + "\n")
        return 1
    db = getattr(args, "db_sub", None) or args.db
    overrides: dict[str, Any] = {"db": db} if db else {}
    if args.command == "serve":
        overrides |= {k: v for k, v in (("host", args.host), ("port", args.port))
                      if v is not None}
    settings = ServerSettings(**overrides)
    if args.command == "serve":
        import uvicorn

        from sync_server.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                    timeout_keep_alive=75, proxy_headers=True,
                    forwarded_allow_ips=settings.forwarded_allow_ips)
        return 0
    try:
        return _run(args, settings)
    except Exception as exc:
        from sync_server.admin import AdminError

        if isinstance(exc, AdminError):
            params: dict[str, Any] = exc.params
            return _failed(t(exc.code, **params))
        if isinstance(exc, OSError):
            return _failed(t("server_cli.file_error", detail=exc))
        from sync_server.files import FileError

        if isinstance(exc, FileError):
            # the files folder's faults in the words of a server admin, where they have them
            code = exc.code.replace("sync_", "server_", 1)
            return _failed(t(code if i18n.has_message(code) else exc.code))
        raise


def _failed(text: str) -> int:
    sys.stderr.write(t("server_cli.error", text=text) + "\n")
    return 1


def _run(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Every command but ``serve``: on the database brought up to date first."""
    from sync_server.db import make_engine, upgrade

    engine = make_engine(settings.db, pool_size=settings.db_pool_size,
                         max_overflow=settings.db_max_overflow,
                         pgbouncer=settings.db_pgbouncer)
    upgrade(engine)
    if args.command == "migrate":
        say("server_cli.migrated")
        return 0
    handler: Handler = args.handler
    return handler(args, Env(settings, engine))


if __name__ == "__main__":
    sys.exit(main())
