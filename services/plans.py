"""The individual plan: parallel activities, and the three warnings BIP gives reason for.

Job-focused activity in parallel with health and skills activities beats a step-by-step model,
and changing coach lowers the chances (domain.md). So a plan warns when a participant has no
current job-focused activity, when there has been a stretch of at least GAP_DAYS days with no
activity at all, and when the participant has changed coach. The warnings are a pure function
of plain rows (`warnings`), so they are tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from models import Activity, CoachChange, Participant, Placement, Session, User
from models.progress import ACTIVITY_KINDS, ACTIVITY_STATUSES
from services import audit

GAP_DAYS = 14  # two weeks with nothing planned or going on is a gap worth a coach's attention
CURRENT = ("planned", "ongoing")


@dataclass(frozen=True)
class PlanWarning:
    kind: str  # no_job_focused | gap | coach_changed
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    participant_id: int
    activities: list[Activity]
    by_kind: dict[str, list[Activity]]
    warnings: list[PlanWarning]


class PlanError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def _span(item: dict[str, Any], today: date) -> tuple[date, date] | None:
    """The days an activity or placement covers; open-ended current ones run until today."""
    start = item.get("start_on")
    if start is None or item.get("status") == "cancelled":
        return None
    end = item.get("end_on")
    if end is None:
        end = today if item.get("status") in CURRENT else start
    return (start, end) if end >= start else (start, start)


def gaps(
    spans: list[tuple[date, date]], since: date, today: date, min_days: int
) -> list[dict[str, Any]]:
    """Stretches of at least `min_days` days in since..today that no span covers."""
    out = []
    cursor = since
    for start, end in sorted(spans):
        if start > cursor:
            length = (start - cursor).days
            if length >= min_days:
                out.append(
                    {
                        "from": cursor,
                        "to": start - timedelta(days=1),
                        "days": length,
                        "current": False,
                    }
                )
        cursor = max(cursor, end + timedelta(days=1))
        if cursor > today:
            break
    if cursor <= today:
        length = (today - cursor).days + 1
        if length >= min_days:
            out.append({"from": cursor, "to": today, "days": length, "current": True})
    return out


def warnings(
    activities: list[dict[str, Any]],
    placements: list[dict[str, Any]],
    coach_changes: list[dict[str, Any]],
    enrolled_on: date,
    today: date,
    gap_days: int = GAP_DAYS,
) -> list[PlanWarning]:
    out = []

    def current(item: dict[str, Any]) -> bool:
        end = item.get("end_on")
        return item.get("status") in CURRENT and (end is None or end >= today)

    job_focused = [a for a in activities if a["kind"] == "job_focused" and current(a)]
    if not job_focused and not any(current(p) for p in placements):
        out.append(PlanWarning("no_job_focused"))
    spans = [s for s in (_span(x, today) for x in [*activities, *placements]) if s is not None]
    for gap in gaps(spans, enrolled_on, today, gap_days):
        out.append(PlanWarning("gap", gap))
    if coach_changes:
        last = max(c["changed_at"] for c in coach_changes)
        out.append(
            PlanWarning("coach_changed", {"count": len(coach_changes), "last_on": last.date()})
        )
    return out


def _activity_row(a: Activity) -> dict[str, Any]:
    return {"kind": a.kind, "status": a.status, "start_on": a.start_on, "end_on": a.end_on}


def plan_for(participant_id: int, today: date | None = None) -> Plan:
    """The plan as the coach and the participant see it: activities by kind, and the warnings.

    The caller checks who may see it (a coach of the unit, or the participant themself)."""
    db = Session()
    participant = db.get(Participant, participant_id)
    if participant is None:
        raise LookupError(participant_id)
    today = today or date.today()
    activities = list(
        db.scalars(
            select(Activity)
            .where(Activity.participant_id == participant_id)
            .order_by(Activity.start_on, Activity.id)
        )
    )
    placements = [
        {"kind": "job_focused", "status": p.status, "start_on": p.start_on, "end_on": p.end_on}
        for p in db.scalars(select(Placement).where(Placement.participant_id == participant_id))
    ]
    changes = [
        {"changed_at": c.changed_at}
        for c in db.scalars(select(CoachChange).where(CoachChange.participant_id == participant_id))
    ]
    by_kind = {kind: [a for a in activities if a.kind == kind] for kind in ACTIVITY_KINDS}
    found = warnings(
        [_activity_row(a) for a in activities], placements, changes, participant.enrolled_on, today
    )
    return Plan(participant_id, activities, by_kind, found)


def _check(kind: str, title: str, start_on: date | None, end_on: date | None, status: str) -> None:
    problems = {}
    if kind not in ACTIVITY_KINDS:
        problems["kind"] = "choice"
    if not title.strip():
        problems["title"] = "required"
    if start_on is None:
        problems["start_on"] = "required"
    elif end_on is not None and end_on < start_on:
        problems["end_on"] = "before_start"
    if status not in ACTIVITY_STATUSES:
        problems["status"] = "choice"
    if problems:
        raise PlanError(problems)


def add_activity(
    participant: Participant,
    *,
    kind: str,
    title: str,
    start_on: date | None,
    end_on: date | None = None,
    status: str = "planned",
    notes: str = "",
    by: User,
) -> Activity:
    _check(kind, title, start_on, end_on, status)
    activity = Activity(
        participant_id=participant.id,
        kind=kind,
        title=title.strip(),
        notes=notes.strip(),
        start_on=start_on,
        end_on=end_on,
        status=status,
        created_by_id=by.id,
    )
    Session.add(activity)
    Session.flush()
    audit.record(
        "activity.add",
        actor=by,
        subject=participant,
        details={"activity_id": activity.id, "kind": kind},
    )
    return activity


def set_status(participant: Participant, activity_id: int, status: str, *, by: User) -> Activity:
    activity = Session.get(Activity, activity_id)
    if activity is None or activity.participant_id != participant.id:
        raise LookupError(activity_id)
    if status not in ACTIVITY_STATUSES:
        raise PlanError({"status": "choice"})
    activity.status = status
    if status in ("done", "cancelled") and activity.end_on is None:
        activity.end_on = max(activity.start_on, date.today())
    audit.record(
        "activity.status",
        actor=by,
        subject=participant,
        details={"activity_id": activity.id, "status": status},
    )
    Session.flush()
    return activity
