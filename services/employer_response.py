"""Employers who answer: how long a candidate has waited, reminders, and response figures.

A candidate reaches the employer when the participant says yes (`Match.participant_answered_at`,
status `interested`). Waiting is counted in Swedish working days: Monday to Friday without the
public holidays (`holidays.Sweden`). After the unit's number of working days
(`Unit.employer_reminder_days`, else the EMPLOYER_REMINDER_DAYS setting) the employer's contacts
get a reminder; after twice as many the coach is told. `send_reminders` runs daily (`flask --app
web employer-reminders`) and is idempotent: each step is one notification per candidate and
person (the kinds' `same_event`).

Coaches see each employer's response rate (answered of all candidates that reached it) and the
median answer time in working days.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import holidays
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from models import Match, Offer, Session, Unit
from models.db import today as utc_today
from services import notifications, privacy
from services.workflow import employer_users

DECLINE_REASONS = {
    "no_capacity": _l("Vi har inte plats just nu"),
    "skills": _l("Kraven passar inte"),
    "timing": _l("Tiden passar inte"),
    "supervision": _l("Vi har ingen handledare just nu"),
    "other": _l("Annat skäl"),
}

REMINDER = "candidate.reminder"
COACH_TOLD = "candidate.unanswered"


@lru_cache(maxsize=8)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("SE", years=year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Swedish public holiday (Sundays are holidays in the calendar
    too; midsummer eve and Christmas eve count as days off, as at most workplaces)."""
    if day.weekday() >= 5:
        return False
    if day in _holidays(day.year):
        return False
    return not (day.month == 12 and day.day in (24, 31)) and not _midsummer_eve(day)


def _midsummer_eve(day: date) -> bool:
    # The Friday between 19 and 25 June.
    return day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += is_working_day(day)
    return days


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def waiting_days(match: Match, today: date | None = None) -> int | None:
    """Working days the employer has had this candidate without answering; None if answered."""
    if match.status != "interested" or match.participant_answered_at is None:
        return None
    return working_days_between(_day(match.participant_answered_at), today or utc_today())


def reminder_days(unit: Unit | None) -> int:
    if unit is not None and unit.employer_reminder_days:
        return unit.employer_reminder_days
    return int(current_app.config.get("EMPLOYER_REMINDER_DAYS", 3))


def _params(match: Match, days: int) -> dict[str, Any]:
    return {
        "match_id": match.id,
        "offer": match.offer.title,
        "employer": match.offer.employer.name,
        "participant_id": match.participant_id,
        "participant": match.participant.display_name,
        "candidate": privacy.employer_view(match.participant).get("name") or "",
        "days": days,
    }


def send_reminders(today: date | None = None) -> dict[str, int]:
    """Remind employers of candidates waiting past the unit's working days; tell the coach after
    twice as many. Returns how many notifications of each kind were new."""
    today = today or utc_today()
    waiting = Session.scalars(
        select(Match)
        .where(Match.status == "interested", Match.participant_answered_at.is_not(None))
        .order_by(Match.id)
    ).all()
    sent = {"employer_reminders": 0, "coaches_told": 0, "waiting": len(waiting)}
    for match in waiting:
        days = waiting_days(match, today) or 0
        limit = reminder_days(Session.get(Unit, match.participant.unit_id))
        if days >= limit:
            for user in employer_users(match.offer):
                note = notifications.notify(
                    user.id,
                    REMINDER,
                    _params(match, days),
                    link=notifications.path_for("employer.candidates", offer_id=match.offer_id)
                    + f"#candidate-{match.id}",
                )
                sent["employer_reminders"] += note is not None
        if days >= 2 * limit and match.participant.coach_id is not None:
            note = notifications.notify(
                match.participant.coach_id,
                COACH_TOLD,
                _params(match, days),
                link=notifications.path_for(
                    "coach.suggestions", participant_id=match.participant_id
                ),
            )
            sent["coaches_told"] += note is not None
    Session.commit()
    return sent


@dataclass(frozen=True)
class ResponseStats:
    received: int
    answered: int
    waiting: int
    median_days: float | None

    @property
    def rate(self) -> float | None:
        return self.answered / self.received if self.received else None


ANSWERED = ("accepted", "employer_declined", "placement_planned", "ongoing", "completed")


def stats(employer_id: int, today: date | None = None) -> ResponseStats:
    """Of the candidates that reached this employer: how many it answered, how many wait, and
    the median answer time in working days."""
    rows = Session.execute(
        select(Match.status, Match.participant_answered_at, Match.employer_answered_at)
        .join(Offer, Offer.id == Match.offer_id)
        .where(Offer.employer_id == employer_id, Match.participant_answered_at.is_not(None))
        .where(Match.status.in_((*ANSWERED, "ended_early", "interested")))
    ).all()
    answered = [r for r in rows if r.employer_answered_at is not None]
    times = [
        working_days_between(_day(r.participant_answered_at), _day(r.employer_answered_at))
        for r in answered
    ]
    return ResponseStats(
        received=len(answered) + sum(1 for r in rows if r.status == "interested"),
        answered=len(answered),
        waiting=sum(1 for r in rows if r.status == "interested"),
        median_days=statistics.median(times) if times else None,
    )
