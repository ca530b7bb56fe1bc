"""What the app adds to the engine's ranking, after it: confirmed skills and employer backlog.

Kept outside the engine on purpose (one small, separate step): the engine ranks on what the
profile says; here

- a skill a supervisor confirmed (`ConfirmedSkill`) that the offer asks for lifts the score a
  little more than the same self-reported skill does (CONFIRMED_BOOST per skill, at most
  CONFIRMED_MAX), with the reason "confirmed by a supervisor: …";
- an employer with candidates waiting for its answer is lowered softly (BACKLOG_STEP per waiting
  candidate, at most BACKLOG_MAX), with the reason "the employer has N unanswered candidates".

The suggestions are then ordered and ranked again. Every ranking path calls `adjust_many`.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from matcher.reasons import Reason
from matcher.types import Suggestion
from models import ConfirmedSkill, Match, Offer, Participant, Session

CONFIRMED_BOOST = 0.06
CONFIRMED_MAX = 0.18
BACKLOG_STEP = 0.02
BACKLOG_MAX = 0.10


def _key(text: str) -> str:
    return " ".join(str(text).casefold().split())


def adjust(participant: Participant, suggestions: list[Suggestion]) -> list[Suggestion]:
    """One participant's suggestions, adjusted (a single refresh)."""
    return adjust_many({participant.id: suggestions})[participant.id]


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def adjust_many(found: dict[int, list[Suggestion]]) -> dict[int, list[Suggestion]]:
    """Every ranking path's adjustment, by participant id: a single refresh, a caseload run
    (`suggestions.refresh_unit`), a chunk of the installation's refresh (`fanout`) and a
    planning round's pools all come here, so the same data gives the same order and reasons.
    A few queries for the whole batch, not per participant."""
    offer_ids = sorted({int(s.offer_id) for ss in found.values() for s in ss})
    if not offer_ids:
        return {pid: list(ss) for pid, ss in found.items()}
    confirmed: dict[int, set[str]] = {pid: set() for pid in found}
    for chunk in _chunks(sorted(found)):
        for pid, skill in Session.execute(
            select(ConfirmedSkill.participant_id, ConfirmedSkill.skill).where(
                ConfirmedSkill.participant_id.in_(chunk)
            )
        ):
            confirmed[pid].add(_key(skill))
    offers: dict[str, Offer] = {}
    for chunk in _chunks(offer_ids):
        offers |= {str(o.id): o for o in Session.scalars(select(Offer).where(Offer.id.in_(chunk)))}
    waiting: dict[int, int] = {}
    employer_ids = sorted({o.employer_id for o in offers.values()})
    for chunk in _chunks(employer_ids):
        waiting |= dict(
            Session.execute(
                select(Offer.employer_id, func.count(Match.id))
                .join(Match, Match.offer_id == Offer.id)
                .where(Match.status == "interested", Offer.employer_id.in_(chunk))
                .group_by(Offer.employer_id)
            ).all()
        )
    return {
        pid: _adjust_one(ss, confirmed.get(pid, set()), offers, waiting)
        for pid, ss in found.items()
    }


def _adjust_one(
    suggestions: list[Suggestion],
    confirmed: set[str],
    offers: dict[str, Offer],
    waiting: dict[int, int],
) -> list[Suggestion]:
    if not suggestions:
        return list(suggestions)
    out = []
    for s in suggestions:
        offer = offers.get(s.offer_id)
        if offer is None:
            out.append(s)
            continue
        factor, reasons = 1.0, list(s.reasons)
        wanted = [*(offer.skills_required or ()), *(offer.skills_desired or ())]
        hits = [str(w) for w in wanted if _key(w) in confirmed]
        if hits:
            factor += min(CONFIRMED_MAX, CONFIRMED_BOOST * len(hits))
            reasons += [Reason("confirmed_skill", {"skill": h}) for h in hits]
        backlog = int(waiting.get(offer.employer_id, 0))
        if backlog:
            factor -= min(BACKLOG_MAX, BACKLOG_STEP * backlog)
            reasons.append(Reason("employer_backlog", {"count": backlog}))
        if factor == 1.0:
            out.append(s)
            continue
        components = dict(s.components) | {"app_adjustment": round(factor, 4)}
        out.append(
            replace(s, score=s.score * factor, reasons=tuple(reasons), components=components)
        )
    out.sort(key=lambda s: (-s.score, s.offer_id))
    return [replace(s, rank=i) for i, s in enumerate(out, start=1)]
