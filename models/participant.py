"""Participants: the people a coach helps towards work or studies.

Health-related constraints (`cannot`, `needs`, `health_notes`) are special-category data and the
personnummer is strictly optional; both are read through `services.privacy`, which logs every read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from models.crypto import EncryptedText, lookup_hash
from models.db import Base, utcnow
from models.user import Unit, User

GENDERS = ("woman", "man", "other", "not_stated")
SWEDISH_LEVELS = ("none", "basic", "good", "fluent")
TARGET_GROUPS = (
    "long_term_unemployed",
    "social_assistance",
    "sick_listed",
    "activity_compensation",
    "newly_arrived",
    "disability",
    "young",
    "other",
)
OUTCOMES = (
    "employment",
    "subsidised_employment",
    "studies",
    "continued_placement",
    "closer_to_labour_market",
    "rehabilitation",
    "other",
    "none",
)
# Fields an employer may be shown, each only when the participant has consented.
CONSENT_FIELDS = (
    "name",
    "contact",
    "skills",
    "interests",
    "swedish_level",
    "adjustments",
    "licence",
)


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (
        CheckConstraint("support_level BETWEEN 1 AND 3", name="support_level"),
        CheckConstraint("gender IN ('woman','man','other','not_stated')", name="gender"),
        UniqueConstraint("unit_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(6), default="")
    municipality: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # Skyddade personuppgifter: name and address are shown to nobody but the coach.
    protected_identity: Mapped[bool] = mapped_column(default=False)
    # Stored as Fernet ciphertext (models.crypto); set the canonical form (YYYYMMDD-NNNN) or None,
    # and find a person by `personnummer_hash` (`services.participants.find_by_personnummer`).
    personnummer: Mapped[str | None] = mapped_column("personnummer_enc", EncryptedText)
    personnummer_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    gender: Mapped[str] = mapped_column(String(12), default="not_stated")
    birth_year: Mapped[int | None]
    target_group: Mapped[str] = mapped_column(String(30), default="other")
    support_level: Mapped[int] = mapped_column(default=2)
    skills: Mapped[list[Any]] = mapped_column(default=list)
    interests: Mapped[list[Any]] = mapped_column(default=list)
    max_commute_km: Mapped[float | None]
    hours_min: Mapped[float | None]
    hours_max: Mapped[float | None]
    swedish_level: Mapped[str] = mapped_column(String(10), default="none")
    driving_licence: Mapped[bool] = mapped_column(default=False)
    cannot: Mapped[list[Any]] = mapped_column(default=list)
    needs: Mapped[list[Any]] = mapped_column(default=list)
    health_notes: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enrolled_on: Mapped[date]
    exited_on: Mapped[date | None]
    exit_outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_6m: Mapped[str | None] = mapped_column(String(30))
    outcome_6m_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Set when the retention period after exit has passed and the person was anonymised
    # (`services.retention`): only the figures the reports count are left.
    anonymised_at: Mapped[datetime | None]
    # Raised by every profile save (`services.participants.save`): a form carries the version it
    # was opened at, so a second coach's save cannot silently overwrite the first one's.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Set by a file import: the id in the unit's case system, so a second import finds the row.
    external_id: Mapped[str | None] = mapped_column(String(100))

    unit: Mapped[Unit] = relationship()
    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def consents_to(self, field: str) -> bool:
        return bool((self.consent or {}).get(field))

    @validates("personnummer")
    def _hash_personnummer(self, _key: str, value: str | None) -> str | None:
        value = value or None
        self.personnummer_hash = lookup_hash(value) if value else None
        return value

    def set_personnummer(self, canonical: str | None) -> None:
        """Store a validated, canonical personnummer (or None): encrypted, with its lookup hash."""
        self.personnummer = canonical


class CoachChange(Base):
    """Each hand-over between coaches: changing coach lowers a participant's chances (BIP)."""

    __tablename__ = "coach_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    from_coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_coach_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CorrectionRequest(Base):
    """A participant's request to correct what the unit holds about them (GDPR art. 16)."""

    __tablename__ = "correction_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # GDPR art. 12(3): answered without undue delay and at the latest within one month.
    due_on: Mapped[date | None]
    answer: Mapped[str] = mapped_column(Text, default="", server_default="")
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
