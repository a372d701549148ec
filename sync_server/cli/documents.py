"""``sotay-server publish``, ``downloads`` and ``comment``: documents sent down to the
branches, which branches have their files, and comments on a branch's draft resolution."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sync_server.cli.common import Env, command, emit, iso_date, with_db

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers


def add_publish(sub: SubParsers) -> None:
    publish = command(sub, "publish", publish_document,
                      help="send a document to every branch below a unit")
    publish.add_argument("file", type=Path)
    publish.add_argument("--to", required=True)
    publish.add_argument("--title", default="")
    publish.add_argument("--number", default="")
    publish.add_argument("--type", dest="doc_type", default="")
    publish.add_argument("--issued-on", default="", help="YYYY-MM-DD (default: today)")
    publish.add_argument("--summary", default="")
    publish.add_argument("--json", action="store_true")
    with_db(publish)


def add_downloads(sub: SubParsers) -> None:
    downloads = command(sub, "downloads", list_downloads,
                        help="which branches downloaded a published file")
    downloads.add_argument("document_id")
    downloads.add_argument("--json", action="store_true")
    with_db(downloads)


def add_comment(sub: SubParsers) -> None:
    comment = command(sub, "comment", add_comment_to_draft,
                      help="comment on a branch's draft resolution")
    comment.add_argument("--branch", required=True)
    comment.add_argument("--resolution", required=True)
    comment.add_argument("--text", required=True)
    comment.add_argument("--author", required=True)
    with_db(comment)


def publish_document(args: argparse.Namespace, env: Env) -> int:
    from sync_server import admin

    with env.transaction() as session:
        if not args.file.is_file():
            raise admin.AdminError("server_file_missing", path=str(args.file))
        issued = iso_date(args.issued_on) if args.issued_on else None
        p = admin.publish(session, Path(env.settings.files_dir), args.file, to_unit=args.to,
                          title=args.title, number=args.number, doc_type=args.doc_type,
                          issued_on=issued, summary=args.summary)
        emit(args, {"document_id": p.document_id, "sha256": p.sha256, "branches": p.branches},
             f"Đã gửi tài liệu {p.document_id} tới {p.branches} chi bộ.")
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
                print(f"{r['branch']}\t{r['downloaded_at'] or 'chưa tải'}")
            print(f"{sum(1 for r in rows if r['downloaded_at'])}/{len(rows)} chi bộ đã tải về.")
    return 0


def add_comment_to_draft(args: argparse.Namespace, env: Env) -> int:
    from sync_server import admin

    with env.transaction() as session:
        comment_id = admin.add_comment(session, branch_id=args.branch,
                                       resolution_id=args.resolution, body=args.text,
                                       author=args.author, actor="admin")
        print(f"Đã ghi góp ý {comment_id}; chi bộ nhận được ở lần đồng bộ tới.")
    return 0
