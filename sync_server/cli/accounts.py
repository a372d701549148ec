"""``sotay-server user``: the province and commune staff accounts of the province pages."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_core.i18n import t
from sync_server.cli.common import (
    Env,
    command,
    emit,
    group,
    read_password,
    say,
    unit_of,
    with_db,
    with_json,
)

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers


def add_user(sub: SubParsers) -> None:
    user = group(sub, "user", "server_cli.help.user")
    uadd = command(user, "add", user_add, "server_cli.help.user_add")
    uadd.add_argument("--username", required=True, help=t("server_cli.help.username"))
    uadd.add_argument("--unit", required=True, help=t("server_cli.help.user_unit"))
    uadd.add_argument("--password-file", required=True, type=Path,
                      help=t("server_cli.help.password_file"))
    uadd.add_argument("--name", default="", help=t("server_cli.help.user_name"))
    with_json(uadd)
    ulist = with_json(command(user, "list", user_list, "server_cli.help.user_list"))
    upw = command(user, "passwd", user_passwd, "server_cli.help.user_passwd")
    upw.add_argument("username", help=t("server_cli.help.username"))
    upw.add_argument("--password-file", required=True, type=Path,
                     help=t("server_cli.help.password_file"))
    udis = command(user, "disable", user_disable, "server_cli.help.user_disable")
    udis.add_argument("username", help=t("server_cli.help.username"))
    for p in (uadd, ulist, upw, udis):
        with_db(p)


def user_add(args: argparse.Namespace, env: Env) -> int:
    from sync_server import staff

    with env.transaction() as session:
        user = staff.add_user(session, username=args.username, unit_id=args.unit,
                              password=read_password(args.password_file),
                              display_name=args.name)
        emit(args, {"id": user.id, "username": user.username, "unit_id": user.unit_id},
             t("server_cli.user_added", username=user.username,
               unit=unit_of(session, user.unit_id).name))
    return 0


def user_list(args: argparse.Namespace, env: Env) -> int:
    from sqlalchemy import select

    from sync_server.models import StaffUser

    with env.transaction() as session:
        rows = [{"username": u.username, "name": u.display_name, "unit_id": u.unit_id,
                 "disabled": u.disabled_at is not None}
                for u in session.scalars(select(StaffUser).order_by(StaffUser.username))]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        for r in rows if not args.json else []:
            print(f"{r['username']}\t{r['name']}\t{r['unit_id']}"
                  f"{t('server_cli.user_disabled_mark') if r['disabled'] else ''}")
    return 0


def user_passwd(args: argparse.Namespace, env: Env) -> int:
    from sync_server import staff

    with env.transaction() as session:
        staff.set_password(session, args.username, read_password(args.password_file))
        say("server_cli.password_changed", username=args.username)
    return 0


def user_disable(args: argparse.Namespace, env: Env) -> int:
    from sync_server import staff

    with env.transaction() as session:
        staff.disable_user(session, args.username)
        say("server_cli.user_disabled", username=args.username)
    return 0
