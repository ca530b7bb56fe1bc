"""The contact log of an employer: who at which unit talked to whom there, when, about what.

Shared by every unit that may use one of the employer's offers (`services.sharing`), so two
units do not approach the same workplace for the same slot without knowing of each other.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow
from models.employer import Employer
from models.user import Unit, User

CONTACT_CHANNELS = ("phone", "email", "meeting", "visit", "other")


class EmployerContact(Base):
    __tablename__ = "employer_contacts"
    __table_args__ = (
        CheckConstraint("channel IN ('phone','email','meeting','visit','other')", name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    contacted_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(10), default="phone")
    person: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    employer: Mapped[Employer] = relationship()
    unit: Mapped[Unit] = relationship()
    author: Mapped[User] = relationship()
