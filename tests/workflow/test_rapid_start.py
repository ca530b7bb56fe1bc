"""Rapid-start indicators: no approved proposal, weeks since enrolment, answers waiting a week."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine

from models import Session
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
    from models import Match

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
    assert (found.total, found.without_approved, found.past_goal) == (4, 2, 2)
    # The figures are counted by the same SQL conditions the caseload list filters by.
    for flag in ("no_approved", "past_goal"):
        people = rapid_start.caseload(coach.id, unit.id).where(
            rapid_start.flagged(flag, date(2026, 11, 20))
        )
        assert {p.id for p in Session.scalars(people)} == {late.id, past.id}


def test_does_the_home_page_show_one_page_of_a_large_caseload(app, db, monkeypatch):
    """A coach of 5,000 participants gets the figures for all and the table a page at a time."""
    monkeypatch.setattr(rapid_start, "PAGE_SIZE", 2)
    w = make_world(enrolled_on=date(2026, 11, 1))
    coach, unit = w.coach, w.participant.unit
    people = [make_participant(unit, coach, enrolled_on=date(2026, 8, n)) for n in (1, 2, 3)]
    first = rapid_start.for_coach(coach.id, unit.id, today=date(2026, 11, 20))
    assert (first.total, first.page, first.pages, len(first.starts)) == (4, 1, 2, 2)
    assert [s.participant.id for s in first.starts] == [people[0].id, people[1].id]
    last = rapid_start.for_coach(coach.id, unit.id, today=date(2026, 11, 20), page=9)
    assert last.page == 2 and [s.participant.id for s in last.starts] == [
        people[2].id,
        w.participant.id,
    ]
    assert last.without_approved == first.without_approved == 4


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
