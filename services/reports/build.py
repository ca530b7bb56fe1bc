"""Build one report for a scope: load the rows, run the pure aggregation, return plain JSON data.

The same function serves the page (directly) and the background job (for large scopes), so the
figures cannot differ between the two. The result is JSON-safe (dates as ISO strings) because the
job stores it in `JobRun.result`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from services.reports import after, equality, funnel, outcomes, progress, timing
from services.reports.data import ReportInput, load
from services.reports.scope import Scope

KINDS = ("outcomes", "timing", "funnel", "equality", "progression")
# Above this many participants in scope a page offers the report as a background job instead.
LARGE_SCOPE = 3000


def compute(
    kind: str, data: ReportInput, start: date | None, end: date, as_of: date
) -> dict[str, Any]:
    if kind == "outcomes":
        return {
            "participants": outcomes.participant_figures(data.participants, start, end),
            "at_exit": outcomes.at_exit(data.participants, start, end),
            "six_months": outcomes.six_months(data.participants, start, end, as_of),
            "hours": after.hours_done(data.weeks, start, end),
            "follow_ups": after.follow_ups(data.participants, data.follow_ups, start, end, as_of),
            "follow_along": after.follow_along(data.participants, data.supports, start, end),
        }
    if kind == "timing":
        return timing.days_to_first_placement(data.participants, data.placements, start, end, as_of)
    if kind == "funnel":
        return funnel.funnel(data.matches, as_of)
    if kind == "equality":
        return equality.monitor(data.participants, data.matches, as_of)
    if kind == "progression":
        return progress.moved_up(data.assessments, data.indicators, start, end)
    raise ValueError(f"unknown report {kind!r}; choose one of {', '.join(KINDS)}")


def build(
    kind: str,
    scope: Scope,
    as_of: date,
    *,
    vocab: Any = None,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"unknown report {kind!r}; choose one of {', '.join(KINDS)}")
    step = progress or (lambda _f, _m: None)
    step(0.1, "loading")
    data = load(
        scope,
        as_of,
        vocab=vocab,
        with_matches=kind in ("funnel", "equality"),
        with_assessments=kind == "progression",
        with_after=kind == "outcomes",
    )
    step(0.6, "counting")
    end = scope.filters.end or as_of
    figures = compute(kind, data, scope.filters.start, end, as_of)
    step(0.9, "done")
    report = {
        "kind": kind,
        "as_of": as_of,
        "scope": scope.to_json(),
        "population": len(data.participants),
        "figures": figures,
    }
    return json.loads(json.dumps(report, default=_plain))


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")
