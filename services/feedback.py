"""Accessibility problem reports: anyone may send one (signed in or not); admins handle them."""

from __future__ import annotations

from sqlalchemy import select

from models import AccessibilityReport, Session, User, utcnow
from services import audit
from services.validation import N_, Invalid


def report(
    message: str, *, page: str = "", contact: str = "", user: User | None = None
) -> AccessibilityReport:
    text = message.strip()
    if not text:
        raise Invalid({"message": N_("Beskriv problemet.")})
    db = Session()
    item = AccessibilityReport(
        message=text,
        page=page.strip()[:500],
        contact=contact.strip()[:254],
        reported_by_id=user.id if user is not None else None,
    )
    db.add(item)
    db.flush()
    audit.record("accessibility.reported", actor=user, subject=item)
    db.commit()
    return item


def open_reports() -> list[AccessibilityReport]:
    return list(
        Session.scalars(
            select(AccessibilityReport).order_by(
                AccessibilityReport.status.desc(), AccessibilityReport.created_at.desc()
            )
        )
    )


def close(actor: User, report_id: int) -> AccessibilityReport | None:
    if actor.role != "admin":
        raise PermissionError("admins handle accessibility reports")
    item = Session.get(AccessibilityReport, report_id)
    if item is None:
        return None
    if item.status != "done":
        item.status = "done"
        item.handled_at = utcnow()
        item.handled_by_id = actor.id
        audit.record("accessibility.handled", actor=actor, subject=item)
        Session.commit()
    return item
