"""What the app adds to the engine's ranking, after it: confirmed skills and employer backlog.

Kept outside the engine on purpose (one small, separate step): the engine ranks on what the
profile says; here

- a skill a supervisor confirmed (`ConfirmedSkill`) that the offer asks for lifts the score a
  little more than the same self-reported skill does (CONFIRMED_BOOST per skill, at most
  CONFIRMED_MAX), with the reason "confirmed by a supervisor: …";
- an employer with candidates waiting for its answer is lowered softly (BACKLOG_STEP per waiting
  candidate, at most BACKLOG_MAX), with the reason "the employer has N unanswered candidates".

The suggestions are then ordered and ranked again.
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
    if not suggestions:
        return suggestions
    confirmed = {
        _key(s): s
        for s in Session.scalars(
            select(ConfirmedSkill.skill).where(ConfirmedSkill.participant_id == participant.id)
        )
    }
    offers = {
        str(o.id): o
        for o in Session.scalars(
            select(Offer).where(Offer.id.in_([int(s.offer_id) for s in suggestions]))
        )
    }
    waiting = dict(
        Session.execute(
            select(Offer.employer_id, func.count(Match.id))
            .join(Match, Match.offer_id == Offer.id)
            .where(
                Match.status == "interested",
                Offer.employer_id.in_({o.employer_id for o in offers.values()}),
            )
            .group_by(Offer.employer_id)
        ).all()
    )
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
