"""Planning rounds: the allocation proposed, changed and approved through the workflow."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Match, Notification, PlanningLine, Session
from services import access, planning, queue
from services.planning import PlanningError
from services.workflow import NotAllowed
from tests.factories import make_offer, make_unit, make_user, make_workplace


def _round(region, **kw):
    rnd = planning.start_round(region.coach, **kw)
    assert queue.run_ready() == 1
    Session.refresh(rnd)
    return rnd


@pytest.mark.parametrize("mode", ["stable", "optimal"])
def test_does_a_round_fill_each_slot_once_and_say_why_others_got_nothing(region, mode):
    rnd = _round(region, mode=mode)
    assert rnd.status == "ready"
    lines = planning.round_lines(rnd)
    assert len(lines) == 4 and rnd.participants == 4 and rnd.open_slots == 2
    placed = [line for line in lines if line.offer_id is not None]
    assert sorted(line.offer_id for line in placed) == sorted(o.id for o in region.offers)
    assert all(line.score and line.reasons for line in placed)
    why = {line.participant_id: line.none_reason for line in lines if line.offer_id is None}
    assert why[region.far.id] == "no_feasible"
    assert sorted(why.values()) == ["no_feasible", "taken"]
    totals = planning.totals(rnd, lines)
    assert (totals.participants, totals.assigned, totals.open_slots) == (4, 2, 2)
    assert sum(got for _n, got in totals.by_gender.values()) == 2
    assert {g: n for g, (n, _got) in totals.by_gender.items()} == {"woman": 2, "man": 2}


def test_does_nothing_reach_a_participant_before_approval(region):
    _round(region)
    assert Session.scalar(select(func.count()).select_from(Match)) == 0
    assert Session.scalar(select(func.count()).select_from(Notification)) == 0


def test_does_a_caseload_round_leave_out_other_coaches_and_busy_participants(region):
    from tests.factories import make_participant

    make_participant(region.unit, region.other_coach)
    busy = region.people[0]
    Session.add(Match(participant_id=busy.id, offer_id=region.offers[0].id, status="proposed"))
    Session.flush()
    rnd = _round(region, scope="caseload")
    ids = {line.participant_id for line in planning.round_lines(rnd)}
    assert ids == {p.id for p in region.people[1:]} | {region.far.id}
    unit_round = _round(region, scope="unit")
    assert len(planning.round_lines(unit_round)) == 4


def test_is_a_bad_start_refused(region):
    with pytest.raises(PlanningError):
        planning.start_round(region.coach, exposure_multiple=0.5)
    with pytest.raises(PlanningError):
        planning.start_round(region.coach, mode="greedy")
    with pytest.raises(NotAllowed):
        planning.start_round(make_user("admin", unit_id=region.unit.id))


def test_does_the_exposure_cap_limit_who_competes_for_an_offer(db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    from tests.factories import make_participant

    people = [make_participant(unit, coach) for _ in range(6)]
    offers = [make_offer(make_workplace(), capacity=1) for _ in range(2)]
    proposal = planning.propose_allocation(people, offers, mode="stable", exposure_multiple=1)
    # With one candidate per slot, exactly two people compete, and both get their slot.
    assert len(proposal.assigned) == 2
    assert Counter(proposal.none_reason.values()) == {"taken": 4}


def test_can_a_coach_change_a_line_but_not_promise_a_slot_twice(region):
    rnd = _round(region)
    lines = planning.round_lines(rnd)
    empty = next(line for line in lines if line.none_reason == "taken")
    taken = next(line for line in lines if line.offer_id is not None)
    with pytest.raises(PlanningError):
        planning.change_line(rnd, empty.id, taken.offer_id, region.coach, empty.version)
    planning.change_line(rnd, taken.id, None, region.coach, taken.version)
    changed = planning.change_line(rnd, empty.id, taken.engine_offer_id, region.coach, 1)
    assert changed.offer_id == taken.engine_offer_id and changed.score
    events = Session.scalars(
        select(AuditEvent).where(AuditEvent.action == "planning.line_changed")
    ).all()
    assert len(events) == 2


def test_is_a_stale_line_edit_refused_rather_than_overwritten(region):
    rnd = _round(region)
    line = next(line for line in planning.round_lines(rnd) if line.offer_id is not None)
    seen = line.version
    planning.change_line(rnd, line.id, None, region.coach, seen)
    with pytest.raises(PlanningError):
        planning.change_line(rnd, line.id, line.engine_offer_id, region.other_coach, seen)


def test_is_an_infeasible_offer_refused_on_a_line(region):
    rnd = _round(region)
    far_line = next(
        line for line in planning.round_lines(rnd) if line.participant_id == region.far.id
    )
    from services.manual_matches import Conflict

    with pytest.raises(Conflict):
        planning.change_line(rnd, far_line.id, region.offers[0].id, region.coach, far_line.version)


def test_does_approval_go_through_the_workflow_line_by_line(region):
    rnd = _round(region)
    lines = planning.round_lines(rnd)
    first, second = [line for line in lines if line.offer_id is not None]
    sent, refused = planning.approve_lines(rnd, [first.id], region.coach)
    assert (sent, refused) == (1, [])
    match = Session.get(Match, Session.get(PlanningLine, first.id).match_id)
    assert match.status == "proposed" and match.offer_id == first.offer_id
    actions = set(Session.scalars(select(AuditEvent.action)))
    assert {
        "planning.started",
        "planning.line_approved",
        "match.approve",
        "match.propose",
    } <= actions
    assert Session.get(PlanningLine, second.id).status == "proposed"
    sent, refused = planning.approve_lines(rnd, None, region.coach)
    assert (sent, refused) == (1, [])
    assert planning.approve_lines(rnd, None, region.coach) == (0, [])  # nothing left to send
    statuses = Session.scalars(select(Match.status)).all()
    assert sorted(statuses) == ["proposed", "proposed"]


def test_is_a_line_whose_offer_closed_meanwhile_refused_with_a_message(region):
    rnd = _round(region)
    line = next(line for line in planning.round_lines(rnd) if line.offer_id is not None)
    line.offer.status = "closed"
    Session.flush()
    sent, refused = planning.approve_lines(rnd, [line.id], region.coach)
    assert sent == 0 and len(refused) == 1
    assert Session.get(PlanningLine, line.id).message
    assert Session.scalar(select(func.count()).select_from(Match)) == 0


def test_may_only_the_right_coaches_open_a_round(region):
    caseload = _round(region, scope="caseload")
    unit_round = _round(region, scope="unit")
    assert access.planning_round(region.coach, caseload.id) is caseload
    assert access.planning_round(region.other_coach, unit_round.id) is unit_round
    outsider = make_user("coach", unit_id=make_unit().id)
    for user, rid in ((region.other_coach, caseload.id), (outsider, unit_round.id)):
        with pytest.raises(access.AccessDenied) as err:
            access.planning_round(user, rid)
        assert err.value.status == 404
    with pytest.raises(NotAllowed):
        planning.approve_lines(unit_round, None, outsider)


def test_is_a_round_computed_once_even_when_its_job_runs_again(region):
    rnd = _round(region)
    line = next(line for line in planning.round_lines(rnd) if line.offer_id is not None)
    planning.change_line(rnd, line.id, None, region.coach, line.version)
    assert planning.compute_round(rnd.id) == {"status": "kept"}
    assert Session.get(PlanningLine, line.id).offer_id is None  # the coach's edit stands
    rnd.status = "running"  # as if the worker died half-way
    Session.commit()
    planning.compute_round(rnd.id)
    count = select(func.count()).select_from(PlanningLine).where(PlanningLine.round_id == rnd.id)
    assert Session.scalar(count) == 4
    assert planning.compute_round(10**9) == {"status": "missing"}
