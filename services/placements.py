"""Placements: planned after the employer accepts, started, followed up, ended with an outcome.

The match's status moves through `services.workflow` (plan, start, complete, end_early), so the
state rules and the audit stay in one place; this module keeps the placement's own facts: dates
(a trial defaults to four weeks, otherwise the offer's duration), hours, supervisor, follow-up
notes with attendance, and the outcome, which can also be recorded as the participant's exit
outcome for reporting (`participants.exited_on` / `exit_outcome`).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from models import Match, Placement, PlacementNote, PlacementWeek, Session, User
from models.participant import OUTCOMES
from services import agreements, audit
from services.workflow import NotAllowed, WorkflowError, committed, may_act, move_placement

DEFAULT_TRIAL_WEEKS = 4

OUTCOME_LABELS = {
    "employment": _l("Anställning"),
    "subsidised_employment": _l("Subventionerad anställning"),
    "studies": _l("Studier"),
    "continued_placement": _l("Fortsatt praktik"),
    "closer_to_labour_market": _l("Närmare arbetsmarknaden"),
    "rehabilitation": _l("Rehabilitering"),
    "other": _l("Annat"),
    "none": _l("Inget resultat"),
}
assert set(OUTCOME_LABELS) == set(OUTCOMES)

# Why a placement ended before its last planned day (kept with the actual last day).
END_REASONS = {
    "participant_health": _l("Deltagarens hälsa"),
    "participant_choice": _l("Deltagaren ville sluta"),
    "absence": _l("För mycket frånvaro"),
    "employer": _l("Arbetsgivaren avbröt"),
    "job": _l("Deltagaren fick ett arbete"),
    "studies": _l("Deltagaren började studera"),
    "other": _l("Annat"),
}


def default_end(start_on: date, duration_weeks: int | None) -> date:
    """The offer's duration; four weeks (a trial) when the offer does not say."""
    return start_on + timedelta(weeks=duration_weeks or DEFAULT_TRIAL_WEEKS)


def for_match(match: Match) -> Placement | None:
    return Session.scalar(select(Placement).where(Placement.match_id == match.id))


def plan(
    match: Match,
    actor: User,
    start_on: date,
    end_on: date | None = None,
    hours_per_week: float | None = None,
    supervisor_name: str = "",
) -> Placement:
    offer = match.offer
    end_on = end_on or default_end(start_on, offer.duration_weeks)
    if end_on < start_on:
        raise WorkflowError(_l("Slutdatumet kan inte vara före startdatumet."))

    def run() -> Placement:
        move_placement(match, "plan", actor, start_on=start_on.isoformat())
        placement = Placement(
            match_id=match.id,
            participant_id=match.participant_id,
            offer_id=match.offer_id,
            start_on=start_on,
            end_on=end_on,
            hours_per_week=hours_per_week if hours_per_week is not None else offer.hours_max,
            supervisor_name=(supervisor_name or offer.supervisor_name or "").strip(),
            status="planned",
        )
        Session.add(placement)
        Session.flush()
        agreements.first_from_plan(placement, actor)
        return placement

    return committed(run)


def start(placement: Placement, actor: User, start_on: date | None = None) -> Placement:
    def run() -> Placement:
        move_placement(placement.match, "start", actor)
        placement.status = "ongoing"
        if start_on is not None:
            placement.start_on = start_on
        return placement

    return committed(run)


def end(
    placement: Placement,
    actor: User,
    outcome: str,
    outcome_on: date,
    *,
    early: bool = False,
    record_exit: bool = False,
    reason: str | None = None,
) -> Placement:
    """End the placement with its outcome; optionally the participant leaves the programme with
    it. Ended early, `outcome_on` is the last day actually attended and `reason` says why."""
    if outcome not in OUTCOMES:
        raise WorkflowError(_l("Välj ett resultat från listan."))
    if early and reason not in END_REASONS:
        raise WorkflowError(_l("Välj varför praktiken avbröts."))
    if placement.start_on and outcome_on < placement.start_on:
        raise WorkflowError(_l("Sista dagen kan inte vara före startdatum."))

    def run() -> Placement:
        move_placement(
            placement.match,
            "end_early" if early else "complete",
            actor,
            outcome=outcome,
            last_day=outcome_on.isoformat(),
            reason=reason if early else None,
        )
        placement.status = "ended_early" if early else "completed"
        placement.outcome, placement.outcome_on = outcome, outcome_on
        placement.end_reason = reason if early else None
        if early or (placement.end_on and outcome_on < placement.end_on):
            placement.end_on = outcome_on
        if record_exit:
            participant = placement.participant
            participant.exited_on, participant.exit_outcome = outcome_on, outcome
            audit.record(
                "participant.exit",
                actor=actor,
                subject=participant,
                details={"outcome": outcome, "on": outcome_on.isoformat()},
            )
        return placement

    return committed(run)


