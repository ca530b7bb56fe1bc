"""An uploaded import file, kept until it has been applied (then its content is dropped)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, utcnow

IMPORT_KINDS = ("offers", "participants")
IMPORT_FORMATS = ("csv", "xlsx", "jsonl", "jobtech")


class ImportFile(Base):
    __tablename__ = "import_files"
    __table_args__ = (
        CheckConstraint("kind IN ('offers','participants')", name="kind"),
        CheckConstraint("format IN ('csv','xlsx','jsonl','jobtech')", name="format"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    # the file itself, dropped once it has been imported (participant data is not kept twice)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # options chosen on the form, e.g. the organisation number for offers without one
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # uploaded -> checked (dry run done) -> imported | refused
    status: Mapped[str] = mapped_column(String(12), default="uploaded")
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_at: Mapped[datetime | None]
