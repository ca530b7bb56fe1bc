"""The coach's suggestion queue: the engine's open suggestions across the unit's caseload,
filtered and paged, best score first (like `participants.caseload` for the caseload list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from models import Match, Offer, Participant, Session, User, Workplace
from services import access, workflow

PAGE_SIZE = 25
# Counting stops here: a large unit holds 100,000 suggestions, and counting them all costs more
# than the page itself; "more than 1,000" says as much to a coach (benchmarks/LOAD.md).
COUNT_CAP = 1_000


@dataclass
class QueueFilter:
    q: str = ""  # part of the offer's title or the participant's name
    municipality: str = ""  # the workplace's
    kind: str = ""  # praktik | arbetstraning | ...
    field: str = ""  # part of the occupation or the title
    max_km: float | None = None
    mine: bool = False  # only the coach's own participants
    page: int = 1


@dataclass
class QueuePage:
    rows: list[Match]
    total: int  # at most COUNT_CAP
    page: int
    pages: int
    more: bool = False  # there are more than `total`


def _filtered(actor: User, flt: QueueFilter) -> Select[Any]:
    stmt = (
        access.visible_matches(actor)
        .join(Participant, Participant.id == Match.participant_id)
        .join(Offer, Offer.id == Match.offer_id)
        .join(Workplace, Workplace.id == Offer.workplace_id)
        .where(Participant.exited_on.is_(None), Match.status == "suggested")
    )
    if flt.mine:
        stmt = stmt.where(Participant.coach_id == actor.id)
    if flt.municipality:
        stmt = stmt.where(Workplace.municipality == flt.municipality)
    if flt.kind:
        stmt = stmt.where(Offer.kind == flt.kind)
    if flt.field.strip():
        text = flt.field.strip()
        stmt = stmt.where(
            or_(
                Offer.occupation.icontains(text, autoescape=True),
                Offer.title.icontains(text, autoescape=True),
            )
        )
    if flt.max_km is not None:
        stmt = stmt.where(Match.distance_km <= float(flt.max_km))
    if flt.q.strip():
        text = flt.q.strip()
        name = Participant.first_name + " " + Participant.last_name
        # A protected identity's name must not be findable by anyone but their own coach.
        by_name = name.icontains(text, autoescape=True) & (
            Participant.protected_identity.is_(False) | (Participant.coach_id == actor.id)
        )
        stmt = stmt.where(or_(Offer.title.icontains(text, autoescape=True), by_name))
    return stmt


def count(actor: User, flt: QueueFilter, cap: int = COUNT_CAP) -> int:
    """How many suggestions the queue holds under the filter, counted up to `cap` + 1 (the
    coach home's figure; more than `cap` is shown as such)."""
    capped = _filtered(actor, flt).with_only_columns(Match.id).limit(cap + 1).subquery()
    return Session.scalar(select(func.count()).select_from(capped)) or 0


def queue(actor: User, flt: QueueFilter) -> QueuePage:
    """Suggestions for the active participants the coach may see (`access.visible_matches`),
    best score first, a page at a time."""
    stmt = _filtered(actor, flt)
    db = Session()
    total = count(actor, flt)
    more = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, flt.page), pages)
    rows = db.scalars(
        stmt.options(  # one query for the page's rows and their relations, not one per row
            contains_eager(Match.participant),
            contains_eager(Match.offer).contains_eager(Offer.workplace),
            contains_eager(Match.offer).selectinload(Offer.employer),
        )
        # `ix_matches_status_score`, read backwards, gives this order without sorting the
        # unit's 100,000 rows (PostgreSQL adds an incremental sort on id for equal scores).
        .order_by(Match.score.desc(), Match.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return QueuePage(list(rows), total, page, pages, more)


def workplace_municipalities() -> list[str]:
    """The municipalities the queue can be filtered by."""
    return list(
        Session.scalars(select(Workplace.municipality).distinct().order_by(Workplace.municipality))
    )


# --- decisions on several suggestions at once -------------------------------------------------


@dataclass
class Decided:
    done: list[Match]
    refused: list[tuple[int, str]]  # match id, the reason in words


def decide_many(
    actor: User, match_ids: list[int], action: str, *, reason: str = "", note: str = ""
) -> Decided:
    """Approve (and send), reject or undo each suggestion through the workflow, one by one: each
    is checked, audited and committed on its own, so one refusal does not stop the others."""
    result = Decided([], [])
    for match_id in dict.fromkeys(match_ids):
        try:
            m = access.match(actor, match_id)
            if action == "approve":
                workflow.approve(m, actor, note, send=True)
            elif action == "reject":
                workflow.reject(m, actor, reason, note)
            elif action == "undo":
                workflow.undo(m, actor)
            else:
                raise ValueError(action)
        except access.AccessDenied:
            result.refused.append((match_id, ""))
        except workflow.WorkflowError as err:
            result.refused.append((match_id, str(err)))
        else:
            result.done.append(m)
    return result
