"""Rapid-start indicators for a coach's home page (the IPS/BIP finding: a first workplace within
8–10 weeks of enrolment matters more than anything else the unit does).

For the coach's active participants: how many have no approved proposal yet, how many are past
the 8-week goal (10 weeks at the latest) without a first workplace, and the proposals waiting for
an answer for more than a week; then one page of the caseload with each person's state.

The figures are counted in SQL (`flagged` is the condition behind each, which the caseload list
filters by), and only one page of people is loaded: a large unit's coach may have 5,000
participants with 20 suggestion rows each (benchmarks/LOAD.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from models import Match, Participant, Session, utcnow
from services.workflow import STATUS_LABELS

GOAL_DAYS = 8 * 7
LATEST_DAYS = 10 * 7
WAITING_DAYS = 7
NOT_YET_APPROVED = frozenset({"suggested", "rejected"})
FIRST_WORKPLACE = frozenset(
    {"accepted", "placement_planned", "ongoing", "completed", "ended_early"}
)
PAGE_SIZE = 50  # people in the home page's table at a time
WAITING_SHOWN = 20  # longest-waiting proposals listed on the home page
FLAGS = ("no_approved", "past_goal")
# Every status a coach's approval leads to, spelled out: `status IN (...)` uses the status
# index, where `NOT IN ('suggested', 'rejected')` read all of a large unit's 100,000 rows.
APPROVED_ANY = frozenset(STATUS_LABELS) - NOT_YET_APPROVED


@dataclass(frozen=True)
class ParticipantStart:
    participant: Participant
    days_enrolled: int
    approved_any: bool
    has_workplace: bool

    @property
    def state(self) -> str:
        """on_track | goal_passed (past 8 weeks) | late (past 10 weeks) | placed"""
        if self.has_workplace:
            return "placed"
        if self.days_enrolled > LATEST_DAYS:
            return "late"
        if self.days_enrolled > GOAL_DAYS:
            return "goal_passed"
        return "on_track"


@dataclass(frozen=True)
class Waiting:
    match: Match
    waiting_for: str  # participant | employer
    since: datetime
    days: int


@dataclass(frozen=True)
class Indicators:
    starts: list[ParticipantStart]  # one page, by enrolment date
    waiting: list[Waiting]  # the longest-waiting WAITING_SHOWN
    total: int  # active participants of the coach
    without_approved: int
    past_goal: int
    waiting_total: int
    page: int = 1
    pages: int = 1


def _has_match(statuses: frozenset[str]) -> ColumnElement[bool]:
    return exists().where(Match.participant_id == Participant.id, Match.status.in_(statuses))


def flagged(flag: str, today: date | None = None) -> ColumnElement[bool]:
    """SQL condition on `Participant` behind a home-page figure: `no_approved` (no proposal
    approved yet) or `past_goal` (enrolled more than 8 weeks ago, no first workplace)."""
    if flag == "no_approved":
        return ~_has_match(APPROVED_ANY)
    if flag == "past_goal":
        today = today or utcnow().date()
        return and_(
            Participant.enrolled_on < today - timedelta(days=GOAL_DAYS),
            ~_has_match(FIRST_WORKPLACE),
        )
    raise ValueError(flag)


def caseload(coach_id: int, unit_id: int | None) -> Select[Any]:
    """The coach's active participants in their unit."""
    return select(Participant).where(
        Participant.coach_id == coach_id,
        Participant.unit_id == unit_id,
        Participant.exited_on.is_(None),
    )


def _count(query: Select[Any]) -> int:
    return Session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _waiting(coach_id: int, unit_id: int | None, now: datetime) -> tuple[list[Waiting], int]:
    cutoff = now - timedelta(days=WAITING_DAYS)
    mine = caseload(coach_id, unit_id).with_only_columns(Participant.id)
    late = or_(
        and_(Match.status == "proposed", Match.proposed_at < cutoff),
        and_(Match.status == "interested", Match.participant_answered_at < cutoff),
    )
    query = select(Match).where(Match.participant_id.in_(mine), late)
    since = func.coalesce(Match.participant_answered_at, Match.proposed_at)
    rows = Session.scalars(
        query.options(selectinload(Match.participant), selectinload(Match.offer))
        .order_by(since, Match.id)
        .limit(WAITING_SHOWN)
    ).all()
    waiting = []
    for m in rows:
        who, at = (
            ("participant", m.proposed_at)
            if m.status == "proposed"
            else ("employer", m.participant_answered_at)
        )
        waiting.append(Waiting(m, who, at, (now - at).days))
    waiting.sort(key=lambda w: -w.days)
    total = len(rows) if len(rows) < WAITING_SHOWN else _count(query)
    return waiting, total


def for_coach(
    coach_id: int, unit_id: int | None, today: date | None = None, *, page: int = 1
) -> Indicators:
    now = utcnow()
    today = today or now.date()
    people = caseload(coach_id, unit_id)
    total = _count(people)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = Session.scalars(
        people.order_by(Participant.enrolled_on, Participant.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    statuses: dict[int, set[str]] = {p.id: set() for p in rows}
    if rows:
        # Distinct statuses per person of this page only, as columns (not Match rows).
        for pid, status in Session.execute(
            select(Match.participant_id, Match.status)
            .where(Match.participant_id.in_(list(statuses)))
            .distinct()
        ):
            statuses[pid].add(status)
    starts = [
        ParticipantStart(
            p,
            (today - p.enrolled_on).days,
            bool(statuses[p.id] - NOT_YET_APPROVED),
            bool(statuses[p.id] & FIRST_WORKPLACE),
        )
        for p in rows
    ]
    waiting, waiting_total = _waiting(coach_id, unit_id, now)
    return Indicators(
        starts=starts,
        waiting=waiting,
        total=total,
        without_approved=_count(people.where(flagged("no_approved", today))),
        past_goal=_count(people.where(flagged("past_goal", today))),
        waiting_total=waiting_total,
        page=page,
        pages=pages,
    )
