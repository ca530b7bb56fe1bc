"""The placement agreement (överenskommelse), attendance by week, and the supervisor's side.

An agreement is versioned: every change after it was written makes a new row with the next
`version`, and confirmations belong to one version, so a change after confirmation needs
confirming again. The placement may start only when the newest version is confirmed by the
participant, the employer and the coach, or when the coach has recorded a paper signature
(audited). The rules live in `services.agreements`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow

PARTIES = ("participant", "employer", "coach")


class PlacementAgreement(Base):
    __tablename__ = "placement_agreements"
    __table_args__ = (UniqueConstraint("placement_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    start_on: Mapped[date]
    end_on: Mapped[date]
    hours_per_week: Mapped[float | None]
    schedule: Mapped[str] = mapped_column(Text, default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    supervisor_name: Mapped[str] = mapped_column(String(200), default="")
    supervisor_phone: Mapped[str] = mapped_column(String(40), default="")
    supervisor_email: Mapped[str] = mapped_column(String(254), default="")
    contacts: Mapped[str] = mapped_column(Text, default="")
    support: Mapped[str] = mapped_column(Text, default="")
    insurance: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A signature on paper, recorded by the coach instead of the three confirmations in the app.
    paper_signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paper_signed_at: Mapped[datetime | None]
    paper_note: Mapped[str] = mapped_column(Text, default="")

    confirmations: Mapped[list[AgreementConfirmation]] = relationship(
        back_populates="agreement", order_by="AgreementConfirmation.confirmed_at"
    )


class AgreementConfirmation(Base):
    """One party's confirmation of one version, with who and when."""

    __tablename__ = "agreement_confirmations"
    __table_args__ = (
        UniqueConstraint("agreement_id", "party"),
        CheckConstraint("party IN ('participant','employer','coach')", name="party"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("placement_agreements.id"), index=True)
    party: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[PlacementAgreement] = relationship(back_populates="confirmations")


class PlacementWeek(Base):
    """Attendance for one week (Monday) of a placement: hours planned and done, by the
    supervisor or the coach. One row per week; a second entry for the same week must say which
    version it replaces (`version_id`), so two people never silently overwrite each other."""

    __tablename__ = "placement_weeks"
    __table_args__ = (
        UniqueConstraint("placement_id", "week_start"),
        CheckConstraint("hours_done >= 0 AND hours_done <= 80", name="hours_done"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    week_start: Mapped[date]
    hours_planned: Mapped[float | None]
    hours_done: Mapped[float]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}


class SupervisorAssessment(Base):
    """The supervisor's short assessment at mid-point or end of a placement."""

    __tablename__ = "supervisor_assessments"
    __table_args__ = (
        UniqueConstraint("placement_id", "stage"),
        CheckConstraint("stage IN ('mid','end')", name="stage"),
        CheckConstraint(
            "punctuality BETWEEN 1 AND 4 AND cooperation BETWEEN 1 AND 4 "
            "AND tasks_done BETWEEN 1 AND 4",
            name="scale",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    stage: Mapped[str] = mapped_column(String(5))
    punctuality: Mapped[int]
    cooperation: Mapped[int]
    tasks_done: Mapped[int]
    competences: Mapped[list[Any]] = mapped_column(default=list)
    would_hire: Mapped[str] = mapped_column(String(10))  # yes | recommend | no
    comment: Mapped[str] = mapped_column(Text, default="")
    supervisor_name: Mapped[str] = mapped_column(String(200), default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    via_link: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UsedLinkToken(Base):
    """A signed one-time link that has been used (its hash), so it cannot be used again."""

    __tablename__ = "used_link_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConfirmedSkill(Base):
    """A competence a supervisor confirmed for a participant: shown as confirmed on the profile
    (source, date) and counted more in ranking than self-reported skills."""

    __tablename__ = "confirmed_skills"
    __table_args__ = (UniqueConstraint("participant_id", "skill"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    skill: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(200))  # e.g. "Handledare, ICA Kvantum"
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("supervisor_assessments.id"))
    confirmed_on: Mapped[date]


class FollowUp(Base):
    """An outcome follow-up after exit (90 days, 6 and 12 months), or after a job start."""

    __tablename__ = "follow_ups"
    __table_args__ = (UniqueConstraint("participant_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    step: Mapped[str] = mapped_column(String(10))  # 90d | 6m | 12m
    due_on: Mapped[date]
    situation: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
