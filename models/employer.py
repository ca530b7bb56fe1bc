"""Employers that host placements, and their workplaces (where the participant goes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow


class Employer(Base):
    __tablename__ = "employers"
    __table_args__ = (UniqueConstraint("import_unit_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    org_number: Mapped[str] = mapped_column(String(11), unique=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # A coach or admin verifies a new employer before any of its offers can be published.
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    # The unit that verified the employer and keeps the relationship (`services.sharing`).
    home_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Chosen at sign-up: publish the employer's drafts by themselves once it is verified.
    publish_on_verification: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by a file import: the id in the unit's own system, so a second import finds the row.
    external_id: Mapped[str | None] = mapped_column(String(100))
    import_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    workplaces: Mapped[list[Workplace]] = relationship(back_populates="employer")
    contacts: Mapped[list[User]] = relationship(  # noqa: F821
        back_populates="employer", foreign_keys="User.employer_id"
    )

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class Workplace(Base):
    __tablename__ = "workplaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(6), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    municipality: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # pending → geocoded (street address) | municipality (offline fallback) | failed
    geocode_status: Mapped[str] = mapped_column(String(20), default="pending")
    geocoded_at: Mapped[datetime | None]
    accessibility: Mapped[list[Any]] = mapped_column(default=list)
    public_transport: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    employer: Mapped[Employer] = relationship(back_populates="workplaces")
