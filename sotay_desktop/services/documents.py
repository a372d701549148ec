"""The documents library: add a file with its metadata, search it, bookmark it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from sotay_core.domain.entities import DocumentOrigin, stored
from sotay_core.domain.errors import NotFoundError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field, clean_text_field
from sotay_core.domain.rules import parse_document_number
from sotay_core.domain.text import fold, fold_words, passage
from sotay_core.i18n import t
from sotay_desktop.db.tables import BookmarkRow, DocumentRow, FileRow
from sotay_desktop.documents.extract import EXTENSION, MIME, extract
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.files import check_size, store_file
from sotay_desktop.services.recording import record_change

DOCUMENT_CHANGES = Changes.of("documents", "files")
TEXT_FIELDS = {"number": 60, "issuer": 200, "title": 500, "tags": 500, "doc_type": 16}


@dataclass(frozen=True, slots=True)
class DocumentHit:
    id: str
    number: str
    title: str
    issued_on: dt.date | None
    issuer: str
    origin: DocumentOrigin
    bookmarked: bool
    passage: str
    has_file: bool


@dataclass(frozen=True, slots=True)
class DocumentAdded:
    id: str
    title: str
    kind: str
    legacy_encoding: str
    has_text: bool
    truncated: bool


def clean_metadata(data: Mapping[str, Any], *, today: dt.date) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name in TEXT_FIELDS:
            clean[name] = clean_text_field(name, value)[: TEXT_FIELDS[name]]
        elif name == "summary":
            clean[name] = clean_text_field("notes", value)
        elif name == "issued_on":
            clean[name] = clean_date_field("issued_on", value, today=today)
        elif name == "origin":
            try:
                clean[name] = DocumentOrigin(value)
            except ValueError:
                raise ValidationError("bad_choice", field="origin", value=value,
                                      choices=", ".join(o.value for o in DocumentOrigin)) from None
        else:
            raise ValidationError("unknown_field", field=name)
    number = parse_document_number(clean.get("number", ""))
    if number is not None and not clean.get("doc_type"):
        clean["doc_type"] = number.type_code
    return clean


_HEAD_FIELDS = ("number", "title", "summary", "issuer", "tags")
_FTS_INSERT = "INSERT INTO documents_fts(rowid, head, body) VALUES (:r, :h, :b)"


def _fts_params(rowid: int, values: Mapping[str, Any]) -> dict[str, Any]:
    """What the index holds for one document: folded head fields and folded body."""
    return {"r": rowid, "h": fold(" ".join(str(values[k] or "") for k in _HEAD_FIELDS)),
            "b": fold(values["body_text"] or "")}


def reindex(session: Session, row: DocumentRow) -> None:
    """Rewrite one document's entry in the full-text index."""
    rowid = session.execute(text("SELECT rowid FROM documents WHERE id = :id"),
                            {"id": row.id}).scalar_one()
    session.execute(text("DELETE FROM documents_fts WHERE rowid = :r"), {"r": rowid})
    values = {k: getattr(row, k) for k in (*_HEAD_FIELDS, "body_text")}
    session.execute(text(_FTS_INSERT), _fts_params(rowid, values))


def index_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Index documents written by a bulk insert (the demo), in one statement per batch."""
    rowids: dict[str, int] = dict(session.execute(
        text("SELECT id, rowid FROM documents WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)), {"ids": [r["id"] for r in rows]}).all())
    session.execute(text(_FTS_INSERT), [_fts_params(rowids[r["id"]], r) for r in rows])


def add_document(
    session: Session,
    *,
    files_dir: Path,
    unit_id: str,
    path: Path,
    metadata: Mapping[str, Any],
    today: dt.date,
) -> tuple[DocumentAdded, Changes]:
    """Check the metadata, read the file's text, store the file once, index the text."""
    clean = clean_metadata(metadata, today=today)
    check_size(path)            # a 2 GB file is refused before a single byte is read
    extracted = extract(path)   # a damaged or protected file stops here, before any write
    sha, size = store_file(files_dir, path)
    if session.get(FileRow, sha) is None:
        session.add(FileRow(sha256=sha, size=size, mime=MIME[extracted.kind], present=True))
        session.flush()  # no relationship() orders the inserts, so the file row goes first
    name = path.name if path.suffix else path.name + EXTENSION[extracted.kind]
    row = DocumentRow(
        id=new_id(), unit_id=unit_id, origin=clean.get("origin", DocumentOrigin.FROM_ABOVE).value,
        doc_type=clean.get("doc_type", ""), number=clean.get("number", ""),
        issued_on=clean.get("issued_on"), issuer=clean.get("issuer", ""),
        title=clean.get("title") or path.stem, summary=clean.get("summary", ""),
        tags=clean.get("tags", ""), file_sha256=sha, file_name=name,
        body_text=extracted.text, search_key="",
    )
    session.add(row)
    session.flush()
    reindex(session, row)
    record_change(session, entity="documents", row_id=row.id, op="create", base_version=0,
                  fields={k: (v.value if isinstance(v, DocumentOrigin) else v)
                          for k, v in clean.items()}
                  | {"file_sha256": sha, "file_name": name, "title": row.title,
                     "unit_id": unit_id})
    added = DocumentAdded(row.id, row.title, extracted.kind.value, extracted.legacy_encoding,
                          bool(extracted.text.strip()), extracted.truncated)
    return added, DOCUMENT_CHANGES