def may_follow_up(actor: User, placement: Placement) -> bool:
    """The unit's coaches, and the host employer's contacts (the supervisor's side)."""
    return may_act(actor, placement.match, "coach") or may_act(actor, placement.match, "employer")


def add_note(
    placement: Placement,
    actor: User,
    note: str,
    days_expected: int | None = None,
    days_attended: int | None = None,
) -> PlacementNote:
    if not may_follow_up(actor, placement):
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    note = (note or "").strip()
    if not note and days_expected is None:
        raise WorkflowError(_l("Skriv en anteckning eller fyll i närvaro."))
    if days_expected is not None and days_attended is not None and days_attended > days_expected:
        raise WorkflowError(_l("Närvarodagar kan inte vara fler än planerade dagar."))
    if placement.status not in ("planned", "ongoing", "completed", "ended_early"):
        raise WorkflowError(_l("Praktiken finns inte längre."))

    def run() -> PlacementNote:
        row = PlacementNote(
            placement_id=placement.id,
            author_id=actor.id,
            author_role=actor.role,
            note=note,
            days_expected=days_expected,
            days_attended=days_attended,
        )
        Session.add(row)
        Session.flush()
        audit.record(
            "placement.note",
            actor=actor,
            subject=placement,
            details={"days_expected": days_expected, "days_attended": days_attended},
        )
        return row

    return committed(run)


def notes(placement: Placement) -> list[PlacementNote]:
    return list(
        Session.scalars(
            select(PlacementNote)
            .where(PlacementNote.placement_id == placement.id)
            .order_by(PlacementNote.created_at, PlacementNote.id)
        )
    )


def attendance(placement: Placement) -> tuple[int, int]:
    """Days attended and days expected over all notes that recorded attendance."""
    rows = [n for n in notes(placement) if n.days_expected is not None]
    return sum(n.days_attended or 0 for n in rows), sum(n.days_expected or 0 for n in rows)


# --- attendance by week ------------------------------------------------------------------------


def week_of(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def weeks(placement: Placement) -> list[PlacementWeek]:
    return list(
        Session.scalars(
            select(PlacementWeek)
            .where(PlacementWeek.placement_id == placement.id)
            .order_by(PlacementWeek.week_start)
        )
    )


def record_week(
    placement: Placement,
    actor: User,
    day: date,
    hours_done: float,
    hours_planned: float | None = None,
    note: str = "",
    *,
    version: int | None = None,
) -> PlacementWeek:
    """The hours done in the week of `day`, by the supervisor (the employer's side) or the coach.

    A week already recorded is changed only by someone who saw that entry (`version`, its
    `version_id`): two people entering the same week never silently overwrite each other."""
    if not may_follow_up(actor, placement):
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    if placement.status not in ("ongoing", "completed", "ended_early"):
        raise WorkflowError(_l("Närvaro kan fyllas i när praktiken har börjat."))
    if not 0 <= hours_done <= 80 or (hours_planned is not None and not 0 <= hours_planned <= 80):
        raise WorkflowError(_l("Timmar ska vara mellan 0 och 80 per vecka."))
    monday = week_of(day)
    if placement.start_on and monday < week_of(placement.start_on):
        raise WorkflowError(_l("Veckan är före praktikens start."))
    if placement.end_on and monday > placement.end_on:
        raise WorkflowError(_l("Veckan är efter praktikens sista dag."))

    def run() -> PlacementWeek:
        row = Session.scalar(
            select(PlacementWeek).where(
                PlacementWeek.placement_id == placement.id, PlacementWeek.week_start == monday
            )
        )
        if row is not None and version != row.version_id:
            raise WorkflowError(
                _l(
                    "Någon har redan fyllt i veckan %(week)s. Ladda om sidan och ändra den "
                    "raden i stället."
                ),
                week=monday.isoformat(),
            )
        if row is None:
            row = PlacementWeek(placement_id=placement.id, week_start=monday)
            Session.add(row)
        row.hours_done, row.hours_planned = hours_done, hours_planned
        row.note, row.recorded_by_id = (note or "").strip()[:2000], actor.id
        try:
            Session.flush()
        except (IntegrityError, StaleDataError) as exc:
            raise WorkflowError(
                _l("Veckan ändrades just av någon annan. Ladda om sidan och försök igen.")
            ) from exc
        audit.record(
            "placement.week",
            actor=actor,
            subject=placement,
            details={"week": monday.isoformat(), "hours_done": hours_done},
        )
        return row

    return committed(run)


def hours_done(placement: Placement) -> float:
    """Hours actually done, over every recorded week."""
    return float(sum(w.hours_done for w in weeks(placement)))
