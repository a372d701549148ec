"""statistics rolled up per unit directly above branches

Revision ID: s0009
Revises: s0008

``stat_units``, ``stat_unit_months``, ``stat_unit_reviews`` and ``stat_unit_members``: a
commune's branches' rows summed (their numbers and PCs; a month's meetings, dues, reports
and scores; a year's review; party numbers by status, gender, year of birth, ethnicity), so a merged province's pages (50,000 branches) add up ~170 rows per figure (issue
22); and indexes of the units' parents and of the reports', scores' and unpaid flags' months by path. Computed by ``db.upgrade``
(``sync_server.rollup.rebuild``) for the rows already kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0009'
down_revision = 's0008'
branch_labels = None
depends_on = None

MONTHS = ('held', 'present', 'marked', 'adopted', 'collected', 'retained', 'sent_up',
          'payments', 'keeping', 'thirds', 'reports_sent', 'reports_received', 'scored',
          'score_sum')
BIG = {'collected', 'retained', 'sent_up', 'score_sum'}
GRADES = ('excellent', 'good', 'fulfilled', 'not_fulfilled')
REVIEWS = ('started', 'sent', 'decided', 'members', *(f'grade_{g}' for g in GRADES),
           *(f'branch_{g}' for g in GRADES))


def _path_index(table: str, name: str, first: list[str]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(name, [*first, 'path'], unique=False,
                              postgresql_ops={'path': 'text_pattern_ops'})


def upgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index('ix_units_parent_id', ['parent_id'], unique=False)
    _path_index('stat_reports', 'ix_stat_reports_month_path', ['month'])
    _path_index('stat_scores', 'ix_stat_scores_month_path', ['month'])
    _path_index('stat_dues_flags', 'ix_stat_dues_flags_year_path', ['year'])
    op.create_table('stat_units',
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in (
        'branches', 'members', 'open_conflicts')],
    sa.Column('last_sync', sa.DateTime(), nullable=True),
    sa.Column('never_synced', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_stat_units'))
    )
    _path_index('stat_units', 'ix_stat_units_path', [])
    op.create_table('stat_unit_months',
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    *[sa.Column(name, sa.BigInteger() if name in BIG else sa.Integer(), nullable=False)
      for name in MONTHS],
    sa.PrimaryKeyConstraint('unit_id', 'month', name=op.f('pk_stat_unit_months'))
    )
    _path_index('stat_unit_months', 'ix_stat_unit_months_month', ['month'])
    op.create_table('stat_unit_reviews',
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in REVIEWS],
    sa.PrimaryKeyConstraint('unit_id', 'year', name=op.f('pk_stat_unit_reviews'))
    )
    _path_index('stat_unit_reviews', 'ix_stat_unit_reviews_year', ['year'])
    op.create_table('stat_unit_members',
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('value', sa.String(length=60), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', 'kind', 'value', name=op.f('pk_stat_unit_members'))
    )
    _path_index('stat_unit_members', 'ix_stat_unit_members_path', [])


def downgrade() -> None:
    for table, index in (('stat_unit_members', 'ix_stat_unit_members_path'),
                         ('stat_unit_reviews', 'ix_stat_unit_reviews_year'),
                         ('stat_unit_months', 'ix_stat_unit_months_month'),
                         ('stat_units', 'ix_stat_units_path')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index, postgresql_ops={'path': 'text_pattern_ops'})
        op.drop_table(table)
    for table, index in (('stat_dues_flags', 'ix_stat_dues_flags_year_path'),
                         ('stat_scores', 'ix_stat_scores_month_path'),
                         ('stat_reports', 'ix_stat_reports_month_path')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index, postgresql_ops={'path': 'text_pattern_ops'})
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('ix_units_parent_id')
