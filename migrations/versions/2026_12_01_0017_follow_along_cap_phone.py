"""follow-along support after a job start, the employer's cap on open candidates and
"publish at once when verified", and a coach's work phone.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 02:01:08.601343
"""

import sqlalchemy as sa
from alembic import op

import models.db

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follow_along_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=True),
        sa.Column("employer_name", sa.String(length=200), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("planned_end_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= start_on",
            name=op.f("ck_follow_along_support_ended_after_start"),
        ),
        sa.CheckConstraint(
            "planned_end_on IS NULL OR planned_end_on >= start_on",
            name=op.f("ck_follow_along_support_planned_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_follow_along_support_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_follow_along_support_match_id_matches")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_follow_along_support_participant_id_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_along_support")),
    )
    with op.batch_alter_table("follow_along_support", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_along_support_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "follow_along_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_id", sa.Integer(), nullable=False),
        sa.Column("contact_on", sa.Date(), nullable=False),
        sa.Column("with_whom", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('visit','phone','video')", name=op.f("ck_follow_along_contacts_channel")
        ),
        sa.CheckConstraint(
            "with_whom IN ('participant','employer','supervisor')",
            name=op.f("ck_follow_along_contacts_with_whom"),
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["users.id"], name=op.f("fk_follow_along_contacts_coach_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["support_id"],
            ["follow_along_support.id"],
            name=op.f("fk_follow_along_contacts_support_id_follow_along_support"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_along_contacts")),
    )
    with op.batch_alter_table("follow_along_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_along_contacts_support_id"), ["support_id"], unique=False
        )

    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "publish_on_verification", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )

    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_open_candidates", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "publish_on_verification", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.create_check_constraint(
            "max_open_candidates", "max_open_candidates IS NULL OR max_open_candidates >= 1"
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone", sa.String(length=40), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("phone")

    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_offers_max_open_candidates"), type_="check")
        batch_op.drop_column("publish_on_verification")
        batch_op.drop_column("max_open_candidates")

    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.drop_column("publish_on_verification")

    with op.batch_alter_table("follow_along_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_along_contacts_support_id"))

    op.drop_table("follow_along_contacts")
    with op.batch_alter_table("follow_along_support", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_along_support_participant_id"))

    op.drop_table("follow_along_support")
