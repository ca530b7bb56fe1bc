"""journal notes, meetings, and the participant's statement for each indicator.

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-01 09:00:00
"""

from alembic import op
import sqlalchemy as sa
import models.db


revision = '0012'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('journal_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_journal_notes_author_id_users')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_journal_notes_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_notes'))
    )
    op.create_index(op.f('ix_journal_notes_participant_id'), 'journal_notes', ['participant_id'], unique=False)
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('starts_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_meetings_coach_id_users')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_meetings_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    op.create_index(op.f('ix_meetings_participant_id'), 'meetings', ['participant_id'], unique=False)
    with op.batch_alter_table('indicators') as batch:
        batch.add_column(sa.Column('statement_sv', sa.String(length=300), nullable=False, server_default=''))
        batch.add_column(sa.Column('statement_en', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('indicators') as batch:
        batch.alter_column('statement_sv', server_default=None)
        batch.alter_column('statement_en', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('indicators') as batch:
        batch.drop_column('statement_en')
        batch.drop_column('statement_sv')
    op.drop_index(op.f('ix_meetings_participant_id'), table_name='meetings')
    op.drop_table('meetings')
    op.drop_index(op.f('ix_journal_notes_participant_id'), table_name='journal_notes')
    op.drop_table('journal_notes')
