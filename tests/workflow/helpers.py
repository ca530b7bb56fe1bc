"""A small world for workflow tests: a unit with a coach, a participant with an account, an
employer with a contact and an offer, and a match between them in a chosen status."""

from __future__ import annotations

from dataclasses import dataclass

from models import Employer, Match, Offer, Participant, Session, User
from tests.factories import (
    make_employer,
    make_offer,
    make_participant,
    make_unit,
    make_user,
    make_workplace,
)


@dataclass
class World:
    coach: User
    participant_user: User
    participant: Participant
    employer: Employer
    employer_user: User
    offer: Offer

    def match(self, status: str = "suggested", offer: Offer | None = None, **kw) -> Match:
        m = Match(
            participant_id=self.participant.id,
            offer_id=(offer or self.offer).id,
            status=status,
            score=0.5,
            **kw,
        )
        Session.add(m)
        Session.flush()
        return m


def make_world(capacity: int = 1, **participant_kw) -> World:
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    puser = make_user("participant", unit_id=unit.id)
    participant = make_participant(
        unit, coach, user_id=puser.id, max_commute_km=40, **participant_kw
    )
    employer = make_employer()
    euser = make_user("employer", employer_id=employer.id)
    offer = make_offer(make_workplace(employer), capacity=capacity)
    return World(coach, puser, participant, employer, euser, offer)


def other_participant(world: World, **kw) -> Participant:
    puser = make_user("participant", unit_id=world.participant.unit_id)
    unit = Session.get(
        type(world.participant).unit.property.mapper.class_, world.participant.unit_id
    )
    return make_participant(unit, world.coach, user_id=puser.id, max_commute_km=40, **kw)
