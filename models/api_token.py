"""Tokens for the integration API (`/api/v1`): who may call it, for which role and unit, until when.

Only the sha256 of a token is stored; the token itself is shown once, when an admin creates it.
Every token acts as one user, so the access rules of the pages (`services.access`) apply to the
API unchanged: a personal token acts as its owner, an integration token as the integration
account made for it (no password, cannot log in). The role and unit are copied onto the token
when it is made, and a token whose user has since moved role or unit is refused.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow
from models.user import User

TOKEN_KINDS = ("user", "integration")


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("kind IN ('user','integration')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12), default="user")
    # sha256 hex of the secret; the first characters are kept in clear so a list can name it
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    expires_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
