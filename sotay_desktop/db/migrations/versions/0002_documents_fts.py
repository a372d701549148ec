"""Full-text index of documents over folded (diacritic-free) text.

Revision ID: 0002
Revises: 0001

An FTS5 table whose rowid is the documents row's rowid. It holds the folded
number, title, summary, issuer and body; passages are cut from the original
text in Python, so the index never needs the diacritics.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5("
        "head, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    # Documents written before this revision: index them now.
    from sotay_core.domain.text import fold

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT rowid, number, title, summary, issuer, tags, body_text FROM documents"
    )).all()
    for rowid, number, title, summary, issuer, tags, body in rows:
        conn.execute(
            sa.text("INSERT INTO documents_fts(rowid, head, body) VALUES (:r, :h, :b)"),
            {"r": rowid, "h": fold(f"{number} {title} {summary} {issuer} {tags}"),
             "b": fold(body or "")},
        )


def downgrade() -> None:
    op.execute("DROP TABLE documents_fts")
