"""Progression for a unit manager: per indicator, the share who moved up, by gender.

For each participant and respondent, the first and the latest measurement within the period are
compared (services.progression.moved_up); only those measured at least twice count. Indicators
are listed in the unit's order, the participant's answers before the coach's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services import progression


def moved_up(
    assessments: list[dict[str, Any]],
    indicators: dict[str, tuple[str, str, int]],
    start: date | None,
    end: date,
) -> list[dict[str, Any]]:
    within = [
        a
        for a in assessments
        if (start is None or a["assessed_on"] >= start) and a["assessed_on"] <= end
    ]
    figures = progression.moved_up(within)
    order = {key: spec[2] for key, spec in indicators.items()}
    rows = []
    for (key, respondent), entry in sorted(
        figures.items(),
        key=lambda kv: (
            order.get(kv[0][0], 10_000),
            kv[0][0],
            progression.RESPONDENTS.index(kv[0][1]),
        ),
    ):
        sv, en, _pos = indicators.get(key, (key, key, 0))
        rows.append({"key": key, "label_sv": sv, "label_en": en, "respondent": respondent, **entry})
    return rows
