"""Progression on the BIP indicators: the unit's indicator set, answers, who is due, who moved up.

BIP measured every 3 months, the participant and the caseworker answering side by side; moving
up on an indicator is read as moving closer to work (domain.md). Each unit may have its own set
(`Indicator.unit_id`); a unit without one uses the installation's default set (unit_id NULL).
Answers are tied to an indicator row, but series and "moved up" are grouped by the indicator's
`key`, so that history survives when a unit copies the default set to make it its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from models import Assessment, Indicator, Participant, Session, User
from services import audit
from services.reports import gender

ASSESSMENT_INTERVAL_DAYS = 91  # "every 3 months" (BIP); a participant is due this long after
RESPONDENTS = ("participant", "coach")


class AssessmentError(ValueError):
    """Answers that cannot be saved; `problems` maps an indicator id (or "") to a message key."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


# --- the indicator set -----------------------------------------------------------------------------


def has_own_set(unit_id: int | None) -> bool:
    if unit_id is None:
        return True
    return Session.scalar(select(func.count(Indicator.id)).where(Indicator.unit_id == unit_id)) > 0


def indicator_set(unit_id: int | None, *, include_inactive: bool = False) -> list[Indicator]:
    """The unit's own indicators when it has any, else the default set; ordered by position."""
    owner = unit_id if unit_id is not None and has_own_set(unit_id) else None
    query = select(Indicator).where(
        Indicator.unit_id.is_(None) if owner is None else Indicator.unit_id == owner
    )
    if not include_inactive:
        query = query.where(Indicator.active.is_(True))
    return list(Session.scalars(query.order_by(Indicator.position, Indicator.id)))


def for_respondent(indicators: Iterable[Indicator], respondent: str) -> list[Indicator]:
    return [i for i in indicators if i.answered_by in (respondent, "both")]


# --- answering ---------------------------------------------------------------------------------


def check_answers(indicators: list[Indicator], answers: dict[int, int | None]) -> dict[int, int]:
    """Keep the answered questions; refuse unknown indicators and values outside the scale."""
    known = {i.id: i for i in indicators}
    problems: dict[str, str] = {}
    kept: dict[int, int] = {}
    for indicator_id, value in answers.items():
        indicator = known.get(indicator_id)
        if indicator is None:
            problems[str(indicator_id)] = "unknown_indicator"
        elif value is None:
            continue
        elif not indicator.scale_min <= value <= indicator.scale_max:
            problems[str(indicator_id)] = "out_of_scale"
        else:
            kept[indicator_id] = value
    if not kept and not problems:
        problems[""] = "nothing_answered"
    if problems:
        raise AssessmentError(problems)
    return kept


def record(
    participant: Participant,
    respondent: str,
    answers: dict[int, int | None],
    *,
    by: User,
    on: date,
) -> list[Assessment]:
    """Save one measurement; answering again the same day corrects that day's answers."""
    if respondent not in RESPONDENTS:
        raise ValueError(f"respondent must be one of {RESPONDENTS}")
    indicators = for_respondent(indicator_set(participant.unit_id), respondent)
    kept = check_answers(indicators, answers)
    db = Session()
    saved = []
    for indicator_id, value in kept.items():
        row = db.scalar(
            select(Assessment).where(
                Assessment.participant_id == participant.id,
                Assessment.indicator_id == indicator_id,
                Assessment.respondent == respondent,
                Assessment.assessed_on == on,
            )
        )
        if row is None:
            row = Assessment(
                participant_id=participant.id,
                indicator_id=indicator_id,
                respondent=respondent,
                assessed_on=on,
                value=value,
            )
            db.add(row)
        row.value, row.assessed_by_id = value, by.id
        saved.append(row)
    audit.record(
        "assessment.record",
        actor=by,
        subject=participant,
        details={"respondent": respondent, "answers": len(saved), "on": on.isoformat()},
    )
    db.flush()
    return saved


# --- series for one participant ----------------------------------------------------------------


@dataclass
class IndicatorSeries:
    indicator: Indicator
    dates: list[date] = field(default_factory=list)
    participant: list[int | None] = field(default_factory=list)
    coach: list[int | None] = field(default_factory=list)


