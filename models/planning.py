"""Planning rounds: a capacity-aware allocation of unplaced participants to open slots that a
coach reviews, changes and approves line by line (`services.planning`).

A round is a proposal only: its lines never reach a participant or employer until the coach
approves them, and each approval goes through the match workflow. A line carries a
`version` (SQLAlchemy's version counter), so two people editing the same line cannot silently
overwrite each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow

# caseload: a coach's own participants; unit: the unit's (a coach or the unit's manager);
# region: the region's units' participants x the region's shared offers (its coordinator).
ROUND_SCOPES = ("caseload", "unit", "region")
ROUND_MODES = ("stable", "optimal")
ROUND_STATUSES = ("queued", "running", "ready", "failed")
# approved: a coach approved and sent it through the workflow; referred: a manager or coordinator
# passed it to the participant's coach as a suggestion the coach decides on.
LINE_STATUSES = ("proposed", "approved", "referred")
# Why a participant got nothing: no feasible open slot at all; feasible ones, all taken by
# others the allocation placed there; no usable address to measure distances from; or the
# coach took the offer off the line.
NONE_REASONS = ("no_feasible", "taken", "no_location", "changed")


class PlanningRound(Base):
    __tablename__ = "planning_rounds"
    __table_args__ = (
        CheckConstraint("scope IN ('caseload','unit','region')", name="scope"),
        CheckConstraint("mode IN ('stable','optimal')", name="mode"),
        CheckConstraint("status IN ('queued','running','ready','failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    # A region round's region (then `unit_id` is the coordinator's own unit).
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10), default="caseload")
    mode: Mapped[str] = mapped_column(String(10), default="stable")
    exposure_multiple: Mapped[float] = mapped_column(default=3.0)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    job_id: Mapped[str | None] = mapped_column(String(64))
    participants: Mapped[int] = mapped_column(default=0)
    open_slots: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    lines: Mapped[list[PlanningLine]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="PlanningLine.id"
    )


class PlanningLine(Base):
    """One participant of a round: the offer proposed (or none, and why) and what became of it."""

    __tablename__ = "planning_lines"
    __table_args__ = (
        UniqueConstraint("round_id", "participant_id"),
        CheckConstraint("status IN ('proposed','approved','referred')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("planning_rounds.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"), index=True)
    engine_offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"))
    score: Mapped[float | None]
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    none_reason: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    message: Mapped[str] = mapped_column(Text, default="")
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    round: Mapped[PlanningRound] = relationship(back_populates="lines")
    participant = relationship("Participant", foreign_keys=[participant_id])
    offer = relationship("Offer", foreign_keys=[offer_id])
    match = relationship("Match", foreign_keys=[match_id])

    __mapper_args__ = {"version_id_col": version}
