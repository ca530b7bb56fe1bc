"""Outcome follow-ups after exit: the situation 90 days, 6 and 12 months after a participant left.

ESF projects report the situation after exit. Each participant with an exit date has three
follow-ups; one is due from its date until the coach records it (`record`). The daily reminder
(`send_reminders`, `flask --app web follow-up-reminders`) tells the participant's coach once per
follow-up. `report` counts them per step and gender: due, recorded, and each situation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import FollowUp, Participant, Session, User
from models.db import today as utc_today
from services import audit, notifications
from services.reports.after import due_on  # the dates, in the pure module the reports use
from services.workflow import NotAllowed, WorkflowError, committed

STEPS = {"90d": _l("90 dagar"), "6m": _l("6 månader"), "12m": _l("12 månader")}
SITUATIONS = {
    "employment": _l("Arbete utan stöd"),
    "subsidised_employment": _l("Arbete med stöd (till exempel lönebidrag)"),
    "studies": _l("Studier"),
    "job_seeking": _l("Söker arbete"),
    "programme": _l("Annat arbetsmarknadsprogram"),
    "sick_leave": _l("Sjukskriven"),
    "other": _l("Annat"),
    "unknown": _l("Fick inte kontakt"),
}
GENDERS = ("woman", "man", "other", "not_stated")


def _exited(unit_id: int | None) -> list[Participant]:
    query = select(Participant).where(Participant.exited_on.is_not(None))
    if unit_id is not None:
        query = query.where(Participant.unit_id == unit_id)
    return list(Session.scalars(query.order_by(Participant.exited_on, Participant.id)))


def recorded(participant_ids: list[int]) -> dict[tuple[int, str], FollowUp]:
    if not participant_ids:
        return {}
    rows = Session.scalars(select(FollowUp).where(FollowUp.participant_id.in_(participant_ids)))
    return {(r.participant_id, r.step): r for r in rows}


@dataclass(frozen=True)
class Due:
    participant: Participant
    step: str
    due_on: date


def due(unit_id: int | None, today: date | None = None) -> list[Due]:
    """Follow-ups whose date has come and that nobody has recorded, oldest first."""
    today = today or utc_today()
    people = _exited(unit_id)
    done = recorded([p.id for p in people])
    out = []
    for p in people:
        for step in STEPS:
            when = due_on(p.exited_on, step)  # type: ignore[arg-type]
            if when <= today and (p.id, step) not in done:
                out.append(Due(p, step, when))
    return sorted(out, key=lambda d: (d.due_on, d.participant.id))


def record(
    participant: Participant, actor: User, step: str, situation: str, note: str = ""
) -> FollowUp:
    if actor.role != "coach" or actor.unit_id != participant.unit_id:
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    if step not in STEPS:
        raise WorkflowError(_l("Välj en uppföljning från listan."))
    if situation not in SITUATIONS:
        raise WorkflowError(_l("Välj en situation från listan."))
    if participant.exited_on is None:
        raise WorkflowError(_l("Deltagaren har inte avslutats ännu."))
    when = due_on(participant.exited_on, step)
    if when > utc_today():
        raise WorkflowError(_l("Uppföljningen är inte aktuell förrän %(on)s."), on=when.isoformat())

    def run() -> FollowUp:
        row = FollowUp(
            participant_id=participant.id,
            step=step,
            due_on=when,
            situation=situation,
            note=(note or "").strip()[:2000],
            recorded_by_id=actor.id,
        )
        Session.add(row)
        try:
            Session.flush()
        except IntegrityError as exc:
            raise WorkflowError(
                _l("Uppföljningen är redan registrerad av någon annan. Ladda om sidan.")
            ) from exc
        audit.record(
            "participant.follow_up",
            actor=actor,
            subject=participant,
            details={"step": step, "situation": situation},
        )
        return row

    return committed(run)


def send_reminders(today: date | None = None) -> dict[str, int]:
    """The coach is told once per participant and follow-up that it is due."""
    sent = 0
    items = due(None, today)
    for item in items:
        p = item.participant
        if p.coach_id is None:
            continue
        note = notifications.notify(
            p.coach_id,
            "followup.due",
            {
                "participant_id": p.id,
                "participant": p.display_name,
                "step": item.step,
                "due_on": item.due_on.isoformat(),
            },
            link=notifications.path_for("coach.follow_ups") + f"#followup-{p.id}-{item.step}",
        )
        sent += note is not None
    Session.commit()
    return {"due": len(items), "sent": sent}


@dataclass
class StepCount:
    due: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GENDERS, 0))
    recorded: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GENDERS, 0))
    situations: dict[str, dict[str, int]] = field(
        default_factory=lambda: {s: dict.fromkeys(GENDERS, 0) for s in SITUATIONS}
    )


def report(unit_id: int | None, today: date | None = None) -> dict[str, Any]:
    """Per step and gender: follow-ups that have come due, those recorded, and the situations."""
    today = today or utc_today()
    people = _exited(unit_id)
    done = recorded([p.id for p in people])
    steps = {step: StepCount() for step in STEPS}
    for p in people:
        gender = p.gender if p.gender in GENDERS else "not_stated"
        for step, count in steps.items():
            if due_on(p.exited_on, step) > today:  # type: ignore[arg-type]
                continue
            count.due[gender] += 1
            row = done.get((p.id, step))
            if row is not None:
                count.recorded[gender] += 1
                count.situations.setdefault(row.situation, dict.fromkeys(GENDERS, 0))
                count.situations[row.situation][gender] += 1
    return {"steps": steps, "genders": GENDERS}
