"""A participant–offer pair, from the engine's suggestion through every human decision.

One row per pair. The status moves only through `services.workflow`, which holds the allowed
transitions; the row keeps what the engine said when it suggested (score, components, reasons,
engine version) so that the decision can be audited and learned from later.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow
from models.offer import Offer
from models.participant import Participant

MATCH_STATUSES = (
    "suggested",  # by the engine, seen only by the coach
    "rejected",  # by the coach
    "approved",  # by the coach, not yet sent
    "proposed",  # shown to the participant
    "interested",  # participant said yes
    "declined",  # participant said no
    "accepted",  # employer said yes: a slot is taken
    "employer_declined",
    "placement_planned",
    "ongoing",
    "completed",
    "ended_early",
    "withdrawn",  # by the coach, at any step
    "released",  # closed because the participant accepted another placement
)

# A participant with a match in one of these states is placed (the employer said yes, the
# placement is planned or under way): they get no new suggestions until it ends. The same states
# hold one of the offer's slots (`services.workflow.HOLDS_SLOT`).
PLACED_STATUSES = frozenset({"accepted", "placement_planned", "ongoing"})

REJECTION_REASONS = (
    "distance",
    "health",
    "interest",
    "skills",
    "timing",
    "employer",
    "other",
)


class Match(Base):
    __tablename__ = "matches"
    __table_args__ = (
        UniqueConstraint("participant_id", "offer_id", name="pair"),
        # The suggestion queue, best score first, a page at a time: read backwards, this gives
        # the order without sorting a large unit's 100,000 suggestions (benchmarks/LOAD.md).
        Index("ix_matches_status_score", "status", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default="suggested")
    source: Mapped[str] = mapped_column(String(10), default="engine")  # engine | manual
    score: Mapped[float | None]
    rank: Mapped[int | None]
    components: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    gaps: Mapped[list[Any]] = mapped_column(default=list)
    distance_km: Mapped[float | None]
    engine_version: Mapped[str] = mapped_column(String(40), default="")
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(String(20))
    rejection_note: Mapped[str] = mapped_column(Text, default="")
    employer_decline_reason: Mapped[str | None] = mapped_column(String(20))
    coach_note: Mapped[str] = mapped_column(Text, default="")
    participant_comment: Mapped[str] = mapped_column(Text, default="")
    participant_answered_at: Mapped[datetime | None]
    employer_comment: Mapped[str] = mapped_column(Text, default="")
    employer_answered_at: Mapped[datetime | None]
    proposed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    participant: Mapped[Participant] = relationship()
    offer: Mapped[Offer] = relationship()


class Placement(Base):
    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    start_on: Mapped[date | None]
    end_on: Mapped[date | None]
    hours_per_week: Mapped[float | None]
    supervisor_name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(
        String(20), default="planned"
    )  # planned ongoing completed ended_early
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_on: Mapped[date | None]
    # Ended early: why (`services.placements.END_REASONS`); end_on is then the last day attended.
    end_reason: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship()
    participant: Mapped[Participant] = relationship()
    offer: Mapped[Offer] = relationship()


class PlacementNote(Base):
    """A follow-up note by the coach or the supervisor, optionally with attendance for a period."""

    __tablename__ = "placement_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_role: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    days_expected: Mapped[int | None]
    days_attended: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
