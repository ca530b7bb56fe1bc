"""Capacity integrity under real concurrency: many employers' acceptances race for the last slot.

Each test builds a fresh, migrated database (committed data, no wrapping transaction) and runs
the acceptances on real threads with their own sessions and connections, released together by
a barrier. Whatever the interleaving, exactly one may win.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

import models
from models import Match, Offer, User
from services import queue, workflow
from services.workflow import WorkflowError
from tests.conftest import make_database
from tests.factories import make_participant
from tests.workflow.helpers import make_world

RACERS = 8


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


def _setup(capacity: int, filled: int) -> tuple[int, int, list[int]]:
    """An offer with one open slot and RACERS interested participants, committed."""
    world = make_world(capacity=capacity)
    world.offer.filled = filled
    unit = world.participant.unit
    ids = []
    for _ in range(RACERS):
        p = make_participant(unit, world.coach)
        m = Match(participant_id=p.id, offer_id=world.offer.id, status="interested")
        models.Session.add(m)
        models.Session.flush()
        ids.append(m.id)
    models.Session.commit()
    offer_id, employer_user_id = world.offer.id, world.employer_user.id
    models.Session.remove()
    return offer_id, employer_user_id, ids


def _race(employer_user_id: int, match_ids: list[int]) -> list[str]:
    barrier = threading.Barrier(len(match_ids))

    def accept(match_id: int) -> str:
        session = models.Session()  # this thread's own session and connection
        try:
            match = session.get(Match, match_id)
            actor = session.get(User, employer_user_id)
            assert match.offer is not None and match.participant is not None
            session.commit()  # end the read transaction so that all start level
            barrier.wait(timeout=30)
            workflow.employer_answer(match, actor, True)
            return "accepted"
        except WorkflowError:
            return "refused"
        finally:
            models.Session.remove()

    with ThreadPoolExecutor(max_workers=len(match_ids)) as pool:
        return list(pool.map(accept, match_ids))


def test_last_slot_exactly_one_wins(fresh):
    """N simultaneous acceptances of an offer's last slot: does exactly one succeed?"""
    offer_id, employer_user_id, ids = _setup(capacity=3, filled=2)
    results = _race(employer_user_id, ids)
    assert results.count("accepted") == 1, results
    assert results.count("refused") == RACERS - 1
    db = models.Session()
    assert db.get(Offer, offer_id).filled == 3
    accepted = db.scalar(
        select(func.count(Match.id)).where(Match.offer_id == offer_id, Match.status == "accepted")
    )
    assert accepted == 1
    still = db.scalar(
        select(func.count(Match.id)).where(Match.offer_id == offer_id, Match.status == "interested")
    )
    assert still == RACERS - 1


def test_two_slots_two_winners(fresh):
    offer_id, employer_user_id, ids = _setup(capacity=2, filled=0)
    results = _race(employer_user_id, ids)
    assert results.count("accepted") == 2, results
    assert models.Session().get(Offer, offer_id).filled == 2


def test_database_refuses_overfilling_by_itself(fresh):
    """Does the CHECK constraint stop an unguarded write that would overfill? It must."""
    offer_id, _user, _ids = _setup(capacity=1, filled=1)
    db = models.Session()
    with pytest.raises(IntegrityError):
        db.execute(update(Offer).where(Offer.id == offer_id).values(filled=Offer.filled + 1))
        db.flush()
    db.rollback()


def test_same_match_approved_twice_at_once(fresh):
    """Two coaches (or a double click) approve the same suggestion at the same moment: does
    exactly one approval go through, with one audit event and one notification?"""
    from models import AuditEvent, Notification

    world = make_world()
    match = world.match("suggested")
    models.Session.commit()
    match_id, coach_id, puser_id = match.id, world.coach.id, world.participant_user.id
    models.Session.remove()
    barrier = threading.Barrier(4)

    def approve(_n: int) -> str:
        session = models.Session()
        try:
            m = session.get(Match, match_id)
            coach = session.get(User, coach_id)
            assert m.participant is not None and m.offer is not None
            session.commit()
            barrier.wait(timeout=30)
            workflow.approve(m, coach, "")
            return "approved"
        except WorkflowError:
            return "refused"
        finally:
            models.Session.remove()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(approve, range(4)))
    assert results.count("approved") == 1, results
    db = models.Session()
    assert db.get(Match, match_id).status == "proposed"
    assert (
        db.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "match.approve"))
        == 1
    )
    assert (
        db.scalar(select(func.count(Notification.id)).where(Notification.user_id == puser_id)) == 1
    )
