"""regions, offer sharing, employer home unit and contact log, unit default commuting limit.

An employer verified before this revision gets the verifying coach's unit as its home unit.

Revision ID: 0011
Revises: 0141
Create Date: 2026-11-30 20:46:25.672189
"""

from alembic import op
import sqlalchemy as sa
import models.db


revision = '0011'
down_revision = '0141'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('name', name=op.f('uq_regions_name'))
    )
    op.create_table('employer_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('person', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('phone','email','meeting','visit','other')", name=op.f('ck_employer_contacts_channel')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_employer_contacts_author_id_users')),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], name=op.f('fk_employer_contacts_employer_id_employers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_employer_contacts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer_contacts'))
    )
    with op.batch_alter_table('employer_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_contacts_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_contacts_unit_id'), ['unit_id'], unique=False)

    op.create_table('offer_partner_units',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_offer_partner_units_offer_id_offers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_offer_partner_units_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offer_id', 'unit_id', name=op.f('pk_offer_partner_units'))
    )
    with op.batch_alter_table('offer_partner_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_partner_units_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_employers_home_unit_id'), ['home_unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_employers_home_unit_id_units'), 'units', ['home_unit_id'], ['id'])

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sharing', sa.String(length=10), server_default='region', nullable=False))
        batch_op.create_check_constraint(op.f('ck_offers_sharing'), "sharing IN ('unit','partners','region')")

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('default_max_commute_km', sa.Double(), server_default='40', nullable=False))
        batch_op.create_index(batch_op.f('ix_units_region_id'), ['region_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_units_region_id_regions'), 'regions', ['region_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_units_default_max_commute_km_range'), 'default_max_commute_km > 0 AND default_max_commute_km <= 1000')

    op.execute(
        "UPDATE employers SET home_unit_id = (SELECT users.unit_id FROM users"
        " WHERE users.id = employers.verified_by_id) WHERE verified_by_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_units_default_max_commute_km_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_units_region_id_regions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_units_region_id'))
        batch_op.drop_column('default_max_commute_km')
        batch_op.drop_column('region_id')

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_offers_sharing'), type_='check')
        batch_op.drop_column('sharing')

    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_employers_home_unit_id_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_employers_home_unit_id'))
        batch_op.drop_column('home_unit_id')

    with op.batch_alter_table('offer_partner_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_partner_units_unit_id'))

    op.drop_table('offer_partner_units')
    with op.batch_alter_table('employer_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_contacts_unit_id'))
        batch_op.drop_index(batch_op.f('ix_employer_contacts_employer_id'))

    op.drop_table('employer_contacts')
    op.drop_table('regions')
