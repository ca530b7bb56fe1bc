"""Progression (BIP indicators) and the individual plan's parallel activities."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, utcnow

ACTIVITY_KINDS = ("job_focused", "health", "skills", "social")
ACTIVITY_STATUSES = ("planned", "ongoing", "done", "cancelled")


class Indicator(Base):
    """One question of a unit's indicator set; `unit_id` NULL is the installation's default set."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    label_sv: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    # The statement the participant agrees with on the scale, in their own voice
    # ("Jag vet hur jag söker jobb"); empty: the label is shown instead.
    statement_sv: Mapped[str] = mapped_column(String(300), default="")
    statement_en: Mapped[str] = mapped_column(String(300), default="")
    # who answers: participant, coach or both
    answered_by: Mapped[str] = mapped_column(String(12), default="both")
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    anchors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (CheckConstraint("respondent IN ('participant','coach')", name="respondent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    respondent: Mapped[str] = mapped_column(String(12))
    value: Mapped[int]
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assessed_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Activity(Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    start_on: Mapped[date]
    end_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12), default="planned")
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
