"""The placement agreement (överenskommelse), attendance by week, and the supervisor's side.

An agreement is versioned: every change after it was written makes a new row with the next
`version`, and confirmations belong to one version, so a change after confirmation needs
confirming again. The placement may start only when the newest version is confirmed by the
participant, the employer and the coach, or when the coach has recorded a paper signature
(audited). The rules live in `services.agreements`.
"""

from __future__ import annotations

from datetime import date, datetime

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
