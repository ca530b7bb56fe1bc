"""The employer's unanswered backlog (and confirmed skills) apply on every ranking path: a single
refresh, a caseload run and the installation's fan-out give the same order and reasons."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from models import ConfirmedSkill, Match, Session
from services import fanout, queue, suggestions
from tests.factories import (
    make_employer,
    make_offer,
    make_participant,
    make_unit,
    make_user,
    make_workplace,
)


@pytest.fixture
def world(db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    me = make_participant(unit, coach, skills=["truckkort", "kassa"])
    busy = make_employer(name="Långsamma AB")
    quick = make_employer(name="Snabba AB")
    # Alike but for the employer; the third asks for a skill a supervisor confirmed.
    slow = make_offer(make_workplace(busy), title="Lagerarbetare", capacity=5)
    fast = make_offer(make_workplace(quick), title="Lagerarbetare", capacity=5)
    shop = make_offer(
        make_workplace(make_employer()), title="Butik", skills_required=["kassa"], capacity=5
    )
    # Three candidates of another unit wait for the busy employer's answer.
    other = make_unit()
    for _ in range(3):
        p = make_participant(other)
        Session.add(Match(participant_id=p.id, offer_id=slow.id, status="interested"))
    Session.add(
        ConfirmedSkill(
            participant_id=me.id, skill="kassa", source="Handledare", confirmed_on=date(2026, 11, 2)
        )
    )
    Session.commit()
    return unit, me, slow, fast, shop


def _mine(participant_id: int) -> list[tuple[int, int, list[str], float]]:
    Session.expire_all()
    rows = Session.scalars(
        select(Match)
        .where(Match.participant_id == participant_id, Match.status == "suggested")
        .order_by(Match.rank)
    )
    return [
        (m.offer_id, m.rank, sorted(r["code"] for r in m.reasons), round(m.score, 6)) for m in rows
    ]


def _forget_suggestions() -> None:
    Session.execute(delete(Match).where(Match.status == "suggested"))
    Session.commit()


def test_caseload_run_and_fanout_rank_like_a_single_refresh(world):
    """Does a caseload run (and the installation's fan-out) give the same order and reasons as
    one participant's refresh, backlog penalty and confirmed-skill lift included?"""
    unit, me, slow, fast, shop = world
    suggestions.refresh_participant(me.id)
    single = _mine(me.id)
    by_offer = {row[0]: row for row in single}
    assert "employer_backlog" in by_offer[slow.id][2]
    assert "employer_backlog" not in by_offer[fast.id][2]
    assert "confirmed_skill" in by_offer[shop.id][2]
    assert by_offer[fast.id][1] < by_offer[slow.id][1]  # the busy employer's offer comes later

    _forget_suggestions()
    suggestions.refresh_unit(unit.id)
    assert _mine(me.id) == single

    _forget_suggestions()
    fanout.start_refresh(chunk_size=2)
    queue.run_ready()
    assert _mine(me.id) == single


def test_without_backlog_the_offers_tie_again(world):
    """Once the employer has answered, is its offer no longer lowered on the caseload run?"""
    unit, me, slow, fast, _shop = world
    Session.execute(delete(Match).where(Match.offer_id == slow.id, Match.status == "interested"))
    Session.commit()
    suggestions.refresh_unit(unit.id)
    rows = {row[0]: row for row in _mine(me.id)}
    assert "employer_backlog" not in rows[slow.id][2]
    assert rows[slow.id][3] == pytest.approx(rows[fast.id][3])
