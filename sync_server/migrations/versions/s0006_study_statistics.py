"""political study: the plans published and the branches' counts on them

Revision ID: s0006
Revises: s0005

``study_publications`` (what was published to which unit, issue 21) and ``stat_study``
(the statistics of the study_plans and study_reports records). Those of records stored
before this revision are computed by ``db.upgrade`` (``sync_server.study_facts.rebuild``)
once the schema is in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0006'
down_revision = 's0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('study_publications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('to_unit', sa.String(length=36), nullable=False),
    sa.Column('to_path', sa.String(length=1000), nullable=False),
    sa.Column('issuer_unit', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('branches', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by', sa.String(length=120), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_publications'))
    )
    with op.batch_alter_table('study_publications', schema=None) as batch_op:
        batch_op.create_index('ix_study_publications_to_path', ['to_path'], unique=False,
                              postgresql_ops={'to_path': 'text_pattern_ops'})
    op.create_table('stat_study',
    sa.Column('plan_id', sa.String(length=36), nullable=False),
    sa.Column('scope_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('plan_live', sa.Boolean(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('reported', sa.Boolean(), nullable=False),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in (
        'targeted', 'studied', 'sessions', 'makeup_sessions', 'quiz_sat', 'quiz_passed')],
    sa.Column('histogram', sa.Text(), nullable=False),
    sa.Column('question_correct', sa.Text(), nullable=False),
    sa.Column('survey_present', sa.Integer(), nullable=False),
    sa.Column('survey_tallies', sa.Text(), nullable=False),
    sa.Column('survey_texts', sa.Text(), nullable=False),
    sa.Column('named', sa.Text(), nullable=False),
    sa.Column('updated_on', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('plan_id', 'scope_id', name=op.f('pk_stat_study'))
    )
    with op.batch_alter_table('stat_study', schema=None) as batch_op:
        batch_op.create_index('ix_stat_study_plan_path', ['plan_id', 'path'], unique=False,
                              postgresql_ops={'path': 'text_pattern_ops'})


def downgrade() -> None:
    with op.batch_alter_table('stat_study', schema=None) as batch_op:
        batch_op.drop_index('ix_stat_study_plan_path',
                            postgresql_ops={'path': 'text_pattern_ops'})
    op.drop_table('stat_study')
    with op.batch_alter_table('study_publications', schema=None) as batch_op:
        batch_op.drop_index('ix_study_publications_to_path',
                            postgresql_ops={'to_path': 'text_pattern_ops'})
    op.drop_table('study_publications')