def _fts_query(query: str) -> str:
    return " AND ".join(f'"{word}"*' for word in fold_words(query))


def search_documents(
    session: Session,
    *,
    query: str = "",
    origin: DocumentOrigin | None = None,
    bookmarked_only: bool = False,
    limit: int = 200,
) -> list[DocumentHit]:
    """Documents matching every query word (diacritics ignored), best first, with a passage.

    With no query: the newest first.
    """
    bookmarked = set(session.scalars(
        select(BookmarkRow.document_id).where(BookmarkRow.deleted.is_(False))))
    conditions = ["d.deleted = 0"]
    params: dict[str, Any] = {"limit": limit}
    if origin is not None:
        conditions.append("d.origin = :origin")
        params["origin"] = origin.value
    if bookmarked_only:
        if not bookmarked:
            return []
        conditions.append("d.id IN (SELECT document_id FROM bookmarks WHERE deleted = 0)")
    where = " AND ".join(conditions)
    columns = "d.id, d.number, d.title, d.issued_on, d.issuer, d.origin, d.body_text, " \
              "d.summary, d.file_sha256"
    if fold_words(query):
        params["q"] = _fts_query(query)
        sql = (f"SELECT {columns} FROM documents_fts f JOIN documents d ON d.rowid = f.rowid "
               f"WHERE documents_fts MATCH :q AND {where} "
               "ORDER BY bm25(documents_fts, 5.0, 1.0) LIMIT :limit")
    else:
        sql = (f"SELECT {columns} FROM documents d WHERE {where} "
               "ORDER BY d.issued_on DESC, d.created_at DESC LIMIT :limit")
    hits = []
    for row in session.execute(text(sql), params):
        body = row.body_text or row.summary or ""
        issued = row.issued_on
        if isinstance(issued, str):
            issued = dt.date.fromisoformat(issued)
        hits.append(DocumentHit(
            id=row.id, number=row.number, title=row.title, issued_on=issued,
            issuer=row.issuer, origin=stored(DocumentOrigin, row.origin, DocumentOrigin.OWN),
            bookmarked=row.id in bookmarked, passage=passage(body, query),
            has_file=row.file_sha256 is not None))
    return hits


def document_file(session: Session, document_id: str) -> tuple[str, str]:
    """(sha256, original file name) of a document that has a file."""
    row = session.get(DocumentRow, document_id)
    if row is None or row.deleted or row.file_sha256 is None:
        raise NotFoundError("not_found", what=t("document"), id=document_id)
    return row.file_sha256, row.file_name


def set_bookmark(session: Session, *, document_id: str, on: bool, note: str = "") -> Changes:
    """Mark or unmark "đọc sau"; unmarking keeps the row (marked deleted) for sync."""
    if session.get(DocumentRow, document_id) is None:
        raise NotFoundError("not_found", what=t("document"), id=document_id)
    existing = session.scalars(select(BookmarkRow).where(
        BookmarkRow.document_id == document_id)).first()
    if existing is None:
        if not on:
            return Changes()
        existing = BookmarkRow(id=new_id(), document_id=document_id, note=note)
        session.add(existing)
        session.flush()
        record_change(session, entity="bookmarks", row_id=existing.id, op="create",
                      base_version=0, fields={"document_id": document_id, "note": note})
        return Changes.of("bookmarks")
    if existing.deleted == (not on):
        return Changes()
    existing.deleted = not on
    record_change(session, entity="bookmarks", row_id=existing.id, op="update",
                  base_version=existing.version, fields={"deleted": [on, not on]})
    return Changes.of("bookmarks")
