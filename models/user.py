"""People who log in, and the units (municipal labour-market units, ESF projects) they belong to."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow
from models.region import Region

ROLES = ("admin", "coach", "employer", "participant")
DEFAULT_MAX_COMMUTE_KM = 40.0


def new_session_token() -> str:
    return secrets.token_hex(16)


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint(
            "default_max_commute_km > 0 AND default_max_commute_km <= 1000",
            name="default_max_commute_km_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    municipality: Mapped[str] = mapped_column(String(100))
    county: Mapped[str] = mapped_column(String(100), default="")
    # The ESF export may carry personnummer only when the unit has a documented need for it.
    export_personnummer: Mapped[bool] = mapped_column(default=False)
    # Months after a participant's exit before they are anonymised (`services.retention`);
    # None: the installation's RETENTION_MONTHS.
    retention_months: Mapped[int | None]
    # Units belong to a region (a län, a samordningsförbund) whose shared offers they may use.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    # The commuting limit of a participant who has none of their own (km); the engine excludes
    # offers beyond it with the `distance` reason. Edited by the unit's manager.
    default_max_commute_km: Mapped[float] = mapped_column(
        default=DEFAULT_MAX_COMMUTE_KM, server_default=str(int(DEFAULT_MAX_COMMUTE_KM))
    )
    # Working days an employer may leave a candidate unanswered before a reminder (None: the
    # EMPLOYER_REMINDER_DAYS setting); the coach is told after a second such period.
    employer_reminder_days: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region | None] = relationship()


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin','coach','employer','participant')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    # Coaches and participants belong to a unit; an admin with a unit is that unit's manager,
    # an admin without one administers the whole installation.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"), index=True)
    # A unit's manager (an admin with a unit) may also coordinate a region: start planning
    # rounds over the region's units and its shared offers. Set by an installation admin.
    coordinates_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    # A coach's work phone, shown to their participants and the employers of their candidates.
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of the login kept in the session cookie (`get_id`): a new value (logout, password
    # change, deactivation) ends every session of the account on the server side, so a copied
    # cookie stops working at once.
    session_token: Mapped[str] = mapped_column(
        String(64), default=new_session_token, server_default=""
    )
    # A password someone else chose (the participant's one-time password, an admin's invitation)
    # must be replaced at the first login.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    password_changed_at: Mapped[datetime | None]

    unit: Mapped[Unit | None] = relationship()
    coordinates_region: Mapped[Region | None] = relationship()
    employer: Mapped[Employer | None] = relationship(  # noqa: F821
        back_populates="contacts", foreign_keys=[employer_id]
    )

    # Flask-Login's protocol, written out so that models stay free of Flask.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"
