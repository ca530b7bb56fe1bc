"""The one place reports query: plain rows for the pure aggregations, within a scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from models import (
    Assessment,
    FollowAlongSupport,
    FollowUp,
    Indicator,
    Match,
    Offer,
    Placement,
    PlacementWeek,
    Session,
)
from services.reports.fields import field_of
from services.reports.scope import Scope, participants_query

PARTICIPANT_COLUMNS = (
    "id",
    "unit_id",
    "coach_id",
    "gender",
    "birth_year",
    "target_group",
    "support_level",
    "municipality",
    "enrolled_on",
    "exited_on",
    "exit_outcome",
    "outcome_6m",
    "outcome_6m_on",
)


@dataclass
class ReportInput:
    participants: list[dict[str, Any]] = field(default_factory=list)
    matches: list[dict[str, Any]] = field(default_factory=list)
    placements: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    # What follows a placement (`after`): attendance weeks, follow-ups after exit, support.
    weeks: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    supports: list[dict[str, Any]] = field(default_factory=list)
    # indicator key -> (Swedish label, English label, position), for the progression report
    indicators: dict[str, tuple[str, str, int]] = field(default_factory=dict)


def _vocabulary() -> Any:
    from services.vocabulary import active

    return active()


def load(
    scope: Scope,
    as_of: date,
    *,
    vocab: Any = None,
    with_matches: bool = True,
    with_assessments: bool = False,
    with_after: bool = False,
) -> ReportInput:
    """Rows for `scope`; matches are those computed in the period (their suggestion date)."""
    db = Session()
    people = db.scalars(participants_query(scope)).all()
    data = ReportInput(
        participants=[{c: getattr(p, c) for c in PARTICIPANT_COLUMNS} for p in people]
    )
    if not people:
        return data
    genders = {p.id: p.gender for p in people}
    ids = list(genders)
    chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)]
    for chunk in chunks:
        for pl in db.scalars(select(Placement).where(Placement.participant_id.in_(chunk))):
            data.placements.append(
                {
                    "id": pl.id,
                    "match_id": pl.match_id,
                    "participant_id": pl.participant_id,
                    "start_on": pl.start_on,
                    "end_on": pl.end_on,
                    "status": pl.status,
                }
            )
    if with_assessments:
        _load_assessments(data, chunks, genders, scope.unit_id)
    if with_after:
        _load_after(data, chunks, genders)
    if not with_matches:
        return data
    by_match = {pl["match_id"]: pl for pl in data.placements}
    vocab = vocab if vocab is not None else _vocabulary()
    fields_cache: dict[tuple[str, str], str] = {}
    start, end = scope.filters.start, scope.filters.end or as_of
    for chunk in chunks:
        rows = db.execute(
            select(Match, Offer.occupation, Offer.title)
            .join(Offer, Offer.id == Match.offer_id)
            .where(Match.participant_id.in_(chunk))
        ).all()
        for m, occupation, title in rows:
            day = m.computed_at.date()
            if (start is not None and day < start) or day > end:
                continue
            key = (occupation or "", title or "")
            if key not in fields_cache:
                fields_cache[key] = field_of([occupation, title], vocab)
            pl = by_match.get(m.id, {})
            data.matches.append(
                {
                    "id": m.id,
                    "participant_id": m.participant_id,
                    "gender": genders[m.participant_id],
                    "status": m.status,
                    "rejection_reason": m.rejection_reason,
                    "decided_at": m.decided_at,
                    "participant_answered_at": m.participant_answered_at,
                    "employer_answered_at": m.employer_answered_at,
                    "placement_start_on": pl.get("start_on"),
                    "placement_status": pl.get("status"),
                    "field": fields_cache[key],
                }
            )
    data.matches.sort(key=lambda m: m["id"])
    return data


def _load_assessments(
    data: ReportInput, chunks: list[list[int]], genders: dict[int, str], unit_id: int | None
) -> None:
    db = Session()
    for chunk in chunks:
        rows = db.execute(
            select(Assessment, Indicator.key)
            .join(Indicator, Indicator.id == Assessment.indicator_id)
            .where(Assessment.participant_id.in_(chunk))
        ).all()
        for a, key in rows:
            data.assessments.append(
                {
                    "participant_id": a.participant_id,
                    "gender": genders[a.participant_id],
                    "key": key,
                    "respondent": a.respondent,
                    "assessed_on": a.assessed_on,
                    "value": a.value,
                }
            )
    # Labels: the unit's own set first, then the default set, then any other unit's.
    rank = {unit_id: 0, None: 1}
    found = db.scalars(select(Indicator).order_by(Indicator.position, Indicator.id)).all()
    for ind in sorted(found, key=lambda i: rank.get(i.unit_id, 2)):
        data.indicators.setdefault(ind.key, (ind.label_sv, ind.label_en, ind.position))


def _load_after(data: ReportInput, chunks: list[list[int]], genders: dict[int, str]) -> None:
    db = Session()
    for chunk in chunks:
        weeks = db.execute(
            select(Placement.participant_id, PlacementWeek.week_start, PlacementWeek.hours_done)
            .join(Placement, Placement.id == PlacementWeek.placement_id)
            .where(Placement.participant_id.in_(chunk))
        )
        data.weeks += [
            {"participant_id": pid, "gender": genders[pid], "week_start": day, "hours_done": hours}
            for pid, day, hours in weeks
        ]
        rows = db.execute(
            select(FollowUp.participant_id, FollowUp.step, FollowUp.situation).where(
                FollowUp.participant_id.in_(chunk)
            )
        )
        data.follow_ups += [
            {"participant_id": pid, "step": step, "situation": situation}
            for pid, step, situation in rows
        ]
        supports = db.execute(
            select(
                FollowAlongSupport.participant_id,
                FollowAlongSupport.start_on,
                FollowAlongSupport.ended_on,
            ).where(FollowAlongSupport.participant_id.in_(chunk))
        )
        data.supports += [
            {"participant_id": pid, "start_on": s, "ended_on": e} for pid, s, e in supports
        ]
