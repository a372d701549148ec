"""the annual review: statistics of the campaigns, proposals and decisions

Revision ID: s0005
Revises: s0004

The statistics of the review_campaigns, review_entries and review_decisions records (issue
20). Those of records stored before this revision are computed by ``db.upgrade``
(``sync_server.review_facts.rebuild``) once the schema is in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0005'
down_revision = 's0004'
branch_labels = None
depends_on = None

GRADES = ('excellent', 'good', 'fulfilled', 'not_fulfilled')


def upgrade() -> None:
    op.create_table('stat_reviews',
    sa.Column('scope_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    *[sa.Column(f'proposed_{g}', sa.Integer(), nullable=False) for g in GRADES],
    sa.Column('decided', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    *[sa.Column(f'decided_{g}', sa.Integer(), nullable=False) for g in GRADES],
    *[sa.Column(f'grade_{g}', sa.Integer(), nullable=False) for g in GRADES],
    sa.Column('branch_proposed', sa.String(length=16), nullable=False),
    sa.Column('branch_decided', sa.String(length=16), nullable=False),
    sa.Column('branch_grade', sa.String(length=16), nullable=False),
    sa.Column('decision_number', sa.String(length=60), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('scope_id', 'id', name=op.f('pk_stat_reviews'))
    )
    with op.batch_alter_table('stat_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_stat_reviews_year', ['year', 'path'], unique=False,
                              postgresql_ops={'path': 'text_pattern_ops'})


def downgrade() -> None:
    with op.batch_alter_table('stat_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_stat_reviews_year', postgresql_ops={'path': 'text_pattern_ops'})
    op.drop_table('stat_reviews')
