"""Planning-round fixtures: a unit with two coaches, participants and open offers; and two
units of a region with a manager and the region's coordinator (`world`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from models import Offer, Participant, Unit, User
from models import Region as RegionRow
from services import queue
from tests.factories import (
    make_employer,
    make_offer,
    make_participant,
    make_unit,
    make_user,
    make_workplace,
)


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


@dataclass
class Leaders:
    region: RegionRow
    a: Unit
    b: Unit
    outside: Unit
    coach_a: User
    coach_b: User
    manager_a: User
    coordinator: User
    people_a: list[Participant]
    person_b: Participant
    person_outside: Participant
    shared_a: Offer  # home unit A, shared with the region
    own_b: Offer  # home unit B, kept to unit B
    shared_outside: Offer  # another region's shared offer


def _offer(unit: Unit, sharing: str, title: str) -> Offer:
    employer = make_employer(home_unit_id=unit.id)
    return make_offer(make_workplace(employer), title=title, sharing=sharing, capacity=1)


@pytest.fixture
def world(db) -> Leaders:
    region = RegionRow(name="Örebro län")
    elsewhere = RegionRow(name="Skåne län")
    db.add_all([region, elsewhere])
    db.flush()
    a, b = make_unit(region_id=region.id), make_unit(region_id=region.id)
    outside = make_unit(region_id=elsewhere.id)
    coach_a, coach_b = make_user("coach", unit_id=a.id), make_user("coach", unit_id=b.id)
    manager_a = make_user("admin", unit_id=a.id)
    coordinator = make_user("admin", unit_id=b.id, coordinates_region_id=region.id)
    people_a = [make_participant(a, coach_a, gender=g) for g in ("woman", "man")]
    person_b = make_participant(b, coach_b, gender="woman")
    person_outside = make_participant(outside, make_user("coach", unit_id=outside.id))
    world = Leaders(
        region,
        a,
        b,
        outside,
        coach_a,
        coach_b,
        manager_a,
        coordinator,
        people_a,
        person_b,
        person_outside,
        _offer(a, "region", "Lager A"),
        _offer(b, "unit", "Lager B"),
        _offer(outside, "region", "Lager Skåne"),
    )
    db.flush()
    return world
