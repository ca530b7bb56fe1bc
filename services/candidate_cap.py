"""The employer's cap on open candidates per offer ("at most N open candidates at once").

Besides pausing an offer, an employer may say how many candidates it can handle at once. A
candidate is open from the coach's approval until the employer's answer (approved, proposed,
interested). At the cap, no new proposal goes to the offer: `workflow` asks `check` wherever a
match is approved or sent (suggestions, manual matches, planning rounds all go through it), and
the ranking leaves capped offers out of new suggestions (`capped_offer_ids`), which the coach
sees as an exclusion reason in words (`candidate_cap`).

Race-safety: `check` runs after the offer row is locked (PostgreSQL: `SELECT ... FOR UPDATE`, the
lock every transition on that offer takes first; SQLite: `BEGIN IMMEDIATE` serialises writers),
so two coaches approving at once cannot both take the last place under the cap.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session as OrmSession

from models import Match, Offer, Session

OPEN_CANDIDATE = ("approved", "proposed", "interested")


def open_candidates(
    offer_id: int, *, besides: int | None = None, db: OrmSession | None = None
) -> int:
    """How many candidates are open on the offer, not counting the match `besides`."""
    db = db or Session()
    query = select(func.count(Match.id)).where(
        Match.offer_id == offer_id, Match.status.in_(OPEN_CANDIDATE)
    )
    if besides is not None:
        query = query.where(Match.id != besides)
    return int(db.scalar(query) or 0)


def lock_offer(offer_id: int, db: OrmSession | None = None) -> None:
    """Take the offer's row lock on PostgreSQL (held to the end of the transaction)."""
    db = db or Session()
    if db.get_bind().dialect.name == "postgresql":
        db.execute(select(Offer.id).where(Offer.id == offer_id).with_for_update())


def at_cap(offer: Offer, *, besides: int | None = None) -> bool:
    """Whether one more open candidate would exceed the offer's cap (locks the offer first)."""
    if offer.max_open_candidates is None:
        return False
    lock_offer(offer.id)
    return open_candidates(offer.id, besides=besides) >= offer.max_open_candidates


def below_cap() -> ColumnElement[bool]:
    """SQL condition on `Offer`: it has no cap, or fewer open candidates than its cap."""
    n = (
        select(func.count(Match.id))
        .where(Match.offer_id == Offer.id, Match.status.in_(OPEN_CANDIDATE))
        .correlate(Offer)
        .scalar_subquery()
    )
    return or_(Offer.max_open_candidates.is_(None), n < Offer.max_open_candidates)


def capped_offer_ids(db: OrmSession | None = None) -> set[str]:
    """Open offers at their cap, as the engine's offer ids (left out of new suggestions)."""
    db = db or Session()
    rows = db.scalars(
        select(Offer.id).where(
            Offer.status == "published", Offer.filled < Offer.capacity, ~below_cap()
        )
    )
    return {str(i) for i in rows}
