"""``sotay-server org``, ``device`` and ``bundle``: the organisation tree, the branch PCs
enrolled in it, and the offline bundles those PCs send instead of syncing."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_core.i18n import t
from sync_server.cli.common import Env, command, emit, group, say, with_db, with_json

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers


def add_org(sub: SubParsers) -> None:
    org = group(sub, "org", "server_cli.help.org")
    add = command(org, "add", org_add, "server_cli.help.org_add")
    add.add_argument("--name", required=True, help=t("server_cli.help.org_name"))
    add.add_argument("--level", required=True, choices=["province", "commune", "branch"],
                     help=t("server_cli.help.org_level"))
    add.add_argument("--parent", help=t("server_cli.help.org_parent"))
    with_db(with_json(add))
    lst = command(org, "list", org_list, "server_cli.help.org_list")
    with_db(with_json(lst))


def add_device(sub: SubParsers) -> None:
    device = group(sub, "device", "server_cli.help.device")
    enroll = command(device, "enroll", device_enroll, "server_cli.help.device_enroll")
    enroll.add_argument("--unit", required=True, help=t("server_cli.help.branch_id"))
    enroll.add_argument("--label", default="", help=t("server_cli.help.device_label"))
    with_db(with_json(enroll))
    revoke = command(device, "revoke", device_revoke, "server_cli.help.device_revoke")
    revoke.add_argument("device_id", help=t("server_cli.help.device_id"))
    with_db(revoke)


def add_bundle(sub: SubParsers) -> None:
    bundle = group(sub, "bundle", "server_cli.help.bundle")
    imp = command(bundle, "import", bundle_import, "server_cli.help.bundle_import")
    imp.add_argument("file", type=Path, help=t("server_cli.help.bundle_file"))
    imp.add_argument("-o", "--output", type=Path, help=t("server_cli.help.bundle_output"))
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
             t("server_cli.enrolled", enrol_code=e.code, device_id=e.device_id,
               expires=e.expires_at))
    return 0


def device_revoke(args: argparse.Namespace, env: Env) -> int:
    from sync_server import admin

    with env.transaction() as session:
        admin.revoke_device(session, args.device_id)
        say("server_cli.revoked", device_id=args.device_id)
    return 0


def bundle_import(args: argparse.Namespace, env: Env) -> int:
    from sync_server import bundles

    with env.transaction() as session:
        output = args.output or args.file.with_name(args.file.stem + "-tra-loi.sotay")
        summary = bundles.import_request(session, args.file, output)
        say("server_cli.bundle_imported", count=summary.mutations, output=output)
    return 0
