"""The ESF/SCB participant export: one row per participant active in the period, audited.

Columns follow what the units report: start and exit dates, gender, age band, target group,
support level, the outcome at exit and six months after, the hours done in the period (the
attendance log), the situation at the follow-ups 90 days, 6 and 12 months after exit, and whether
the person had follow-along support after a job start during the period. The personnummer column is present
only when the unit has enabled it (`Unit.export_personnummer`, a documented need); every export
is written to the audit log with the number of rows and whether personnummer was included.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from models import (
    FollowAlongSupport,
    FollowUp,
    Participant,
    Placement,
    PlacementWeek,
    Session,
    Unit,
    User,
)
from services import access, audit
from services.reports.files import safe_cell
from services.reports.outcomes import category

COLUMNS = (
    "participant_id",
    "start_date",
    "exit_date",
    "gender",
    "age_band",
    "target_group",
    "support_level",
    "municipality",
    "outcome_at_exit",
    "outcome_6m",
    "outcome_6m_date",
    "hours_done",
    "follow_up_90d",
    "follow_up_6m",
    "follow_up_12m",
    "follow_along_support",
)
AGE_BANDS = ((24, "15-24"), (29, "25-29"), (54, "30-54"), (64, "55-64"), (None, "65+"))


def age_band(birth_year: int | None, on: date) -> str:
    """Age in whole years reached during the year of `on` (only the birth year is stored)."""
    if birth_year is None:
        return "unknown"
    age = on.year - birth_year
    for upper, label in AGE_BANDS:
        if upper is None or age <= upper:
            return label
    return AGE_BANDS[-1][1]


@dataclass
class Export:
    filename: str
    text: str
    rows: int
    personnummer: bool


def _after(ids: list[int], start: date | None, end: date | None) -> dict[str, dict[Any, Any]]:
    """Per participant: hours done in the period, follow-up situations, support in the period."""
    hours: dict[int, float] = {}
    steps: dict[tuple[int, str], str] = {}
    support: set[int] = set()
    db = Session()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        weeks = db.execute(
            select(Placement.participant_id, PlacementWeek.week_start, PlacementWeek.hours_done)
            .join(Placement, Placement.id == PlacementWeek.placement_id)
            .where(Placement.participant_id.in_(chunk))
        )
        for pid, monday, done in weeks:
            if (start is None or monday >= start) and (end is None or monday <= end):
                hours[pid] = hours.get(pid, 0.0) + float(done or 0)
        for pid, step, situation in db.execute(
            select(FollowUp.participant_id, FollowUp.step, FollowUp.situation).where(
                FollowUp.participant_id.in_(chunk)
            )
        ):
            steps[(pid, step)] = situation
        for pid, began, ended in db.execute(
            select(
                FollowAlongSupport.participant_id,
                FollowAlongSupport.start_on,
                FollowAlongSupport.ended_on,
            ).where(FollowAlongSupport.participant_id.in_(chunk))
        ):
            if (end is None or began <= end) and (ended is None or start is None or ended >= start):
                support.add(pid)
    return {"hours": hours, "steps": steps, "support": dict.fromkeys(support, True)}


def rows_for(
    participants: list[Participant],
    with_personnummer: bool,
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    rows = []
    after = _after([p.id for p in participants], start, end)
    for p in participants:
        row: dict[str, Any] = {
            "participant_id": p.id,
            "start_date": p.enrolled_on.isoformat(),
            "exit_date": p.exited_on.isoformat() if p.exited_on else "",
            "gender": p.gender,
            "age_band": age_band(p.birth_year, p.enrolled_on),
            "target_group": p.target_group,
            "support_level": p.support_level,
            "municipality": p.municipality,
            "outcome_at_exit": category(p.exit_outcome) if p.exited_on else "",
            "outcome_6m": category(p.outcome_6m) if p.outcome_6m else "",
            "outcome_6m_date": p.outcome_6m_on.isoformat() if p.outcome_6m_on else "",
            "hours_done": round(after["hours"].get(p.id, 0.0), 1),
            "follow_up_90d": after["steps"].get((p.id, "90d"), ""),
            "follow_up_6m": after["steps"].get((p.id, "6m"), ""),
            "follow_up_12m": after["steps"].get((p.id, "12m"), ""),
            "follow_along_support": "yes" if p.id in after["support"] else "no",
        }
        if with_personnummer:
            row = {"personnummer": p.personnummer or ""} | row
        rows.append(row)
    return rows


def export(actor: User, unit_id: int, start: date, end: date, *, ip: str = "") -> Export:
    """The unit's export for participants active at some time in start..end; audited."""
    db = Session()
    unit = access.unit_reports(actor, unit_id)
    people = db.scalars(
        select(Participant)
        .where(
            Participant.unit_id == unit_id,
            Participant.enrolled_on <= end,
            (Participant.exited_on.is_(None)) | (Participant.exited_on >= start),
        )
        .order_by(Participant.enrolled_on, Participant.id)
    ).all()
    with_pnr = bool(unit.export_personnummer)
    rows = rows_for(list(people), with_pnr, start, end)
    out = io.StringIO()
    columns = (("personnummer",) if with_pnr else ()) + COLUMNS
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    audit.record(
        "report.esf_export",
        actor=actor,
        subject=unit,
        details={
            "rows": len(rows),
            "personnummer": with_pnr,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        ip=ip,
    )
    filename = f"esf-export-unit{unit_id}-{start.isoformat()}-{end.isoformat()}.csv"
    return Export(filename, out.getvalue(), len(rows), with_pnr)


def set_personnummer(actor: User, unit_id: int, enabled: bool, reason: str = "") -> Unit:
    """Turn the personnummer column on or off for a unit's exports; audited with the reason.

    Storing and passing on personnummer needs a clear justification (dataskyddslagen 3 kap. 10 §),
    so turning it on requires one in words.
    """
    unit = access.unit_reports(actor, unit_id)
    if enabled and not reason.strip():
        raise ValueError("reason_required")
    unit.export_personnummer = enabled
    audit.record(
        "unit.export_personnummer",
        actor=actor,
        subject=unit,
        details={"enabled": enabled, "reason": reason.strip()},
    )
    return unit
