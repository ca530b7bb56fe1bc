"""Planning-round fixtures: a unit with two coaches, participants and open offers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from models import Offer, Participant, Unit, User
from services import queue
from tests.factories import make_offer, make_participant, make_unit, make_user, make_workplace


@pytest.fixture(autouse=True)
def _no_leftover_jobs():
    queue.dispatcher.ready_list().clear()
    yield
    queue.dispatcher.ready_list().clear()


@dataclass
class Region:
    unit: Unit
    coach: User
    other_coach: User
    people: list[Participant]
    far: Participant
    offers: list[Offer]


@pytest.fixture
def region(db) -> Region:
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    other = make_user("coach", unit_id=unit.id)
    people = [
        make_participant(unit, coach, gender="woman"),
        make_participant(unit, coach, gender="man"),
        make_participant(unit, coach, gender="man"),
    ]
    # Malmö, with a 10 km commute: nothing in Karlskoga is feasible.
    far = make_participant(
        unit, coach, gender="woman", municipality="Malmö", lat=55.605, lon=13.0, max_commute_km=10
    )
    offers = [make_offer(make_workplace(), title=f"Lager {n}") for n in range(2)]
    return Region(unit, coach, other, people, far, offers)
