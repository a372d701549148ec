"""political study: a plan's figures summed per unit directly above branches

Revision ID: s0007
Revises: s0006

``stat_study_units``: the quiz's and survey's lists of a plan summed over the branches of one
commune, so the province's plan page adds up ~140 rows instead of 17,000 reports' lists
(issue 21). Computed by ``db.upgrade`` (``sync_server.study_facts.rebuild``) for the rows
already kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0007'
down_revision = 's0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stat_study_units',
    sa.Column('plan_id', sa.String(length=36), nullable=False),
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in (
        'branches', 'reported', 'quiz_sat', 'survey_present')],
    *[sa.Column(name, sa.Text(), nullable=False) for name in (
        'histogram', 'question_correct', 'survey_tallies', 'survey_written')],
    sa.PrimaryKeyConstraint('plan_id', 'unit_id', name=op.f('pk_stat_study_units'))
    )
    with op.batch_alter_table('stat_study_units', schema=None) as batch_op:
        batch_op.create_index('ix_stat_study_units_plan_path', ['plan_id', 'path'],
                              unique=False, postgresql_ops={'path': 'text_pattern_ops'})


def downgrade() -> None:
    with op.batch_alter_table('stat_study_units', schema=None) as batch_op:
        batch_op.drop_index('ix_stat_study_units_plan_path',
                            postgresql_ops={'path': 'text_pattern_ops'})
    op.drop_table('stat_study_units')
