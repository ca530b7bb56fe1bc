"""The gender split every figure carries: women, men, and other or not stated, with a total."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

GROUPS = ("woman", "man", "other")
COLUMNS = (*GROUPS, "total")


def group_of(gender: str | None) -> str:
    """'other' and 'not_stated' are reported together: both are too few to show apart safely."""
    return gender if gender in ("woman", "man") else "other"


def empty() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)


def count(
    rows: Iterable[dict[str, Any]], keep: Callable[[dict[str, Any]], bool] = bool
) -> dict[str, int]:
    """How many rows pass `keep`, per gender group and in total (rows carry a 'gender' key)."""
    out = empty()
    for row in rows:
        if keep(row):
            out[group_of(row.get("gender"))] += 1
            out["total"] += 1
    return out


def share(part: dict[str, int], whole: dict[str, int]) -> dict[str, float | None]:
    """Per column, part/whole as a percentage with one decimal; None where nothing to divide by."""
    return {k: (round(100 * part[k] / whole[k], 1) if whole[k] else None) for k in COLUMNS}
