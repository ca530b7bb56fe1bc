"""E-mail copies of notifications: rendered in the recipient's language, queued once, sent once.

`email_notification` turns one notification into one outbox row with the unique key
`notification:<id>`; delivered twice (a retry, a duplicate rq delivery) it finds that row and adds
nothing. Sending is `jobs.mail.send_outbox_email`, which is idempotent itself and retried.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from jobs.queue import enqueue
from jobs.retry import on_sqlite_lock
from models import Notification, OutboxEmail, Session, User

TEMPLATE_FOR_KIND = {
    "proposal.new": "proposal_new",
    "candidate.interested": "candidate_interested",
    "answer.participant_yes": "answer",
    "answer.participant_no": "answer",
    "answer.employer_yes": "answer",
    "answer.employer_no": "answer",
}
LANGS = ("sv", "en")


def render_email(kind: str, params: dict[str, Any], lang: str) -> tuple[str, str]:
    """Subject and body from `email/<template>.<lang>.txt`: first line subject, then the body."""
    lang = lang if lang in LANGS else "sv"
    name = TEMPLATE_FOR_KIND.get(kind, "other")
    # Straight from the Jinja environment: no request, so no context processors.
    template = current_app.jinja_env.get_template(f"email/{name}.{lang}.txt")
    text = template.render(kind=kind, p=params).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def email_notification(notification_id: int) -> dict[str, Any]:
    return on_sqlite_lock(lambda: _email_notification(notification_id))


def _email_notification(notification_id: int) -> dict[str, Any]:
    db = Session()
    note = db.get(Notification, notification_id)
    if note is None:
        return {"status": "missing"}
    user = db.get(User, note.user_id)
    if user is None or not user.email or not user.active:
        return {"status": "no_address"}
    key = f"notification:{note.id}"
    mail = db.scalar(select(OutboxEmail).where(OutboxEmail.dedupe_key == key))
    if mail is None:
        subject, body = render_email(note.kind, note.params or {}, user.locale or "sv")
        mail = OutboxEmail(dedupe_key=key, to_address=user.email, subject=subject, body=body)
        db.add(mail)
        db.flush()
    if mail.sent_at is None:
        enqueue("jobs.mail.send_outbox_email", mail.id, title="E-post", retries=3)
    db.commit()
    return {"status": "queued", "outbox_id": mail.id}
