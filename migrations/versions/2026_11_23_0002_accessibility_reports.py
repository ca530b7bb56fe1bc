"""accessibility reports: problems reported from the accessibility statement page.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 06:44:56.335443
"""

from alembic import op
import sqlalchemy as sa
import models.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('accessibility_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=500), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=254), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('handled_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_accessibility_reports_handled_by_id_users')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_accessibility_reports_reported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accessibility_reports'))
    )


def downgrade() -> None:
    op.drop_table('accessibility_reports')
