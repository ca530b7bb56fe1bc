"""Messages from the unit's coaches to a participant, and what the participant was sent.

A coach writes a short message; the participant reads it in the app (their home page and their
notifications) and gets an e-mail saying that a message is waiting, without its text (an e-mail
may be read by others). The participant's page shows the coach everything sent to the
participant (these messages and every notice the workflow sent: proposals, agreements,
assessments, answers to corrections), with the time, who sent a message, and whether the
participant has read it: a message is read once it has been shown to the participant.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from models import Notification, Participant, Session, User, utcnow
from services import audit, notifications
from services.validation import N_, Invalid, has_hidden_characters

KIND = "coach.message"
TEXT_MAX = 2000


def may_send(user: User | None, participant: Participant) -> bool:
    return (
        user is not None
        and user.role == "coach"
        and user.unit_id is not None
        and user.unit_id == participant.unit_id
    )


def send(coach: User, participant: Participant, text: str) -> Notification:
    """A message to the participant in the app, with an e-mail that one is waiting; audited."""
    if not may_send(coach, participant):
        raise PermissionError("only the participant's unit's coaches write to them")
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if participant.user_id is None:
        errors["text"] = N_(
            "Deltagaren har inget konto i Platsmatch. Ge deltagaren ett konto först, eller ring."
        )
    elif not text:
        errors["text"] = N_("Skriv ett meddelande.")
    elif len(text) > TEXT_MAX:
        errors["text"] = N_("Meddelandet är för långt.")
    elif has_hidden_characters(text.replace("\r", "")):
        errors["text"] = N_("Texten innehåller osynliga tecken. Skriv den igen utan dem.")
    if errors:
        raise Invalid(errors)
    note = notifications.notify(
        participant.user_id,  # type: ignore[arg-type]
        KIND,
        {
            "message_id": secrets.token_hex(8),
            "text": text,
            "sender": coach.name,
            "sender_id": coach.id,
            "participant_id": participant.id,
        },
        link=notifications.path_for("participant.home") + "#messages",
    )
    assert note is not None  # a fresh message id is never a duplicate
    audit.record(
        "participant.message",
        actor=coach,
        subject=participant,
        details={"notification_id": note.id, "length": len(text)},
    )
    Session.commit()
    return note


@dataclass(frozen=True)
class Sent:
    note: Notification
    text: str  # in the reader's language (the coach's), as the participant sees it
    sender: str  # the coach who wrote it, or "" for a notice the app sent
    read_at: datetime | None


def sent_to(participant: Participant, *, limit: int = 200) -> list[Sent]:
    """Everything the participant's account was sent, newest first."""
    if participant.user_id is None:
        return []
    rows = Session.scalars(
        select(Notification)
        .where(Notification.user_id == participant.user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return [
        Sent(
            n,
            (n.params or {}).get("text", "") if n.kind == KIND else notifications.render(n),
            (n.params or {}).get("sender", "") if n.kind == KIND else "",
            n.read_at,
        )
        for n in rows
    ]


def for_participant(user: User, *, limit: int = 5) -> list[Notification]:
    """The newest messages from coaches to this participant account."""
    return list(
        Session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.kind == KIND)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_shown(user: User, shown: list[Notification]) -> None:
    """Messages shown in full to their reader are read (the coach sees when)."""
    ids = [n.id for n in shown if n.kind == KIND and n.read_at is None and n.user_id == user.id]
    if not ids:
        return
    Session.execute(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    Session.commit()
