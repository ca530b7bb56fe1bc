"""imports and api tokens: external ids (unique per unit) on employers, offers and participants;
uploaded import files; hashed API tokens.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa
import models.db


revision = '0015'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('last_used_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('user','integration')", name=op.f('ck_api_tokens_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_api_tokens_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_api_tokens_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('import_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('imported_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("format IN ('csv','xlsx','jsonl','jobtech')", name=op.f('ck_import_files_format')),
    sa.CheckConstraint("kind IN ('offers','participants')", name=op.f('ck_import_files_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_import_files_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_import_files_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_files'))
    )
    with op.batch_alter_table('import_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_files_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('import_unit_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_employers_import_unit_id'), ['import_unit_id', 'external_id'])
        batch_op.create_foreign_key(batch_op.f('fk_employers_import_unit_id_units'), 'units', ['import_unit_id'], ['id'])

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('import_unit_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_offers_import_unit_id'), ['import_unit_id', 'external_id'])
        batch_op.create_foreign_key(batch_op.f('fk_offers_import_unit_id_units'), 'units', ['import_unit_id'], ['id'])

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_participants_unit_id'), ['unit_id', 'external_id'])



def downgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_participants_unit_id'), type_='unique')
        batch_op.drop_column('external_id')

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_offers_import_unit_id_units'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_offers_import_unit_id'), type_='unique')
        batch_op.drop_column('import_unit_id')
        batch_op.drop_column('external_id')

    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_employers_import_unit_id_units'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_employers_import_unit_id'), type_='unique')
        batch_op.drop_column('import_unit_id')
        batch_op.drop_column('external_id')

    with op.batch_alter_table('import_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_files_unit_id'))

    op.drop_table('import_files')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
