"""Writing to the append-only audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session as OrmSession

from models import AuditEvent, Session, User


def record(
    action: str,
    *,
    actor: User | None = None,
    subject: Any = None,
    details: dict[str, Any] | None = None,
    ip: str = "",
    session: OrmSession | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction; it commits with the change it describes."""
    db = session or Session()
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_role=actor.role if actor is not None else "system",
        action=action,
        subject_type=type(subject).__tablename__ if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        details=details or {},
        ip=ip,
    )
    db.add(event)
    return event
