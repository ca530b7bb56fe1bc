"""Assessment reminders: flag who is due for a measurement and tell their coach, once per due date.

Run daily (cron or a scheduler calls `flask --app web assessment-reminders`, which enqueues this).
Idempotent: a coach gets one notification per participant and due date however often it runs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from models import Notification, Session
from models.db import today as utc_today
from services.progression import ASSESSMENT_INTERVAL_DAYS, due_participants

KIND = "assessment.due"


def _already(user_id: int, participant_id: int, due_on: str) -> bool:
    for note in Session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.kind == KIND)
    ):
        params = note.params or {}
        if params.get("participant_id") == participant_id and params.get("due_on") == due_on:
            return True
    return False


def _notify(user_id: int, params: dict[str, Any], link: str) -> None:
    """Through the workflow's notification service when it knows this kind, else a plain row."""
    try:
        from services import notifications
    except ImportError:  # pragma: no cover - the service exists in this repository
        notifications = None
    if notifications is not None and KIND in getattr(notifications, "MESSAGES", {}):
        notifications.notify(user_id, KIND, params, link=link, email=False)
    else:
        Session.add(Notification(user_id=user_id, kind=KIND, params=params, link=link))


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
        _notify(participant.coach_id, params, f"/coach/participants/{participant.id}/progression")
        notified += 1
    Session.commit()
    return {"due": [p.id for p, _d in due], "notified": notified, "on": day.isoformat()}
