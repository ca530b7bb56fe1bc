"""Assessment reminders: flag who is due for a measurement and tell their coach, once per due date.

Run daily (cron or a scheduler calls `flask --app web assessment-reminders`, which enqueues this).
Idempotent: a coach gets one notification per participant and due date however often it runs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from models import Notification, Session
from models.db import today as utc_today
from services.progression import ASSESSMENT_INTERVAL_DAYS, due_participants

KIND = "assessment.due"
MESSAGE = _l(
    "Dags att mäta progression för deltagare #%(participant_id)s (skulle mätas %(due_on)s)."
)


def _already(user_id: int, participant_id: int, due_on: str) -> bool:
    for note in Session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.kind == KIND)
    ):
        params = note.params or {}
        if params.get("participant_id") == participant_id and params.get("due_on") == due_on:
            return True
    return False


def register_message() -> None:
    """Let the notification list (services.notifications.render) show this kind in words.

    The reminder is written as a plain Notification row rather than through
    `notifications.notify()`, whose de-duplication key is per match; ours is per participant and
    due date (see `_already`). No e-mail: the coach sees it in the app.
    """
    try:
        from services import notifications
    except ImportError:  # pragma: no cover - the service exists in this repository
        return
    notifications.MESSAGES.setdefault(KIND, MESSAGE)


def flag_due_assessments(
    today: str | None = None, interval_days: int = ASSESSMENT_INTERVAL_DAYS
) -> dict[str, Any]:
    day = date.fromisoformat(today) if today else utc_today()
    due = due_participants(day, interval_days=interval_days)
    notified = 0
    for participant, due_on in due:
        if participant.coach_id is None:
            continue
        params = {"participant_id": participant.id, "due_on": due_on.isoformat()}
        if _already(participant.coach_id, participant.id, params["due_on"]):
            continue
        Session.add(
            Notification(
                user_id=participant.coach_id,
                kind=KIND,
                params=params,
                link=f"/coach/participants/{participant.id}/progression",
            )
        )
        notified += 1
    Session.commit()
    return {"due": [p.id for p, _d in due], "notified": notified, "on": day.isoformat()}
