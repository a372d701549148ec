"""``sotay-server publish``, ``downloads`` and ``comment``: documents sent down to the
branches, which branches have their files, and comments on a branch's draft resolution."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_core.i18n import t
from sync_server.cli.common import Env, command, emit, iso_date, say, with_db, with_json

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers


def add_publish(sub: SubParsers) -> None:
    publish = command(sub, "publish", publish_document, "server_cli.help.publish")
    publish.add_argument("file", type=Path, help=t("server_cli.help.publish_file"))
    publish.add_argument("--to", required=True, help=t("server_cli.help.publish_to"))
    publish.add_argument("--title", default="", help=t("server_cli.help.publish_title"))
    publish.add_argument("--number", default="", help=t("server_cli.help.publish_number"))
    publish.add_argument("--type", dest="doc_type", default="",
                         help=t("server_cli.help.publish_type"))
    publish.add_argument("--issued-on", default="", help=t("server_cli.help.publish_issued_on"))
    publish.add_argument("--summary", default="", help=t("server_cli.help.publish_summary"))
    with_db(with_json(publish))


def add_downloads(sub: SubParsers) -> None:
    downloads = command(sub, "downloads", list_downloads, "server_cli.help.downloads")
    downloads.add_argument("document_id", help=t("server_cli.help.document_id"))
    with_db(with_json(downloads))


def add_comment(sub: SubParsers) -> None:
    comment = command(sub, "comment", add_comment_to_draft, "server_cli.help.comment")
    comment.add_argument("--branch", required=True, help=t("server_cli.help.branch_id"))
    comment.add_argument("--resolution", required=True,
                         help=t("server_cli.help.comment_resolution"))
    comment.add_argument("--text", required=True, help=t("server_cli.help.comment_text"))
    comment.add_argument("--author", required=True, help=t("server_cli.help.comment_author"))
    with_db(comment)


def publish_document(args: argparse.Namespace, env: Env) -> int:
    from sync_server import admin
    from sync_server.storage import make_store

    with env.transaction() as session:
        if not args.file.is_file():
            raise admin.AdminError("server_file_missing", path=str(args.file))
        issued = iso_date(args.issued_on) if args.issued_on else None
        p = admin.publish(session, make_store(env.settings), args.file, to_unit=args.to,
                          title=args.title, number=args.number, doc_type=args.doc_type,
                          issued_on=issued, summary=args.summary)
        emit(args, {"document_id": p.document_id, "sha256": p.sha256, "branches": p.branches},
             t("server_cli.published", document_id=p.document_id, branches=p.branches))
    return 0


def list_downloads(args: argparse.Namespace, env: Env) -> int:
    from sqlalchemy import select

    from sync_server import admin, published, queries
    from sync_server.models import Unit

    with env.transaction() as session:
        top = session.scalars(select(Unit).where(Unit.parent_id.is_(None))).all()
        rows = []
        for root in top:
            targets = published.publication_targets(session, root, args.document_id)
            if not targets:
                continue
            data = queries.record(session, targets[0].id, "documents", args.document_id) or {}
            got = published.downloaded_by(session, root, args.document_id,
                                          str(data.get("file_sha256") or ""))
            rows += [{"branch_id": u.id, "branch": u.name,
                      "downloaded_at": got[u.id].isoformat() if u.id in got else None}
                     for u in targets]
        if not rows:
            raise admin.AdminError("server_record_not_found", id=args.document_id)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        else:
            for r in rows:
                print(f"{r['branch']}\t{r['downloaded_at'] or t('server_cli.not_downloaded')}")
            say("server_cli.downloaded_count",
                done=sum(1 for r in rows if r["downloaded_at"]), total=len(rows))
    return 0


def add_comment_to_draft(args: argparse.Namespace, env: Env) -> int:
    from sync_server import admin

    with env.transaction() as session:
        comment_id = admin.add_comment(session, branch_id=args.branch,
                                       resolution_id=args.resolution, body=args.text,
                                       author=args.author, actor="admin")
        say("server_cli.commented", comment_id=comment_id)
    return 0
