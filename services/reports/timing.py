"""Days from enrolment to the first workplace: distribution, median, share within 8 and 10 weeks.

The seed projects aim at every participant being at a workplace within 8–10 weeks (domain.md).
Counted for participants enrolled in the period. The first workplace is the earliest placement
start on or before the report date. For "within N weeks" a participant counts in the denominator
once they have been enrolled N weeks (or were placed sooner): someone enrolled last week has not
yet failed the goal, and leaving them in would make a fresh cohort look worse than it is.
"""

from __future__ import annotations

import statistics
from datetime import date
from typing import Any

from services.reports import gender
from services.reports.outcomes import in_period

# Histogram bins, in days (inclusive upper bounds), labelled in weeks.
BINS = (
    (14, "0-2"),
    (28, "3-4"),
    (42, "5-6"),
    (56, "7-8"),
    (70, "9-10"),
    (84, "11-12"),
    (None, "13+"),
)
GOALS_WEEKS = (8, 10)


def first_start(placements: list[dict[str, Any]], as_of: date) -> dict[int, date]:
    first: dict[int, date] = {}
    for pl in placements:
        start = pl.get("start_on")
        if start is None or start > as_of:
            continue
        pid = pl["participant_id"]
        if pid not in first or start < first[pid]:
            first[pid] = start
    return first


def days_to_first_placement(
    participants: list[dict[str, Any]],
    placements: list[dict[str, Any]],
    start: date | None,
    end: date,
    as_of: date,
) -> dict[str, Any]:
    cohort = [p for p in participants if in_period(p["enrolled_on"], start, end)]
    first = first_start(placements, as_of)
    days = {
        p["id"]: max(0, (first[p["id"]] - p["enrolled_on"]).days)
        for p in cohort
        if p["id"] in first
    }

    def bin_of(p: dict[str, Any]) -> str:
        if p["id"] not in days:
            return "not_placed"
        for upper, label in BINS:
            if upper is None or days[p["id"]] <= upper:
                return label
        return BINS[-1][1]

    histogram = [
        (label, gender.count(cohort, lambda p, lb=label: bin_of(p) == lb))
        for label in [b[1] for b in BINS] + ["not_placed"]
    ]
    by_column: dict[str, list[int]] = {col: [] for col in gender.COLUMNS}
    for p in cohort:
        if p["id"] in days:
            by_column[gender.group_of(p["gender"])].append(days[p["id"]])
            by_column["total"].append(days[p["id"]])
    medians = {
        col: (float(statistics.median(values)) if values else None)
        for col, values in by_column.items()
    }
    goals = []
    for weeks in GOALS_WEEKS:
        limit = weeks * 7
        judged = [
            p
            for p in cohort
            if (p["id"] in days and days[p["id"]] <= limit)
            or (as_of - p["enrolled_on"]).days >= limit
        ]
        reached = gender.count(
            judged, lambda p, lim=limit: p["id"] in days and days[p["id"]] <= lim
        )
        whole = gender.count(judged)
        goals.append(
            {
                "weeks": weeks,
                "reached": reached,
                "judged": whole,
                "share": gender.share(reached, whole),
            }
        )
    return {
        "cohort": gender.count(cohort),
        "placed": gender.count(cohort, lambda p: p["id"] in days),
        "histogram": histogram,
        "median_days": medians,
        "goals": goals,
    }
