"""stateless nodes: unfinished uploads' parts and rate-limit failures in the database

Revision ID: s0008
Revises: s0007

Issue 22: several server nodes behind a load balancer share nothing but the database and the
file storage, so the parts of an unfinished upload (when files live in shared storage) and the
failures a rate limit counts move from one process's memory or disk into these tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0008'
down_revision = 's0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('upload_chunks',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', 'sha256', 'offset', name=op.f('pk_upload_chunks'))
    )
    op.create_index('ix_upload_chunks_at', 'upload_chunks', ['at'], unique=False)
    op.create_table('rate_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_events'))
    )
    op.create_index('ix_rate_events_kind_key_at', 'rate_events', ['kind', 'key', 'at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_rate_events_kind_key_at', table_name='rate_events')
    op.drop_table('rate_events')
    op.drop_index('ix_upload_chunks_at', table_name='upload_chunks')
    op.drop_table('upload_chunks')
