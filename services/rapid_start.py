"""Rapid-start indicators for a coach's home page (the IPS/BIP finding: a first workplace within
8–10 weeks of enrolment matters more than anything else the unit does).

For each active participant of the coach: whether any proposal has been approved yet, the days
since enrolment against the 8-week goal (10 weeks at the latest) for a first workplace, and the
proposals waiting for an answer for more than a week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from models import Match, Participant, Session, utcnow

GOAL_DAYS = 8 * 7
LATEST_DAYS = 10 * 7
WAITING_DAYS = 7
NOT_YET_APPROVED = frozenset({"suggested", "rejected"})
FIRST_WORKPLACE = frozenset(
    {"accepted", "placement_planned", "ongoing", "completed", "ended_early"}
)


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
    starts: list[ParticipantStart]
    waiting: list[Waiting]

    @property
    def without_approved(self) -> list[ParticipantStart]:
        return [s for s in self.starts if not s.approved_any]

    @property
    def past_goal(self) -> list[ParticipantStart]:
        return [s for s in self.starts if s.state in ("goal_passed", "late")]


def for_coach(coach_id: int, unit_id: int | None, today: date | None = None) -> Indicators:
    now = utcnow()
    today = today or now.date()
    people = Session.scalars(
        select(Participant)
        .where(
            Participant.coach_id == coach_id,
            Participant.unit_id == unit_id,
            Participant.exited_on.is_(None),
        )
        .order_by(Participant.enrolled_on, Participant.id)
    ).all()
    ids = [p.id for p in people]
    statuses: dict[int, set[str]] = {pid: set() for pid in ids}
    waiting: list[Waiting] = []
    cutoff = now - timedelta(days=WAITING_DAYS)
    if ids:
        # Columns only: a large caseload has ~20 suggestion rows per person, and loading each
        # as a Match (with its reasons) took 20 s for 5,000 people (benchmarks/LOAD.md).
        late: dict[int, tuple[str, Any]] = {}
        rows = Session.execute(
            select(
                Match.id,
                Match.participant_id,
                Match.status,
                Match.proposed_at,
                Match.participant_answered_at,
            ).where(Match.participant_id.in_(ids))
        )
        for mid, pid, status, proposed_at, answered_at in rows:
            statuses[pid].add(status)
            since, who = None, ""
            if status == "proposed":
                since, who = proposed_at, "participant"
            elif status == "interested":
                since, who = answered_at, "employer"
            if since is not None and since < cutoff:
                late[mid] = (who, since)
        if late:
            for m in Session.scalars(select(Match).where(Match.id.in_(list(late)))):
                who, since = late[m.id]
                waiting.append(Waiting(m, who, since, (now - since).days))
    starts = [
        ParticipantStart(
            p,
            (today - p.enrolled_on).days,
            bool(statuses[p.id] - NOT_YET_APPROVED),
            bool(statuses[p.id] & FIRST_WORKPLACE),
        )
        for p in people
    ]
    waiting.sort(key=lambda w: -w.days)
    return Indicators(starts, waiting)
