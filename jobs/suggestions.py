"""Background refreshes of the engine's suggestions; each takes an id and tolerates its absence.

The scheduling helpers live in `services.suggestions` (web, jobs and CLI call the same
functions) and are re-exported here for callers that think of them as jobs.
"""

from __future__ import annotations

from typing import Any

from jobs.queue import progress
from jobs.retry import on_sqlite_lock
from services import suggestions
from services.suggestions import (  # noqa: F401  (re-exported)
    schedule_refresh_for_offer,
    schedule_refresh_for_participant,
    schedule_refresh_for_unit,
)


def refresh_participant(participant_id: int) -> dict[str, Any]:
    result = on_sqlite_lock(lambda: suggestions.refresh_participant(participant_id))
    return {"status": "missing"} if result is None else result.as_dict()


def refresh_for_offer(offer_id: int) -> dict[str, Any]:
    """An offer changed: refresh those for whom it is now feasible or who had it suggested."""
    affected = on_sqlite_lock(lambda: suggestions.participants_affected_by_offer(offer_id))
    for n, participant_id in enumerate(affected, start=1):
        on_sqlite_lock(lambda pid=participant_id: suggestions.refresh_participant(pid))
        progress(n / len(affected), f"{n}/{len(affected)}")
    return {"offer_id": offer_id, "participants": len(affected)}


def refresh_unit(unit_id: int) -> dict[str, Any]:
    return on_sqlite_lock(lambda: suggestions.refresh_unit(unit_id, on_progress=progress))
