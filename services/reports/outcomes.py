"""Participants enrolled, active and exited, and outcomes at exit and six months after.

Definitions (the period is `start`..`end`, both inclusive; `start` None means from the beginning):
- enrolled: enrolment date in the period;
- active: enrolled on or before the last day of the period and not exited by then;
- exited: exit date in the period.
Outcomes are read for those who exited in the period. The six-month outcome is "not yet due"
until 183 days after the exit, and "not recorded" after that when nobody has recorded it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.reports import gender

# The ESF outcome categories, and which recorded outcome (models.participant.OUTCOMES) falls in each.
CATEGORIES = (
    "work",
    "subsidised_work",
    "studies",
    "closer",
    "rehabilitation",
    "none",
)
CATEGORY_OF = {
    "employment": "work",
    "subsidised_employment": "subsidised_work",
    "studies": "studies",
    "continued_placement": "closer",
    "closer_to_labour_market": "closer",
    "other": "closer",
    "rehabilitation": "rehabilitation",
    "none": "none",
}
FOLLOW_UP_DAYS = 183


def in_period(day: date | None, start: date | None, end: date) -> bool:
    return day is not None and (start is None or day >= start) and day <= end


def participant_figures(
    participants: list[dict[str, Any]], start: date | None, end: date
) -> list[tuple[str, dict[str, int]]]:
    return [
        ("enrolled", gender.count(participants, lambda p: in_period(p["enrolled_on"], start, end))),
        (
            "active",
            gender.count(
                participants,
                lambda p: (
                    p["enrolled_on"] <= end and (p["exited_on"] is None or p["exited_on"] > end)
                ),
            ),
        ),
        ("exited", gender.count(participants, lambda p: in_period(p["exited_on"], start, end))),
    ]


def category(outcome: str | None) -> str:
    return CATEGORY_OF.get(outcome or "", "not_recorded")


def at_exit(
    participants: list[dict[str, Any]], start: date | None, end: date
) -> list[tuple[str, dict[str, int]]]:
    exited = [p for p in participants if in_period(p["exited_on"], start, end)]
    rows = [
        (cat, gender.count(exited, lambda p, c=cat: category(p["exit_outcome"]) == c))
        for cat in (*CATEGORIES, "not_recorded")
    ]
    return [*rows, ("total", gender.count(exited))]


def six_months(
    participants: list[dict[str, Any]], start: date | None, end: date, as_of: date
) -> list[tuple[str, dict[str, int]]]:
    exited = [p for p in participants if in_period(p["exited_on"], start, end)]

    def state(p: dict[str, Any]) -> str:
        if p["exited_on"] + timedelta(days=FOLLOW_UP_DAYS) > as_of and not p["outcome_6m"]:
            return "not_due"
        return category(p["outcome_6m"])

    rows = [
        (cat, gender.count(exited, lambda p, c=cat: state(p) == c))
        for cat in (*CATEGORIES, "not_recorded", "not_due")
    ]
    return [*rows, ("total", gender.count(exited))]
