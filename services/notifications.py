"""In-app notifications, each with an e-mail copy sent once through the outbox.

A notification is a kind and plain parameters, rendered in the reader's language when shown (the
texts are here, translated by Flask-Babel) and in the recipient's language when e-mailed (the
templates are under `web/templates/email/`, one per kind and language, rendered by
`jobs.notify`). Both are de-duplicated: the same event for the same person (kind + match +
user) creates one notification, and its e-mail has the unique outbox key
`notification:<id>`, so a second attempt neither adds nor sends a second mail.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from jobs.queue import enqueue
from models import Notification, Session, User, utcnow

MESSAGES = {
    "proposal.new": _l("Du har fått ett förslag på arbetsplats: %(offer)s hos %(employer)s."),
    "proposal.withdrawn": _l("Förslaget %(offer)s hos %(employer)s har återtagits av din coach."),
    "answer.participant_yes": _l(
        "Deltagare #%(participant_id)s är intresserad av %(offer)s hos %(employer)s."
    ),
    "answer.participant_no": _l(
        "Deltagare #%(participant_id)s tackade nej till %(offer)s hos %(employer)s."
    ),
    "answer.employer_yes": _l("%(employer)s tackade ja till praktiken %(offer)s."),
    "answer.employer_no": _l("%(employer)s tackade nej till praktiken %(offer)s."),
    "candidate.interested": _l("En deltagare är intresserad av %(offer)s. Svara gärna snart."),
    "candidate.withdrawn": _l("En kandidat till %(offer)s har återtagits av coachen."),
    "candidate.released": _l("En kandidat till %(offer)s har fått en annan plats."),
}
# Kinds that are also e-mailed (the three, and the closing of a candidacy).
EMAILED = frozenset(MESSAGES)


def dedupe_key(kind: str, params: dict[str, Any], user_id: int) -> str:
    return f"{kind}:{params.get('match_id', '-')}:{user_id}"


def notify(
    user_id: int, kind: str, params: dict[str, Any], *, link: str = "", email: bool = True
) -> Notification | None:
    """Add a notification (once per event and person) and queue its e-mail after commit."""
    if kind not in MESSAGES:
        raise ValueError(f"unknown notification kind {kind!r}")
    db = Session()
    key = dedupe_key(kind, params, user_id)
    for existing in db.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
    ):
        if (existing.params or {}).get("key") == key:
            return None
    note = Notification(user_id=user_id, kind=kind, params=params | {"key": key}, link=link)
    db.add(note)
    db.flush()
    if email and kind in EMAILED:
        enqueue(
            "jobs.notify.email_notification",
            note.id,
            title="E-post",
            subject=("notification", note.id),
            retries=3,
        )
    return note


def render(note: Notification) -> str:
    """The notification in the current request's language."""
    message = MESSAGES.get(note.kind)
    if message is None:
        return note.kind
    params = {k: v for k, v in (note.params or {}).items() if k != "key"}
    try:
        return str(message) % params
    except (KeyError, TypeError, ValueError):
        return str(message)


def for_user(user: User, *, limit: int = 50, offset: int = 0) -> list[Notification]:
    return list(
        Session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def unread_count(user: User) -> int:
    return int(
        Session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all) read; returns how many changed."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    result = Session.execute(stmt.values(read_at=utcnow()))
    Session.commit()
    return int(result.rowcount or 0)
