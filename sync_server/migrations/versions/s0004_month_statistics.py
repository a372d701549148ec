"""the secretary's month: dues, monthly reports and meeting scores

Revision ID: s0004
Revises: s0003

The statistics of the dues, monthly reports and meeting scores records (issue 19) and the
commune's receipts of the reports. The statistics of records stored before this revision
are computed by ``db.upgrade`` (``sync_server.month_facts.rebuild``) once the schema is in
place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0004'
down_revision = 's0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_receipts',
    sa.Column('scope_id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('received_by', sa.String(length=120), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('scope_id', 'report_id', name=op.f('pk_report_receipts'))
    )
    op.create_table('stat_dues',
    sa.Column('scope_id', sa.String(length=36), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('collected', sa.BigInteger(), nullable=False),
    sa.Column('retained', sa.BigInteger(), nullable=False),
    sa.Column('sent_up', sa.BigInteger(), nullable=False),
    sa.Column('payments', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope_id', 'month', name=op.f('pk_stat_dues'))
    )
    with op.batch_alter_table('stat_dues', schema=None) as batch_op:
        batch_op.create_index('ix_stat_dues_month', ['month', 'path'], unique=False,
                              postgresql_ops={'path': 'text_pattern_ops'})
        batch_op.create_index('ix_stat_dues_path', ['path', 'month'], unique=False,
                              postgresql_ops={'path': 'text_pattern_ops'})
    with op.batch_alter_table('stat_meetings', schema=None) as batch_op:
        batch_op.create_index('ix_stat_meetings_path', ['path', 'month'], unique=False,
                              postgresql_ops={'path': 'text_pattern_ops'})

    op.create_table('stat_dues_flags',
    sa.Column('scope_id', sa.String(length=36), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('second', sa.Integer(), nullable=False),
    sa.Column('third', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('scope_id', 'member_id', 'year', name=op.f('pk_stat_dues_flags'))
    )
    with op.batch_alter_table('stat_dues_flags', schema=None) as batch_op:
        batch_op.create_index('ix_stat_dues_flags_year', ['year', 'third'], unique=False)

    op.create_table('stat_reports',
    sa.Column('scope_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope_id', 'id', name=op.f('pk_stat_reports'))
    )
    with op.batch_alter_table('stat_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stat_reports_month'), ['month'], unique=False)

    op.create_table('stat_scores',
    sa.Column('scope_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('meeting_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('grade', sa.String(length=40), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('scope_id', 'id', name=op.f('pk_stat_scores'))
    )
    with op.batch_alter_table('stat_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stat_scores_month'), ['month'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('stat_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stat_scores_month'))
    op.drop_table('stat_scores')
    with op.batch_alter_table('stat_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stat_reports_month'))
    op.drop_table('stat_reports')
    with op.batch_alter_table('stat_dues_flags', schema=None) as batch_op:
        batch_op.drop_index('ix_stat_dues_flags_year')
    op.drop_table('stat_dues_flags')
    with op.batch_alter_table('stat_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_stat_meetings_path', postgresql_ops={'path': 'text_pattern_ops'})
    with op.batch_alter_table('stat_dues', schema=None) as batch_op:
        batch_op.drop_index('ix_stat_dues_path', postgresql_ops={'path': 'text_pattern_ops'})
        batch_op.drop_index('ix_stat_dues_month', postgresql_ops={'path': 'text_pattern_ops'})
    op.drop_table('stat_dues')
    op.drop_table('report_receipts')
