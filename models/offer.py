"""Placement offers: what an employer can give, in the shape the ranking engine reads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow
from models.employer import Employer, Workplace
from models.region import offer_partner_units
from models.user import Unit

OFFER_KINDS = ("praktik", "arbetstraning", "arbetsprovning", "other")
OFFER_STATUSES = ("draft", "published", "paused", "closed")
# Who may use the offer: the employer's home unit only, it and named partner units, or every unit
# of the home unit's region (`services.sharing`).
OFFER_SHARING = ("unit", "partners", "region")


class Offer(Base):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_nonnegative"),
        # The database itself refuses more accepted participants than slots: the workflow
        # increments `filled` with a guarded UPDATE, so two racing acceptances cannot both win.
        CheckConstraint("filled >= 0 AND filled <= capacity", name="filled_within_capacity"),
        CheckConstraint("status IN ('draft','published','paused','closed')", name="status"),
        CheckConstraint(
            "kind IN ('praktik','arbetstraning','arbetsprovning','other')", name="kind"
        ),
        CheckConstraint("sharing IN ('unit','partners','region')", name="sharing"),
        CheckConstraint(
            "max_open_candidates IS NULL OR max_open_candidates >= 1", name="max_open_candidates"
        ),
        UniqueConstraint("import_unit_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    workplace_id: Mapped[int] = mapped_column(ForeignKey("workplaces.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="praktik")
    description: Mapped[str] = mapped_column(Text, default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    occupation: Mapped[str] = mapped_column(String(200), default="")
    skills_required: Mapped[list[Any]] = mapped_column(default=list)
    skills_desired: Mapped[list[Any]] = mapped_column(default=list)
    hours_min: Mapped[float | None]
    hours_max: Mapped[float | None]
    swedish_level: Mapped[str] = mapped_column(String(10), default="none")
    requires_driving_licence: Mapped[bool] = mapped_column(default=False)
    physical_demands: Mapped[list[Any]] = mapped_column(default=list)
    # What this offer adds to its workplace's accessibility (e.g. flexible hours, low pace).
    accessibility: Mapped[list[Any]] = mapped_column(default=list)
    capacity: Mapped[int] = mapped_column(default=1)
    filled: Mapped[int] = mapped_column(default=0)
    # "At most N open candidates at once" (approved, proposed or interested), the employer's own
    # cap besides pausing the offer; None: no cap. Enforced where a proposal is made
    # (`services.candidate_cap`, called by `services.workflow`).
    max_open_candidates: Mapped[int | None]
    # Publish this draft by itself once the employer is verified (`services.employers.verify`).
    publish_on_verification: Mapped[bool] = mapped_column(default=False, server_default=false())
    leads_to_employment: Mapped[str | None] = mapped_column(String(5))
    supervisor_name: Mapped[str] = mapped_column(String(200), default="")
    supervisor_email: Mapped[str] = mapped_column(String(254), default="")
    supervisor_phone: Mapped[str] = mapped_column(String(40), default="")
    start_from: Mapped[date | None]
    start_until: Mapped[date | None]
    duration_weeks: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    sharing: Mapped[str] = mapped_column(String(10), default="region", server_default="region")
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Set by a file import: the id in the unit's own system (or the job ad's id).
    external_id: Mapped[str | None] = mapped_column(String(100))
    import_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    employer: Mapped[Employer] = relationship()
    workplace: Mapped[Workplace] = relationship()
    partner_units: Mapped[list[Unit]] = relationship(secondary=offer_partner_units)

    @property
    def open_slots(self) -> int:
        return max(0, self.capacity - self.filled)

    @property
    def all_accessibility(self) -> list[str]:
        return sorted(set(self.workplace.accessibility or []) | set(self.accessibility or []))
