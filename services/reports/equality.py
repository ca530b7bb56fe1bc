"""Equality monitor: do suggestions, approvals and placements differ by gender per field?

Per occupational field and gender:
- suggestion rate: participants with at least one suggestion in the field / participants in scope;
- approval rate: suggestions in the field a coach approved (reached "approved") / suggestions;
- placement rate: approved suggestions that became a started placement / approved suggestions.
A difference between women and men of at least `threshold_pp` percentage points, where both
denominators have at least `min_cases`, is flagged for a coach to review. Nothing is corrected
automatically: a difference can have good reasons (the participants' own wishes come first).
Also: the share of placements in fields where the participant's gender is under-represented
(the other gender dominates; `fields.DOMINANT`), for women and men.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.reports import gender
from services.reports.fields import DOMINANT
from services.reports.funnel import stage_reached

THRESHOLD_PP = 10.0
MIN_CASES = 5
RATES = ("suggestion", "approval", "placement")


def _rate(num: int, den: int) -> float | None:
    return round(100 * num / den, 1) if den else None


def monitor(
    participants: list[dict[str, Any]],
    matches: list[dict[str, Any]],
    as_of: date,
    *,
    dominant: dict[str, str | None] | None = None,
    threshold_pp: float = THRESHOLD_PP,
    min_cases: int = MIN_CASES,
) -> dict[str, Any]:
    dominant = DOMINANT if dominant is None else dominant
    population = gender.count(participants)
    # One pass over the matches: counts per field and gender column ("total" included).
    stages = [stage_reached(m, as_of) for m in matches]
    tally: dict[str, dict[str, dict[str, Any]]] = {}
    for m, stage in zip(matches, stages, strict=True):
        columns = tally.setdefault(m["field"], {})
        for g in (gender.group_of(m["gender"]), "total"):
            c = columns.setdefault(g, {"people": set(), "suggested": 0, "approved": 0, "placed": 0})
            c["people"].add(m["participant_id"])
            c["suggested"] += 1
            c["approved"] += stage >= 1
            c["placed"] += stage >= 4
    rows = []
    flags = []
    for field in sorted(tally):
        row: dict[str, Any] = {"field": field, "dominant": dominant.get(field)}
        for g in gender.COLUMNS:
            c = tally[field].get(g, {"people": set(), "suggested": 0, "approved": 0, "placed": 0})
            people, suggested, approved, placed = (
                len(c["people"]),
                c["suggested"],
                c["approved"],
                c["placed"],
            )
            row[g] = {
                "participants": people,
                "population": population[g],
                "suggested": suggested,
                "approved": approved,
                "placed": placed,
                "suggestion": _rate(people, population[g]),
                "approval": _rate(approved, suggested),
                "placement": _rate(placed, approved),
            }
        denominators = {
            "suggestion": "population",
            "approval": "suggested",
            "placement": "approved",
        }
        for rate in RATES:
            w, m_ = row["woman"], row["man"]
            den = denominators[rate]
            if w[rate] is None or m_[rate] is None or min(w[den], m_[den]) < min_cases:
                continue
            diff = round(w[rate] - m_[rate], 1)
            if abs(diff) >= threshold_pp:
                flags.append(
                    {
                        "field": field,
                        "rate": rate,
                        "woman": w[rate],
                        "man": m_[rate],
                        "difference_pp": diff,
                    }
                )
        rows.append(row)
    placed = [
        m
        for m, stage in zip(matches, stages, strict=True)
        if stage >= 4
        and dominant.get(m["field"])
        and gender.group_of(m["gender"]) in ("woman", "man")
    ]
    in_known = gender.count(placed)
    against = gender.count(placed, lambda m: dominant[m["field"]] != gender.group_of(m["gender"]))
    return {
        "rows": rows,
        "flags": flags,
        "non_traditional": {
            "placed": in_known,
            "under_represented": against,
            "share": gender.share(against, in_known),
        },
        "threshold_pp": threshold_pp,
        "min_cases": min_cases,
    }
