"""Rapid-start indicators: no approved proposal, weeks since enrolment, answers waiting a week."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine

from services import rapid_start, workflow
from tests.factories import make_offer, make_participant
from tests.workflow.helpers import make_world


def test_states_against_the_eight_to_ten_week_goal(app, db):
    w = make_world(enrolled_on=date(2026, 11, 1))
    coach, unit = w.coach, w.participant.unit
    late = make_participant(unit, coach, enrolled_on=date(2026, 8, 1))  # 111 days
    past = make_participant(unit, coach, enrolled_on=date(2026, 9, 20))  # 61 days
    placed = make_participant(unit, coach, enrolled_on=date(2026, 8, 1))
    make_participant(unit, coach, enrolled_on=date(2026, 8, 1), exited_on=date(2026, 10, 1))
    w.match("ongoing")
    from models import Match, Session

    Session.add(Match(participant_id=placed.id, offer_id=make_offer().id, status="completed"))
    Session.flush()
    found = rapid_start.for_coach(coach.id, unit.id, today=date(2026, 11, 20))
    states = {s.participant.id: s.state for s in found.starts}
    assert states == {
        w.participant.id: "placed",
        late.id: "late",
        past.id: "goal_passed",
        placed.id: "placed",
    }
    assert {s.participant.id for s in found.without_approved} == {late.id, past.id}
    assert {s.participant.id for s in found.past_goal} == {late.id, past.id}


def test_answers_waiting_more_than_a_week(app, db):
    w = make_world()
    m = w.match("approved")
    db.commit()
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), tick=False):
        workflow.propose(m, w.coach)
    with time_machine.travel(datetime(2026, 11, 8, 9, 0, tzinfo=UTC), tick=False):
        assert rapid_start.for_coach(w.coach.id, w.coach.unit_id).waiting == []
    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=UTC), tick=False):
        waiting = rapid_start.for_coach(w.coach.id, w.coach.unit_id).waiting
        assert [(x.match.id, x.waiting_for, x.days) for x in waiting] == [(m.id, "participant", 8)]
        workflow.answer(m, w.participant_user, True)
    with time_machine.travel(datetime(2026, 11, 18, 9, 0, tzinfo=UTC), tick=False):
        waiting = rapid_start.for_coach(w.coach.id, w.coach.unit_id).waiting
        assert [(x.waiting_for, x.days) for x in waiting] == [("employer", 8)]
