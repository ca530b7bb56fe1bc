"""A region-wide offer's last slot, raced for by two units: is it promised exactly once?

Fresh migrated databases (committed data), real threads with their own sessions and
connections, released together by a barrier, as in `test_capacity_race.py`. Participants of two
units in the same region are interested in one offer shared with the whole region; the
employer's contacts accept them all at once. Then two coaches of the two units race to propose
their participants for an offer that filled meanwhile.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

import models
from models import Match, Offer, Participant, Region, User
from services import queue, sharing, workflow
from services.workflow import WorkflowError
from tests.conftest import make_database
from tests.factories import (
    make_employer,
    make_offer,
    make_participant,
    make_unit,
    make_user,
    make_workplace,
)

PER_UNIT = 4


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request, tmp_path):
    database = make_database(request.param, tmp_path)
    models.Session.remove()
    models.Session.configure(bind=database.engine)
    queue.configure(mode="sync")
    try:
        yield database
    finally:
        queue.dispatcher.ready_list().clear()
        models.Session.remove()
        models.Session.configure(bind=None)
        database._cleanup()


def _setup(status: str) -> dict:
    db = models.Session()
    region = Region(name="Örebro län")
    db.add(region)
    db.flush()
    a, b = make_unit(region_id=region.id), make_unit(region_id=region.id)
    employer = make_employer(home_unit_id=a.id)
    contacts = [make_user("employer", employer_id=employer.id) for _ in range(2 * PER_UNIT)]
    offer = make_offer(make_workplace(employer), capacity=2, sharing="region")
    offer.filled = 1
    coaches = {a.id: make_user("coach", unit_id=a.id), b.id: make_user("coach", unit_id=b.id)}
    matches = []
    for unit in (a, b):
        for _ in range(PER_UNIT):
            p = make_participant(unit, coaches[unit.id])
            m = Match(participant_id=p.id, offer_id=offer.id, status=status, score=0.5)
            db.add(m)
            db.flush()
            matches.append(m.id)
    db.commit()
    assert sharing.may_use(a.id, offer.id) and sharing.may_use(b.id, offer.id)
    out = {
        "offer_id": offer.id,
        "matches": matches,
        "contacts": [u.id for u in contacts],
        "coaches": {uid: c.id for uid, c in coaches.items()},
        "units": (a.id, b.id),
    }
    models.Session.remove()
    return out


def _race(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))

    def run(call) -> str:
        session = models.Session()
        try:
            prepared = call(session)
            session.commit()
            barrier.wait(timeout=30)
            prepared()
            return "ok"
        except WorkflowError:
            return "refused"
        finally:
            models.Session.remove()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_last_shared_slot_is_promised_once_across_units(fresh):
    """Eight acceptances, four per unit, for the last slot of a region-wide offer: exactly one
    wins, the offer is full, and no unit's participant holds a second slot."""
    world = _setup("interested")

    def accept(match_id: int, user_id: int):
        def prepare(session):
            match = session.get(Match, match_id)
            actor = session.get(User, user_id)
            assert match.offer is not None and match.participant is not None
            return lambda: workflow.employer_answer(match, actor, True)

        return prepare

    calls = [accept(m, u) for m, u in zip(world["matches"], world["contacts"], strict=True)]
    results = _race(calls)
    assert results.count("ok") == 1, results
    db = models.Session()
    assert db.get(Offer, world["offer_id"]).filled == 2
    winners = db.scalars(
        select(Participant.unit_id)
        .join(Match, Match.participant_id == Participant.id)
        .where(Match.offer_id == world["offer_id"], Match.status == "accepted")
    ).all()
    assert len(winners) == 1 and winners[0] in world["units"]
    assert (
        db.scalar(
            select(func.count(Match.id)).where(
                Match.offer_id == world["offer_id"], Match.status == "interested"
            )
        )
        == 2 * PER_UNIT - 1
    )


def test_two_units_coaches_race_for_the_last_slot(fresh):
    """The coaches of both units approve a suggestion of the same shared offer while one
    employer acceptance takes its last slot: the slot is taken once, and a proposal that comes
    after it is refused, so no unit promises a full offer to anyone."""
    world = _setup("suggested")
    accepted = models.Session()
    one = accepted.get(Match, world["matches"][0])
    one.status = "interested"
    accepted.commit()
    models.Session.remove()
    a, b = world["units"]
    coach_calls = []
    for i, unit in ((1, a), (PER_UNIT, b)):

        def approve(session, match_id=world["matches"][i], coach_id=world["coaches"][unit]):
            match = session.get(Match, match_id)
            coach = session.get(User, coach_id)
            assert match.offer is not None and match.participant is not None
            return lambda: workflow.approve(match, coach, "")

        coach_calls.append(approve)

    def take(session, match_id=world["matches"][0], user_id=world["contacts"][0]):
        match = session.get(Match, match_id)
        actor = session.get(User, user_id)
        assert match.offer is not None and match.participant is not None
        return lambda: workflow.employer_answer(match, actor, True)

    _race([take, *coach_calls])
    db = models.Session()
    offer = db.get(Offer, world["offer_id"])
    assert offer.filled == 2 == offer.capacity
    statuses = dict(
        db.execute(select(Match.id, Match.status).where(Match.offer_id == world["offer_id"])).all()
    )
    assert statuses[world["matches"][0]] == "accepted"
    assert sum(1 for s in statuses.values() if s in workflow.HOLDS_SLOT) == 1
    # Whatever the interleaving, once the offer is full nothing more can be promised on it.
    for i, unit in ((1, a), (PER_UNIT, b)):
        m = db.get(Match, world["matches"][i])
        if m.status == "suggested":
            coach = db.get(User, world["coaches"][unit])
            with pytest.raises(WorkflowError):
                workflow.approve(m, coach, "")
