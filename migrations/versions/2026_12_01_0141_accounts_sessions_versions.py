"""accounts and sessions: a session token per user (server-side revocation), a forced password
change, and a version on participant profiles (no lost updates between two coaches).

Revision ID: 0141
Revises: 0142
Create Date: 2026-12-01 00:00:00
"""

from alembic import op
import sqlalchemy as sa
import models.db


revision = '0141'
down_revision = '0142'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_token', sa.String(length=64), server_default='', nullable=False))
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column('password_changed_at', models.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('participants') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('participants') as batch:
        batch.drop_column('version')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('password_changed_at')
        batch.drop_column('must_change_password')
        batch.drop_column('session_token')
