"""initial schema: units, users, employers, offers, participants, matches, placements,
progression, audit log, jobs and notifications.

The audit log is append-only: triggers refuse UPDATE and DELETE on both dialects.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import models.db


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('employers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('org_number', sa.String(length=11), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('verified_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employers')),
    sa.UniqueConstraint('org_number', name=op.f('uq_employers_org_number'))
    )
    op.create_table('outbox_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=120), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('sent_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_emails')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_emails_dedupe_key'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('county', sa.String(length=100), nullable=False),
    sa.Column('export_personnummer', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('name', name=op.f('uq_units_name'))
    )
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label_sv', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=False),
    sa.Column('answered_by', sa.String(length=12), nullable=False),
    sa.Column('scale_min', sa.Integer(), nullable=False),
    sa.Column('scale_max', sa.Integer(), nullable=False),
    sa.Column('anchors', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_indicators_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_unit_id'), ['unit_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('admin','coach','employer','participant')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], name=op.f('fk_users_employer_id_employers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_users_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_role'), ['role'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_unit_id'), ['unit_id'], unique=False)

    op.create_table('workplaces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=6), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('geocode_status', sa.String(length=20), nullable=False),
    sa.Column('geocoded_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accessibility', sa.JSON(), nullable=False),
    sa.Column('public_transport', sa.Text(), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], name=op.f('fk_workplaces_employer_id_employers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workplaces'))
    )
    with op.batch_alter_table('workplaces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workplaces_employer_id'), ['employer_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('subject_type', sa.String(length=30), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_subject_id'), ['subject_id'], unique=False)

    op.create_table('job_runs',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('subject_type', sa.String(length=30), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('progress', sa.Double(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_job_runs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_runs_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_runs_subject_id'), ['subject_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('read_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)

    op.create_table('offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('workplace_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('tasks', sa.Text(), nullable=False),
    sa.Column('occupation', sa.String(length=200), nullable=False),
    sa.Column('skills_required', sa.JSON(), nullable=False),
    sa.Column('skills_desired', sa.JSON(), nullable=False),
    sa.Column('hours_min', sa.Double(), nullable=True),
    sa.Column('hours_max', sa.Double(), nullable=True),
    sa.Column('swedish_level', sa.String(length=10), nullable=False),
    sa.Column('requires_driving_licence', sa.Boolean(), nullable=False),
    sa.Column('physical_demands', sa.JSON(), nullable=False),
    sa.Column('accessibility', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('filled', sa.Integer(), nullable=False),
    sa.Column('leads_to_employment', sa.String(length=5), nullable=True),
    sa.Column('supervisor_name', sa.String(length=200), nullable=False),
    sa.Column('supervisor_email', sa.String(length=254), nullable=False),
    sa.Column('supervisor_phone', sa.String(length=40), nullable=False),
    sa.Column('start_from', sa.Date(), nullable=True),
    sa.Column('start_until', sa.Date(), nullable=True),
    sa.Column('duration_weeks', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('published_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('praktik','arbetstraning','arbetsprovning','other')", name=op.f('ck_offers_kind')),
    sa.CheckConstraint("status IN ('draft','published','paused','closed')", name=op.f('ck_offers_status')),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_offers_capacity_nonnegative')),
    sa.CheckConstraint('filled >= 0 AND filled <= capacity', name=op.f('ck_offers_filled_within_capacity')),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], name=op.f('fk_offers_employer_id_employers')),
    sa.ForeignKeyConstraint(['workplace_id'], ['workplaces.id'], name=op.f('fk_offers_workplace_id_workplaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offers_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_workplace_id'), ['workplace_id'], unique=False)

    op.create_table('participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=6), nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('protected_identity', sa.Boolean(), nullable=False),
    sa.Column('personnummer', sa.String(length=13), nullable=True),
    sa.Column('gender', sa.String(length=12), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('target_group', sa.String(length=30), nullable=False),
    sa.Column('support_level', sa.Integer(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('interests', sa.JSON(), nullable=False),
    sa.Column('max_commute_km', sa.Double(), nullable=True),
    sa.Column('hours_min', sa.Double(), nullable=True),
    sa.Column('hours_max', sa.Double(), nullable=True),
    sa.Column('swedish_level', sa.String(length=10), nullable=False),
    sa.Column('driving_licence', sa.Boolean(), nullable=False),
    sa.Column('cannot', sa.JSON(), nullable=False),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('health_notes', sa.Text(), nullable=False),
    sa.Column('consent', sa.JSON(), nullable=False),
    sa.Column('enrolled_on', sa.Date(), nullable=False),
    sa.Column('exited_on', sa.Date(), nullable=True),
    sa.Column('exit_outcome', sa.String(length=30), nullable=True),
    sa.Column('outcome_6m', sa.String(length=30), nullable=True),
    sa.Column('outcome_6m_on', sa.Date(), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("gender IN ('woman','man','other','not_stated')", name=op.f('ck_participants_gender')),
    sa.CheckConstraint('support_level BETWEEN 1 AND 3', name=op.f('ck_participants_support_level')),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_participants_coach_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_participants_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_participants_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants')),
    sa.UniqueConstraint('user_id', name=op.f('uq_participants_user_id'))
    )
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participants_coach_id'), ['coach_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participants_unit_id'), ['unit_id'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('respondent', sa.String(length=12), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("respondent IN ('participant','coach')", name=op.f('ck_assessments_respondent')),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'], name=op.f('fk_assessments_assessed_by_id_users')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_assessments_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_assessments_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_participant_id'), ['participant_id'], unique=False)

    op.create_table('coach_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('from_coach_id', sa.Integer(), nullable=True),
    sa.Column('to_coach_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_coach_changes_changed_by_id_users')),
    sa.ForeignKeyConstraint(['from_coach_id'], ['users.id'], name=op.f('fk_coach_changes_from_coach_id_users')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_coach_changes_participant_id_participants')),
    sa.ForeignKeyConstraint(['to_coach_id'], ['users.id'], name=op.f('fk_coach_changes_to_coach_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coach_changes'))
    )
    with op.batch_alter_table('coach_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coach_changes_participant_id'), ['participant_id'], unique=False)

    op.create_table('correction_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('handled_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_correction_requests_handled_by_id_users')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_correction_requests_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correction_requests'))
    )
    with op.batch_alter_table('correction_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_requests_participant_id'), ['participant_id'], unique=False)

    op.create_table('matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('components', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('gaps', sa.JSON(), nullable=False),
    sa.Column('distance_km', sa.Double(), nullable=True),
    sa.Column('engine_version', sa.String(length=40), nullable=False),
    sa.Column('computed_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rejection_reason', sa.String(length=20), nullable=True),
    sa.Column('rejection_note', sa.Text(), nullable=False),
    sa.Column('coach_note', sa.Text(), nullable=False),
    sa.Column('participant_comment', sa.Text(), nullable=False),
    sa.Column('participant_answered_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('employer_comment', sa.Text(), nullable=False),
    sa.Column('employer_answered_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('proposed_at', models.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_matches_decided_by_id_users')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_matches_offer_id_offers')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_matches_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matches')),
    sa.UniqueConstraint('participant_id', 'offer_id', name='pair')
    )
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matches_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matches_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matches_status'), ['status'], unique=False)

    op.create_table('placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('hours_per_week', sa.Double(), nullable=True),
    sa.Column('supervisor_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['match_id'], ['matches.id'], name=op.f('fk_placements_match_id_matches')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_placements_offer_id_offers')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_placements_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placements')),
    sa.UniqueConstraint('match_id', name=op.f('uq_placements_match_id'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placements_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_participant_id'), ['participant_id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_activities_participant_id_participants')),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_activities_placement_id_placements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_participant_id'), ['participant_id'], unique=False)

    op.create_table('placement_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('author_role', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('days_expected', sa.Integer(), nullable=True),
    sa.Column('days_attended', sa.Integer(), nullable=True),
    sa.Column('created_at', models.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_placement_notes_author_id_users')),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_placement_notes_placement_id_placements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_notes'))
    )
    with op.batch_alter_table('placement_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_notes_placement_id'), ['placement_id'], unique=False)

    # employers.verified_by_id -> users.id closes a cycle (users.employer_id -> employers.id),
    # so it is added once both tables exist.
    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.create_foreign_key(
            op.f('fk_employers_verified_by_id_users'), 'users', ['verified_by_id'], ['id']
        )
    _audit_append_only()


AUDIT_TRIGGERS_PG = (
    """
    CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
    """,
)
AUDIT_TRIGGERS_SQLITE = (
    """
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END
    """,
    """
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END
    """,
)


def _audit_append_only() -> None:
    dialect = op.get_bind().dialect.name
    statements = AUDIT_TRIGGERS_PG if dialect == 'postgresql' else AUDIT_TRIGGERS_SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events')
        op.execute('DROP FUNCTION IF EXISTS audit_events_append_only()')
    else:
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_update')
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_delete')
    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_employers_verified_by_id_users'), type_='foreignkey')
    with op.batch_alter_table('placement_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_notes_placement_id'))

    op.drop_table('placement_notes')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_participant_id'))

    op.drop_table('activities')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placements_participant_id'))
        batch_op.drop_index(batch_op.f('ix_placements_offer_id'))

    op.drop_table('placements')
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matches_status'))
        batch_op.drop_index(batch_op.f('ix_matches_participant_id'))
        batch_op.drop_index(batch_op.f('ix_matches_offer_id'))

    op.drop_table('matches')
    with op.batch_alter_table('correction_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correction_requests_participant_id'))

    op.drop_table('correction_requests')
    with op.batch_alter_table('coach_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coach_changes_participant_id'))

    op.drop_table('coach_changes')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_participant_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_indicator_id'))

    op.drop_table('assessments')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participants_unit_id'))
        batch_op.drop_index(batch_op.f('ix_participants_coach_id'))

    op.drop_table('participants')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offers_workplace_id'))
        batch_op.drop_index(batch_op.f('ix_offers_status'))
        batch_op.drop_index(batch_op.f('ix_offers_employer_id'))

    op.drop_table('offers')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_user_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_created_at'))

    op.drop_table('notifications')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_subject_id'))
        batch_op.drop_index(batch_op.f('ix_job_runs_name'))
        batch_op.drop_index(batch_op.f('ix_job_runs_created_at'))

    op.drop_table('job_runs')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_subject_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    with op.batch_alter_table('workplaces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workplaces_employer_id'))

    op.drop_table('workplaces')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_unit_id'))
        batch_op.drop_index(batch_op.f('ix_users_role'))
        batch_op.drop_index(batch_op.f('ix_users_employer_id'))

    op.drop_table('users')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_unit_id'))

    op.drop_table('indicators')
    op.drop_table('units')
    op.drop_table('outbox_emails')
    op.drop_table('employers')