def series_for(participant: Participant) -> list[IndicatorSeries]:
    """Per indicator of the unit's set: each measurement date with both answers (or None)."""
    indicators = indicator_set(participant.unit_id)
    rows = Session.execute(
        select(Assessment, Indicator.key)
        .join(Indicator, Indicator.id == Assessment.indicator_id)
        .where(Assessment.participant_id == participant.id)
        .order_by(Assessment.assessed_on)
    ).all()
    values: dict[str, dict[date, dict[str, int]]] = {}
    for a, key in rows:
        values.setdefault(key, {}).setdefault(a.assessed_on, {})[a.respondent] = a.value
    out = []
    for indicator in indicators:
        by_day = values.get(indicator.key, {})
        days = sorted(by_day)
        out.append(
            IndicatorSeries(
                indicator,
                days,
                [by_day[d].get("participant") for d in days],
                [by_day[d].get("coach") for d in days],
            )
        )
    return out


# --- who is due ----------------------------------------------------------------------------------


def due(
    participants: list[dict[str, Any]],
    last_on: dict[int, date],
    today: date,
    interval_days: int = ASSESSMENT_INTERVAL_DAYS,
) -> list[tuple[int, date]]:
    """(participant id, due date) for active participants due on or before `today`.

    Never measured: due at enrolment (the first measurement is the baseline). Otherwise due
    `interval_days` after the latest measurement by either respondent.
    """
    out = []
    for p in participants:
        if p["exited_on"] is not None and p["exited_on"] <= today:
            continue
        last = last_on.get(p["id"])
        due_on = p["enrolled_on"] if last is None else last + timedelta(days=interval_days)
        if due_on <= today:
            out.append((p["id"], due_on))
    return out


def due_participants(
    today: date, *, interval_days: int = ASSESSMENT_INTERVAL_DAYS, unit_id: int | None = None
) -> list[tuple[Participant, date]]:
    db = Session()
    query = select(Participant).where(
        (Participant.exited_on.is_(None)) | (Participant.exited_on > today)
    )
    if unit_id is not None:
        query = query.where(Participant.unit_id == unit_id)
    people = {p.id: p for p in db.scalars(query.order_by(Participant.id))}
    last_on = dict(
        db.execute(
            select(Assessment.participant_id, func.max(Assessment.assessed_on)).group_by(
                Assessment.participant_id
            )
        ).all()
    )
    rows = [
        {"id": p.id, "enrolled_on": p.enrolled_on, "exited_on": p.exited_on}
        for p in people.values()
    ]
    return [(people[pid], on) for pid, on in due(rows, last_on, today, interval_days)]


# --- the unit's share who moved up -------------------------------------------------------------


def moved_up(assessments: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (indicator key, respondent): of those measured twice or more, how many rose from their
    first to their latest answer; by gender. Rows: participant_id, gender, key, respondent,
    assessed_on, value."""
    firsts: dict[tuple[str, str, int], tuple[date, int]] = {}
    lasts: dict[tuple[str, str, int], tuple[date, int]] = {}
    genders: dict[int, str] = {}
    for a in assessments:
        k = (a["key"], a["respondent"], a["participant_id"])
        genders[a["participant_id"]] = a["gender"]
        point = (a["assessed_on"], a["value"])
        if k not in firsts or point[0] < firsts[k][0]:
            firsts[k] = point
        if k not in lasts or point[0] > lasts[k][0]:
            lasts[k] = point
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for (key, respondent, pid), first in firsts.items():
        last = lasts[(key, respondent, pid)]
        if last[0] == first[0]:
            continue
        entry = out.setdefault(
            (key, respondent), {"measured": gender.empty(), "up": gender.empty()}
        )
        g = gender.group_of(genders[pid])
        for col in (g, "total"):
            entry["measured"][col] += 1
            if last[1] > first[1]:
                entry["up"][col] += 1
    for entry in out.values():
        entry["share"] = gender.share(entry["up"], entry["measured"])
    return out


def unit_moved_up(unit_id: int, *, coach_id: int | None = None) -> dict[tuple[str, str], Any]:
    query = (
        select(
            Assessment.participant_id,
            Participant.gender,
            Indicator.key,
            Assessment.respondent,
            Assessment.assessed_on,
            Assessment.value,
        )
        .join(Participant, Participant.id == Assessment.participant_id)
        .join(Indicator, Indicator.id == Assessment.indicator_id)
        .where(Participant.unit_id == unit_id)
    )
    if coach_id is not None:
        query = query.where(Participant.coach_id == coach_id)
    names = ("participant_id", "gender", "key", "respondent", "assessed_on", "value")
    return moved_up([dict(zip(names, row, strict=True)) for row in Session.execute(query)])
