"""A small world for API tests: two units, each with a coach, a participant, a verified
employer with a workplace and a published offer, a suggestion, and tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models import Match, Session
from services import api_tokens
from tests.factories import (
    make_employer,
    make_offer,
    make_participant,
    make_unit,
    make_user,
    make_workplace,
)


@dataclass
class Side:
    unit: Any
    coach: Any
    employer_user: Any
    participant: Any
    offer: Any
    workplace: Any
    match: Any
    coach_token: str
    employer_token: str


def side(admin: Any) -> Side:
    from models import utcnow

    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    employer = make_employer(verified_at=utcnow())
    employer_user = make_user("employer", employer_id=employer.id)
    workplace = make_workplace(employer)
    offer = make_offer(workplace)
    participant = make_participant(unit, coach)
    match = Match(
        participant_id=participant.id, offer_id=offer.id, status="suggested", score=0.8, rank=1
    )
    Session.add(match)
    Session.flush()
    _t1, coach_secret = api_tokens.create(
        admin, name="coach", kind="user", days=30, user_id=coach.id
    )
    _t2, employer_secret = api_tokens.create(
        admin, name="employer", kind="user", days=30, user_id=employer_user.id
    )
    return Side(
        unit,
        coach,
        employer_user,
        participant,
        offer,
        workplace,
        match,
        coach_secret,
        employer_secret,
    )


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
