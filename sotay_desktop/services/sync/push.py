"""What this PC sends: its outbox as the wire's mutations, in one sync request."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.protocol import MAX_MUTATIONS, PROTOCOL_VERSION, Mutation, SyncRequest
from sotay_desktop.db import schema_version
from sotay_desktop.db.tables import FileRow, OutboxRow
from sotay_desktop.services.sync.account import cursors
from sotay_desktop.services.sync.rows import TABLES, row_fields


def pending_mutations(session: Session, limit: int = MAX_MUTATIONS) -> list[Mutation]:
    rows = session.scalars(select(OutboxRow).order_by(OutboxRow.mutation_id).limit(limit))
    out = []
    for row in rows:
        fields = json.loads(row.fields)
        if row.op in ("create", "add") and row.entity in TABLES:
            # A create carries the whole row as it is now: services record only what the
            # user typed, and the other PCs must get every column (extracted text too).
            current = session.get(TABLES[row.entity], row.row_id)
            if current is not None:
                fields = row_fields(row.entity, current)
        if row.entity == "documents" and row.op == "create" and fields.get("file_sha256"):
            f = session.get(FileRow, fields["file_sha256"])
            if f is not None:
                fields |= {"file_size": f.size, "file_mime": f.mime}
        out.append(Mutation(id=row.mutation_id, entity=row.entity, row_id=row.row_id,
                            op=row.op, base_version=row.base_version,
                            fields=fields, schema_version=row.schema_version))
    return out


def build_request(session: Session, *, pull: bool = True,
                  limit: int = MAX_MUTATIONS) -> SyncRequest:
    return SyncRequest(protocol=PROTOCOL_VERSION, schema_version=schema_version.HEAD,
                       mutations=pending_mutations(session, limit), cursors=cursors(session),
                       pull=pull)
