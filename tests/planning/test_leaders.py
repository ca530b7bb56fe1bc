"""Planning rounds for a unit's manager and a region's coordinator: what a round covers, who
opens it, and how their approval reaches the coaches (who decide) through the workflow."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import (
    AuditEvent,
    Match,
    Notification,
    Offer,
    Participant,
    PlanningLine,
    Session,
    User,
)
from services import access, account_admin, planning, queue, suggestions
from services.validation import Invalid
from services.workflow import NotAllowed
from tests.factories import (
    make_user,
)


def _round(actor: User, scope: str) -> planning.PlanningRound:
    rnd = planning.start_round(actor, scope=scope)
    assert queue.run_ready() == 1
    Session.refresh(rnd)
    assert rnd.status == "ready"
    return rnd


def test_does_a_managers_round_cover_the_unit_and_the_offers_it_may_use(world):
    rnd = _round(world.manager_a, "unit")
    lines = planning.round_lines(rnd)
    assert {line.participant_id for line in lines} == {p.id for p in world.people_a}
    offered = {line.offer_id for line in lines if line.offer_id}
    usable = set(Session.scalars(planning.round_offers(world.a.id).with_only_columns(Offer.id)))
    assert offered and offered <= usable and world.own_b.id not in usable


def test_does_a_coordinators_round_cover_the_region_and_only_its_shared_offers(world):
    rnd = _round(world.coordinator, "region")
    assert rnd.region_id == world.region.id
    lines = planning.round_lines(rnd)
    assert {line.participant_id for line in lines} == {
        *(p.id for p in world.people_a),
        world.person_b.id,
    }
    # One slot in the region is shared with the whole region: unit B's own and Skåne's are not.
    assert rnd.open_slots == 1
    assert {line.offer_id for line in lines if line.offer_id} == {world.shared_a.id}


def test_may_only_the_right_people_start_which_round(world):
    with pytest.raises(NotAllowed):
        planning.start_round(world.manager_a, scope="region")  # not a coordinator
    with pytest.raises(NotAllowed):
        planning.start_round(world.manager_a, scope="caseload")  # a manager has no caseload
    with pytest.raises(NotAllowed):
        planning.start_round(world.coach_a, scope="region")
    with pytest.raises(NotAllowed):
        planning.start_round(make_user("admin"), scope="unit")  # installation admin: no unit


def test_does_the_access_sweep_keep_each_to_their_unit_or_region(world):
    unit_round = _round(world.manager_a, "unit")
    region_round = _round(world.coordinator, "region")
    other_manager = make_user("admin", unit_id=world.b.id)
    other_coordinator = make_user(
        "admin", unit_id=world.outside.id, coordinates_region_id=world.outside.region_id
    )
    opens = {
        "manager A": (world.manager_a, {unit_round.id}),
        "coach A": (world.coach_a, {unit_round.id}),
        "coordinator": (world.coordinator, {region_round.id}),
        "manager B": (other_manager, set()),
        "coach B": (world.coach_b, set()),
        "another region's coordinator": (other_coordinator, set()),
        "installation admin": (make_user("admin"), set()),
    }
    for who, (user, allowed) in opens.items():
        listed = {r.id for r in Session.scalars(access.planning_rounds(user))}
        assert listed == allowed, who
        for rnd in (unit_round, region_round):
            if rnd.id in allowed:
                assert access.planning_round(user, rnd.id) is rnd
            else:
                with pytest.raises(access.AccessDenied) as err:
                    access.planning_round(user, rnd.id)
                assert err.value.status == 404, who
    for user in (other_manager, world.coach_b, other_coordinator):
        with pytest.raises(NotAllowed):
            planning.refer_lines(unit_round, None, user)
    with pytest.raises(NotAllowed):
        planning.refer_lines(region_round, None, world.manager_a)
    with pytest.raises(NotAllowed):
        planning.approve_lines(region_round, None, world.coach_b)  # coaches never send these


def test_does_a_managers_approval_go_to_the_coach_who_decides(world):
    rnd = _round(world.coordinator, "region")
    line = next(line for line in planning.round_lines(rnd) if line.offer_id)
    sent, refused = planning.refer_lines(rnd, [line.id], world.coordinator)
    assert (sent, refused) == (1, [])
    line = Session.get(PlanningLine, line.id)
    match = Session.get(Match, line.match_id)
    assert line.status == "referred" and match.status == "suggested"  # nothing sent yet
    person = Session.get(Participant, line.participant_id)
    notes = Session.scalars(select(Notification)).all()
    assert [(n.user_id, n.kind) for n in notes] == [(person.coach_id, "planning.referred")]
    event = Session.scalars(
        select(AuditEvent).where(AuditEvent.action == "planning.line_referred")
    ).one()
    assert event.actor_id == world.coordinator.id
    assert planning.referred_match_ids([match.id]) == {match.id}
    # The coach decides through the ordinary workflow.
    from services import workflow

    coach = Session.get(User, person.coach_id)
    workflow.approve(match, coach, send=True)
    assert Session.get(Match, match.id).status == "proposed"
    assert planning.refer_lines(rnd, None, world.coordinator) == (0, [])


def test_does_a_refresh_keep_a_referred_suggestion_the_engine_no_longer_makes(world):
    rnd = _round(world.coordinator, "region")
    line = next(line for line in planning.round_lines(rnd) if line.offer_id)
    planning.refer_lines(rnd, None, world.coordinator)
    match_id = Session.get(PlanningLine, line.id).match_id
    world.shared_a.status = "closed"  # the engine no longer suggests it...
    Session.commit()
    suggestions.refresh_participant(line.participant_id)
    assert Session.get(Match, match_id).status == "suggested"  # ...the coach still decides


def test_is_a_pair_the_coach_already_rejected_not_referred_again(world):
    rnd = _round(world.manager_a, "unit")
    line = next(line for line in planning.round_lines(rnd) if line.offer_id)
    Session.add(
        Match(participant_id=line.participant_id, offer_id=line.offer_id, status="rejected")
    )
    Session.commit()
    sent, refused = planning.refer_lines(rnd, None, world.manager_a)
    assert sent == 0 and len(refused) == 1
    assert Session.get(PlanningLine, line.id).status == "proposed"
    assert Session.get(PlanningLine, line.id).message
    assert Session.scalar(select(func.count()).select_from(Notification)) == 0


def test_may_an_installation_admin_appoint_a_coordinator_with_an_audit_entry(world):
    root = make_user("admin")
    manager_b = make_user("admin", unit_id=world.b.id)
    account_admin.set_coordinator(root, manager_b.id, world.region.id, seen=None)
    assert Session.get(User, manager_b.id).coordinates_region_id == world.region.id
    events = Session.scalars(
        select(AuditEvent).where(AuditEvent.action == "account.coordinator")
    ).all()
    assert [(e.actor_id, e.details["to"]) for e in events] == [(root.id, world.region.id)]
    with pytest.raises(account_admin.StaleCoordinator):  # the form showed an older value
        account_admin.set_coordinator(root, manager_b.id, None, seen=None)
    with pytest.raises(Invalid):  # a coach cannot coordinate
        account_admin.set_coordinator(root, world.coach_a.id, world.region.id, seen=None)
    with pytest.raises(Invalid):  # the unit must be in the region
        other = make_user("admin", unit_id=world.outside.id)
        account_admin.set_coordinator(root, other.id, world.region.id, seen=None)
    with pytest.raises(PermissionError):  # a unit's manager may not appoint
        account_admin.set_coordinator(world.manager_a, manager_b.id, None, seen=world.region.id)
