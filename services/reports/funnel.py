"""The matching funnel: suggested → approved → interested → accepted → started → completed.

A match row keeps only its current status, so the furthest stage it reached is read from that
status (STAGE_OF). A match withdrawn or released part-way keeps its timestamps: approved when a
coach decided on it, interested when the participant answered, accepted when the employer did,
and started/completed when its placement did. Every stage is counted per participant gender.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.reports import gender

STAGES = ("suggested", "approved", "interested", "accepted", "started", "completed")
STAGE_OF = {
    "suggested": 0,
    "rejected": 0,
    "approved": 1,
    "proposed": 1,
    "declined": 1,
    "interested": 2,
    "employer_declined": 2,
    "accepted": 3,
    "placement_planned": 3,
    "ongoing": 4,
    "ended_early": 4,
    "completed": 5,
}
# Why a match stopped, beside the coach's own rejection reasons.
STOPPED_BY = ("declined", "employer_declined", "withdrawn", "ended_early", "released")


def stage_reached(match: dict[str, Any], as_of: date) -> int:
    status = match["status"]
    if status in STAGE_OF:
        stage = STAGE_OF[status]
    else:  # withdrawn, released: read the timestamps the workflow left behind
        stage = 0
        if match.get("decided_at") is not None:
            stage = 1
        if match.get("participant_answered_at") is not None:
            stage = 2
        if match.get("employer_answered_at") is not None:
            stage = 3
    start = match.get("placement_start_on")
    if start is not None and start <= as_of:
        stage = max(stage, 4)
    if match.get("placement_status") == "completed":
        stage = 5
    return stage


def funnel(matches: list[dict[str, Any]], as_of: date) -> dict[str, Any]:
    """Counts per stage and gender, conversion from the stage before, and why matches stopped."""
    per_stage = [gender.empty() for _ in STAGES]
    for m in matches:
        group = gender.group_of(m["gender"])
        for i in range(stage_reached(m, as_of) + 1):
            per_stage[i][group] += 1
            per_stage[i]["total"] += 1
    stages = []
    previous = None
    for name, counts in zip(STAGES, per_stage, strict=True):
        stages.append(
            {
                "stage": name,
                "counts": counts,
                "conversion": gender.share(counts, previous) if previous else None,
            }
        )
        previous = counts
    reasons: dict[str, dict[str, int]] = {}
    for m in matches:
        if m["status"] == "rejected":
            key = f"rejected:{m.get('rejection_reason') or 'other'}"
        elif m["status"] in STOPPED_BY:
            key = m["status"]
        else:
            continue
        counts = reasons.setdefault(key, gender.empty())
        counts[gender.group_of(m["gender"])] += 1
        counts["total"] += 1
    return {
        "stages": stages,
        "reasons": sorted(reasons.items(), key=lambda kv: (-kv[1]["total"], kv[0])),
    }
