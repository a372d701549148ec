"""``sotay-server user``: the province and commune staff accounts of the province pages."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sync_server.cli.common import Env, command, emit, read_password, unit_of, with_db

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers


def add_user(sub: SubParsers) -> None:
    user = sub.add_parser("user", help="province and commune staff accounts").add_subparsers(
        dest="action", required=True)
    uadd = command(user, "add", user_add)
    uadd.add_argument("--username", required=True)
    uadd.add_argument("--unit", required=True)
    uadd.add_argument("--password-file", required=True, type=Path,
                      help="a file whose first line is the password ('-': standard input)")
    uadd.add_argument("--name", default="", help="the name shown on comments")
    uadd.add_argument("--json", action="store_true")
    ulist = command(user, "list", user_list)
    ulist.add_argument("--json", action="store_true")
    upw = command(user, "passwd", user_passwd)
    upw.add_argument("username")
    upw.add_argument("--password-file", required=True, type=Path)
    udis = command(user, "disable", user_disable)
    udis.add_argument("username")
    for p in (uadd, ulist, upw, udis):
        with_db(p)


def user_add(args: argparse.Namespace, env: Env) -> int:
    from sync_server import staff

    with env.transaction() as session:
        user = staff.add_user(session, username=args.username, unit_id=args.unit,
                              password=read_password(args.password_file),
                              display_name=args.name)
        emit(args, {"id": user.id, "username": user.username, "unit_id": user.unit_id},
             f"Đã tạo tài khoản {user.username} ({unit_of(session, user.unit_id).name}).")
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
                  f"{'  (đã khoá)' if r['disabled'] else ''}")
    return 0


def user_passwd(args: argparse.Namespace, env: Env) -> int:
    from sync_server import staff

    with env.transaction() as session:
        staff.set_password(session, args.username, read_password(args.password_file))
        print(f"Đã đổi mật khẩu của {args.username}; các phiên đăng nhập cũ đã bị đóng.")
    return 0


def user_disable(args: argparse.Namespace, env: Env) -> int:
    from sync_server import staff

    with env.transaction() as session:
        staff.disable_user(session, args.username)
        print(f"Đã khoá tài khoản {args.username}.")
    return 0
