"""planning rounds (proposed lines a coach reviews) and the chunks of a fanned-out refresh.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 20:57:16.111655
"""

from alembic import op
import sqlalchemy as sa
import models.db


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('planning_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('exposure_multiple', sa.Double(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('open_slots', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("mode IN ('stable','optimal')", name=op.f('ck_planning_rounds_mode')),
    sa.CheckConstraint("scope IN ('caseload','unit')", name=op.f('ck_planning_rounds_scope')),
    sa.CheckConstraint("status IN ('queued','running','ready','failed')", name=op.f('ck_planning_rounds_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_planning_rounds_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_planning_rounds_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_rounds'))
    )
    with op.batch_alter_table('planning_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planning_rounds_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planning_rounds_unit_id'), ['unit_id'], unique=False)

    op.create_table('refresh_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chunk_size', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_refresh_runs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refresh_runs'))
    )
    op.create_table('refresh_chunks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('suggested', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Double(), nullable=True),
    sa.Column('worker', sa.String(length=100), nullable=False),
    sa.Column('peak_rss_mb', sa.Double(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('started_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued','running','done','failed')", name=op.f('ck_refresh_chunks_status')),
    sa.ForeignKeyConstraint(['run_id'], ['refresh_runs.id'], name=op.f('fk_refresh_chunks_run_id_refresh_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refresh_chunks')),
    sa.UniqueConstraint('run_id', 'number', name=op.f('uq_refresh_chunks_run_id'))
    )
    with op.batch_alter_table('refresh_chunks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refresh_chunks_status'), ['status'], unique=False)

    op.create_table('planning_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('engine_offer_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('none_reason', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('proposed','approved')", name=op.f('ck_planning_lines_status')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_planning_lines_changed_by_id_users')),
    sa.ForeignKeyConstraint(['engine_offer_id'], ['offers.id'], name=op.f('fk_planning_lines_engine_offer_id_offers')),
    sa.ForeignKeyConstraint(['match_id'], ['matches.id'], name=op.f('fk_planning_lines_match_id_matches')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_planning_lines_offer_id_offers')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_planning_lines_participant_id_participants')),
    sa.ForeignKeyConstraint(['round_id'], ['planning_rounds.id'], name=op.f('fk_planning_lines_round_id_planning_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_lines')),
    sa.UniqueConstraint('round_id', 'participant_id', name=op.f('uq_planning_lines_round_id'))
    )
    with op.batch_alter_table('planning_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planning_lines_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planning_lines_participant_id'), ['participant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('planning_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planning_lines_participant_id'))
        batch_op.drop_index(batch_op.f('ix_planning_lines_offer_id'))

    op.drop_table('planning_lines')
    with op.batch_alter_table('refresh_chunks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refresh_chunks_status'))

    op.drop_table('refresh_chunks')
    op.drop_table('refresh_runs')
    with op.batch_alter_table('planning_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planning_rounds_unit_id'))
        batch_op.drop_index(batch_op.f('ix_planning_rounds_created_by_id'))

    op.drop_table('planning_rounds')
