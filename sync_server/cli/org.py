"""``sotay-server org``, ``device`` and ``bundle``: the organisation tree, the branch PCs
enrolled in it, and the offline bundles those PCs send instead of syncing."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sync_server.cli.common import Env, command, emit, with_db

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers


def add_org(sub: SubParsers) -> None:
    org = sub.add_parser("org", help="the organisation tree").add_subparsers(
        dest="action", required=True)
    add = command(org, "add", org_add)
    add.add_argument("--name", required=True)
    add.add_argument("--level", required=True, choices=["province", "commune", "branch"])
    add.add_argument("--parent")
    add.add_argument("--json", action="store_true")
    with_db(add)
    lst = command(org, "list", org_list)
    lst.add_argument("--json", action="store_true")
    with_db(lst)


def add_device(sub: SubParsers) -> None:
    device = sub.add_parser("device", help="branch PCs").add_subparsers(
        dest="action", required=True)
    enroll = command(device, "enroll", device_enroll)
    enroll.add_argument("--unit", required=True)
    enroll.add_argument("--label", default="")
    enroll.add_argument("--json", action="store_true")
    with_db(enroll)
    revoke = command(device, "revoke", device_revoke)
    revoke.add_argument("device_id")
    with_db(revoke)


def add_bundle(sub: SubParsers) -> None:
    bundle = sub.add_parser("bundle", help="offline bundles").add_subparsers(
        dest="action", required=True)
    imp = command(bundle, "import", bundle_import)
    imp.add_argument("file", type=Path)
    imp.add_argument("-o", "--output", type=Path)
    with_db(imp)


def org_add(args: argparse.Namespace, env: Env) -> int:
    from sync_server import admin

    with env.transaction() as session:
        unit = admin.add_unit(session, name=args.name, level=args.level, parent_id=args.parent)
        emit(args, {"id": unit.id, "name": unit.name, "level": unit.level}, unit.id)
    return 0


def org_list(args: argparse.Namespace, env: Env) -> int:
    from sqlalchemy import select

    from sync_server.models import Unit

    with env.transaction() as session:
        units = session.scalars(select(Unit).order_by(Unit.path)).all()
        rows = [{"id": u.id, "name": u.name, "level": u.level, "parent_id": u.parent_id}
                for u in units]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        for u in units if not args.json else []:
            print(f"{'  ' * (u.path.count('/') - 2)}{u.name} [{u.level}] {u.id}")
    return 0


def device_enroll(args: argparse.Namespace, env: Env) -> int:
    from sync_server import admin

    with env.transaction() as session:
        e = admin.enroll_device(session, unit_id=args.unit, label=args.label)
        emit(args, {"device_id": e.device_id, "code": e.code,
                    "expires_at": e.expires_at.isoformat(timespec="seconds")},
             f"{e.code}\n(máy {e.device_id}; mã dùng một lần, hết hạn "
             f"{e.expires_at:%d/%m/%Y})")
    return 0


def device_revoke(args: argparse.Namespace, env: Env) -> int:
    from sync_server import admin

    with env.transaction() as session:
        admin.revoke_device(session, args.device_id)
        print(f"Đã thu hồi máy {args.device_id}.")
    return 0


def bundle_import(args: argparse.Namespace, env: Env) -> int:
    from sync_server import bundles

    with env.transaction() as session:
        output = args.output or args.file.with_name(args.file.stem + "-tra-loi.sotay")
        summary = bundles.import_request(session, args.file, output)
        print(f"Đã nhận {summary.mutations} thay đổi; gói trả lời: {output}")
    return 0
