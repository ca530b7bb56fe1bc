"""planning rounds for a unit's manager and a region's coordinator; the suggestion queue's index.

A user may coordinate a region (`users.coordinates_region_id`); a round may cover a region
(`planning_rounds.region_id`, scope `region`); a round's line may be referred to the
participant's coach (status `referred`). `ix_matches_status_score` serves the suggestion queue
best score first without sorting a large unit's rows.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 02:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coordinates_region_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_coordinates_region_id'), ['coordinates_region_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_coordinates_region_id_regions'), 'regions', ['coordinates_region_id'], ['id'])

    with op.batch_alter_table('planning_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_planning_rounds_region_id'), ['region_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_planning_rounds_region_id_regions'), 'regions', ['region_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_planning_rounds_scope'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_planning_rounds_scope'), "scope IN ('caseload','unit','region')")

    with op.batch_alter_table('planning_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_planning_lines_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_planning_lines_status'), "status IN ('proposed','approved','referred')")

    op.create_index('ix_matches_status_score', 'matches', ['status', 'score'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_matches_status_score', table_name='matches')
    op.execute("UPDATE planning_lines SET status = 'proposed' WHERE status = 'referred'")
    op.execute("DELETE FROM planning_lines WHERE round_id IN (SELECT id FROM planning_rounds WHERE scope = 'region')")
    op.execute("DELETE FROM planning_rounds WHERE scope = 'region'")
    with op.batch_alter_table('planning_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_planning_lines_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_planning_lines_status'), "status IN ('proposed','approved')")

    with op.batch_alter_table('planning_rounds', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_planning_rounds_scope'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_planning_rounds_scope'), "scope IN ('caseload','unit')")
        batch_op.drop_constraint(batch_op.f('fk_planning_rounds_region_id_regions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_planning_rounds_region_id'))
        batch_op.drop_column('region_id')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_coordinates_region_id_regions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_coordinates_region_id'))
        batch_op.drop_column('coordinates_region_id')
