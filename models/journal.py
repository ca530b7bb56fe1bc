"""The coach's journal (anteckningar) and the participant's meetings.

A note is dated, has an author and may be marked sensitive (health, family, debts): a sensitive
note's text is shown only on request and every such read is written to the audit log, like the
health fields. A meeting is a planned contact with a start, a length and a place; the coach can
put it in a calendar as an .ics file.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow
from models.user import User

MEETING_KINDS = ("meeting", "phone", "video", "employer_visit", "other")


class JournalNote(Base):
    __tablename__ = "journal_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    noted_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    sensitive: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20), default="meeting")
    starts_at: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(default=60)
    place: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coach: Mapped[User | None] = relationship()
