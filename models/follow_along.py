"""Follow-along support after a job start (IPS, SIUS): a period of support and its contacts.

IPS and SIUS keep supporting a person once they have started work, because support that stops
at the job start loses people. A period names the kinds of support given (on-the-job support,
advice to the employer, ...), when it started and when it is planned to end; each contact within
it is dated and says with whom, how and about what.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow
from models.user import User

SUPPORT_KINDS = (
    "on_the_job",  # stöd på arbetsplatsen
    "employer_advice",  # råd och stöd till arbetsgivaren
    "task_adjustment",  # anpassning av arbetsuppgifter
    "work_environment",  # anpassning av arbetsplats och hjälpmedel
    "workplace_introduction",  # introduktion på arbetsplatsen
    "crisis",  # krisstöd
    "outside_work",  # stöd utanför arbetet (resor, ekonomi, vardag)
    "other",
)
CONTACT_WITH = ("participant", "employer", "supervisor")
CONTACT_HOW = ("visit", "phone", "video")


class FollowAlongSupport(Base):
    __tablename__ = "follow_along_support"
    __table_args__ = (
        CheckConstraint(
            "planned_end_on IS NULL OR planned_end_on >= start_on", name="planned_after_start"
        ),
        CheckConstraint("ended_on IS NULL OR ended_on >= start_on", name="ended_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    # The placement match that led to the job, when there was one.
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id"))
    employer_name: Mapped[str] = mapped_column(String(200), default="")
    kinds: Mapped[list[Any]] = mapped_column(default=list)
    start_on: Mapped[date]
    planned_end_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    contacts: Mapped[list[FollowAlongContact]] = relationship(
        back_populates="support", order_by="FollowAlongContact.contact_on.desc()"
    )


class FollowAlongContact(Base):
    __tablename__ = "follow_along_contacts"
    __table_args__ = (
        CheckConstraint("with_whom IN ('participant','employer','supervisor')", name="with_whom"),
        CheckConstraint("channel IN ('visit','phone','video')", name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    support_id: Mapped[int] = mapped_column(ForeignKey("follow_along_support.id"), index=True)
    contact_on: Mapped[date]
    with_whom: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(8))
    about: Mapped[str] = mapped_column(Text, default="")
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    support: Mapped[FollowAlongSupport] = relationship(back_populates="contacts")
    coach: Mapped[User | None] = relationship()
