"""Assessment reminders: flag who is due for a measurement and tell their coach, once per due date.

Run daily: cron or a scheduler calls `flask --app web assessment-reminders`, which runs this.
Idempotent: a coach gets one notification per participant and due date however often it runs
(the kind's `same_event` in `services.notification_kinds`). No e-mail: the coach sees it in the app.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from models import Session
from models.db import today as utc_today
from services import notifications
from services.progression import ASSESSMENT_INTERVAL_DAYS, due_participants

KIND = "assessment.due"


def flag_due_assessments(
    today: str | None = None, interval_days: int = ASSESSMENT_INTERVAL_DAYS
) -> dict[str, Any]:
    day = date.fromisoformat(today) if today else utc_today()
    due = due_participants(day, interval_days=interval_days)
    notified = 0
    for participant, due_on in due:
        if participant.coach_id is None:
            continue
        note = notifications.notify(
            participant.coach_id,
            KIND,
            {"participant_id": participant.id, "due_on": due_on.isoformat()},
            link=notifications.path_for("coach.progression_page", participant_id=participant.id),
        )
        notified += note is not None
    Session.commit()
    return {"due": [p.id for p, _d in due], "notified": notified, "on": day.isoformat()}
