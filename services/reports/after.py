"""What follows a placement, by gender: hours done, follow-ups after exit, follow-along support.

Pure functions on the plain rows `data.load` gives (each row carries its participant's gender).
Definitions (the period is `start`..`end`, both inclusive; `start` None means from the
beginning):
- hours done: the attendance log's hours done in weeks starting in the period, summed, and the
  participants with any hours logged there;
- follow-ups after exit (90 days, 6 and 12 months): for those who exited in the period, per step,
  how many have come due by `as_of`, how many are recorded, and the situation recorded;
- follow-along support after a job start: participants with a period of support under way at
  some time in the period, and those whose support started in the period.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from services.reports import gender
from services.reports.outcomes import in_period

STEPS = ("90d", "6m", "12m")
SITUATIONS = (
    "employment",
    "subsidised_employment",
    "studies",
    "job_seeking",
    "programme",
    "sick_leave",
    "other",
    "unknown",
)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(exited_on: date, step: str) -> date:
    """When a follow-up `step` ("90d", "6m", "12m") comes due after exiting on `exited_on`
    (months by the calendar; the 31st becomes the month's last day). `services.follow_ups`
    uses these dates too."""
    if step == "90d":
        return exited_on + timedelta(days=90)
    return _add_months(exited_on, 6 if step == "6m" else 12)


def hours_done(
    weeks: list[dict[str, Any]], start: date | None, end: date
) -> list[tuple[str, dict[str, Any]]]:
    sums: dict[str, Any] = dict.fromkeys(gender.COLUMNS, 0.0)
    people: dict[int, str] = {}
    for w in weeks:
        if not in_period(w["week_start"], start, end) or not w["hours_done"]:
            continue
        group = gender.group_of(w["gender"])
        sums[group] += float(w["hours_done"])
        sums["total"] += float(w["hours_done"])
        people[w["participant_id"]] = w["gender"]
    sums = {k: round(v, 1) for k, v in sums.items()}
    counted = gender.count({"gender": g} for g in people.values())
    return [("hours_done", sums), ("hours_participants", counted)]


def follow_ups(
    participants: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    start: date | None,
    end: date,
    as_of: date,
) -> dict[str, list[tuple[str, dict[str, int]]]]:
    exited = [p for p in participants if in_period(p["exited_on"], start, end)]
    done = {(r["participant_id"], r["step"]): r["situation"] for r in rows}
    out: dict[str, list[tuple[str, dict[str, int]]]] = {}
    for step in STEPS:
        due = [p for p in exited if due_on(p["exited_on"], step) <= as_of]
        got = [p for p in due if (p["id"], step) in done]
        table = [
            ("fu_due", gender.count(due)),
            ("fu_recorded", gender.count(got)),
            ("fu_missing", gender.count(p for p in due if (p["id"], step) not in done)),
        ]
        table += [
            (f"fu:{s}", gender.count(got, lambda p, s=s, st=step: done[(p["id"], st)] == s))
            for s in SITUATIONS
        ]
        out[step] = table
    return out


def follow_along(
    participants: list[dict[str, Any]],
    supports: list[dict[str, Any]],
    start: date | None,
    end: date,
) -> list[tuple[str, dict[str, int]]]:
    genders = {p["id"]: p["gender"] for p in participants}
    during: set[int] = set()
    started: set[int] = set()
    for s in supports:
        if s["participant_id"] not in genders:
            continue
        if s["start_on"] <= end and (
            s["ended_on"] is None or start is None or s["ended_on"] >= start
        ):
            during.add(s["participant_id"])
        if in_period(s["start_on"], start, end):
            started.add(s["participant_id"])
    return [
        ("support_during", gender.count({"gender": genders[i]} for i in during)),
        ("support_started", gender.count({"gender": genders[i]} for i in started)),
    ]
