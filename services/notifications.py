"""In-app notifications, each with an e-mail copy sent once through the outbox.

A notification is a kind (`services.notification_kinds`) and plain parameters, rendered in the
reader's language when shown and in the recipient's language when e-mailed (the templates are
under `web/templates/email/`, one per kind and language, rendered by `email_notification`, a
background task). Both are de-duplicated: the same event for the same person (the kind, the
kind's `same_event` parameters, the user) creates one notification, and its e-mail has the unique
outbox key `notification:<id>`, so a second attempt neither adds nor sends a second mail.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from models import Notification, OutboxEmail, Session, User, utcnow
from services.notification_kinds import KINDS
from services.outbox import send_outbox_email
from services.queue import enqueue
from services.retry import on_sqlite_lock

LANGS = ("sv", "en")


def dedupe_key(kind: str, params: dict[str, Any], user_id: int) -> str:
    event = ":".join(str(params.get(name, "-")) for name in KINDS[kind].same_event)
    return f"{kind}:{event}:{user_id}"


def notify(
    user_id: int, kind: str, params: dict[str, Any], *, link: str = "", email: bool = True
) -> Notification | None:
    """Add a notification (once per event and person) and queue its e-mail after commit."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    db = Session()
    key = dedupe_key(kind, params, user_id)
    for existing in db.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
    ):
        known = existing.params or {}
        if known.get("key", dedupe_key(kind, known, user_id)) == key:
            return None
    note = Notification(user_id=user_id, kind=kind, params=params | {"key": key}, link=link)
    db.add(note)
    db.flush()
    if email and KINDS[kind].email is not None:
        enqueue(
            email_notification,
            note.id,
            title="E-post",
            subject=("notification", note.id),
            retries=3,
        )
    return note


def path_for(endpoint: str, **values: Any) -> str:
    """The path of a page, for a notification written in a request, a job or a CLI command.

    Outside a request there is no URL adapter unless SERVER_NAME is set, so the app's URL map is
    bound here (to SERVER_NAME, or any host: only the path is kept).
    """
    if has_request_context():
        return url_for(endpoint, **values)
    config = current_app.config
    adapter = current_app.url_map.bind(
        config.get("SERVER_NAME") or "localhost",
        script_name=config.get("APPLICATION_ROOT") or "/",
    )
    return adapter.build(endpoint, values)


def render(note: Notification) -> str:
    """The notification in the current request's language."""
    kind = KINDS.get(note.kind)
    if kind is None:
        return note.kind
    message = kind.text
    params = {k: v for k, v in (note.params or {}).items() if k != "key"}
    params = with_names(params)
    try:
        return str(message) % params
    except (KeyError, TypeError, ValueError):
        return str(message)


def with_names(params: dict[str, Any]) -> dict[str, Any]:
    """Fill the person's name where the reader may not see it (an employer without the
    participant's consent reads "En deltagare"), and for notifications written before names."""
    params = dict(params)
    if not params.get("candidate"):
        params["candidate"] = str(_l("En deltagare"))
    if not params.get("participant"):
        params["participant"] = str(_l("Deltagare nr %(id)s", id=params.get("participant_id", "")))
    return params


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


# --- the e-mail copy (a background task) --------------------------------------------------------


def absolute(link: str) -> str:
    """The page's full address under PUBLIC_URL, for an e-mail; empty stays empty."""
    if not link:
        return ""
    if link.startswith(("http://", "https://")):
        return link
    return str(current_app.config.get("PUBLIC_URL") or "").rstrip("/") + link


def render_email(kind: str, params: dict[str, Any], lang: str, link: str = "") -> tuple[str, str]:
    """Subject and body from `email/<template>.<lang>.txt`: first line subject, then the body;
    `url` is the full address of the page where the reader acts, when there is one."""
    lang = lang if lang in LANGS else "sv"
    name = KINDS[kind].email if kind in KINDS else None
    # Straight from the Jinja environment: no request, so no context processors.
    template = current_app.jinja_env.get_template(f"email/{name or 'other'}.{lang}.txt")
    text = template.render(kind=kind, p=params, url=absolute(link)).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def email_notification(notification_id: int) -> dict[str, Any]:
    """Turn one notification into one outbox row (key `notification:<id>`) and queue its send.

    Delivered twice (a retry, a duplicate rq delivery) it finds that row and adds nothing; the
    send (`services.outbox.send_outbox_email`) is idempotent itself and retried.
    """
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
        subject, body = render_email(
            note.kind, note.params or {}, user.locale or "sv", note.link or ""
        )
        mail = OutboxEmail(dedupe_key=key, to_address=user.email, subject=subject, body=body)
        db.add(mail)
        db.flush()
    if mail.sent_at is None:
        enqueue(send_outbox_email, mail.id, title="E-post", retries=3)
    db.commit()
    return {"status": "queued", "outbox_id": mail.id}
