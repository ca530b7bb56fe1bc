"""A whole-installation suggestion refresh, fanned out over rq workers in chunks
(`services.fanout`). The chunk state lives here, not in Redis, so a re-run after a worker died
skips the chunks already done and the progress page reads one table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow

CHUNK_STATUSES = ("queued", "running", "done", "failed")


class RefreshRun(Base):
    __tablename__ = "refresh_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    chunk_size: Mapped[int] = mapped_column(default=500)
    participants: Mapped[int] = mapped_column(default=0)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    chunks: Mapped[list[RefreshChunk]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="RefreshChunk.number"
    )


class RefreshChunk(Base):
    """Participants `first_id`..`last_id` (inclusive, active ones only) of one run."""

    __tablename__ = "refresh_chunks"
    __table_args__ = (
        UniqueConstraint("run_id", "number"),
        CheckConstraint("status IN ('queued','running','done','failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("refresh_runs.id", ondelete="CASCADE"))
    number: Mapped[int]
    first_id: Mapped[int]
    last_id: Mapped[int]
    participants: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    suggested: Mapped[int] = mapped_column(default=0)
    seconds: Mapped[float | None]
    worker: Mapped[str] = mapped_column(String(100), default="")
    peak_rss_mb: Mapped[float | None]
    message: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    run: Mapped[RefreshRun] = relationship(back_populates="chunks")
