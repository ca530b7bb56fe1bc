"""services.access: who may see or act on a participant, match, offer, placement or report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from models import Match, Participant, Placement, Session, User
from services import access
from services.access import AccessDenied
from services.reports.scope import Filters
from services.workflow import EMPLOYER_SEES, PARTICIPANT_SEES, PLACEMENT_STATES, STATUS_LABELS
from tests.factories import (
    make_employer,
    make_offer,
    make_participant,
    make_unit,
    make_user,
    make_workplace,
)

ALL_STATES = sorted(STATUS_LABELS)


@dataclass
class World:
    coach: User  # the participant's own coach
    colleague: User  # another coach of the same unit
    outsider: User  # a coach of another unit
    participant_user: User
    other_participant_user: User
    employer_user: User  # the offer's employer
    other_employer_user: User
    admin: User
    manager: User  # an admin with the unit
    participant: Participant
    protected: Participant  # protected identity, the colleague's own
    match: Match

    def user(self, who: str) -> User:
        return getattr(self, who)


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    unit, other_unit = make_unit(), make_unit()
    coach = make_user("coach", unit_id=unit.id)
    colleague = make_user("coach", unit_id=unit.id)
    outsider = make_user("coach", unit_id=other_unit.id)
    puser = make_user("participant", unit_id=unit.id)
    other_puser = make_user("participant", unit_id=unit.id)
    employer, other_employer = make_employer(), make_employer()
    euser = make_user("employer", employer_id=employer.id)
    other_euser = make_user("employer", employer_id=other_employer.id)
    participant = make_participant(unit, coach, user_id=puser.id)
    make_participant(unit, coach, user_id=other_puser.id)
    protected = make_participant(unit, colleague, protected_identity=True)
    offer = make_offer(make_workplace(employer))
    match = Match(participant_id=participant.id, offer_id=offer.id, status="suggested", score=0.5)
    Session.add(match)
    Session.flush()
    return World(
        coach,
        colleague,
        outsider,
        puser,
        other_puser,
        euser,
        other_euser,
        make_user("admin"),
        make_user("admin", unit_id=unit.id),
        participant,
        protected,
        match,
    )


def _denied(fn, *args, **kw) -> AccessDenied:  # type: ignore[no-untyped-def]
    with pytest.raises(AccessDenied) as info:
        fn(*args, **kw)
    return info.value


# --- participants ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("coach", True),
        ("colleague", True),  # the unit covers for absent coaches
        ("outsider", False),
        ("participant_user", True),  # their own row
        ("other_participant_user", False),
        ("employer_user", False),  # only through a match, as `candidates` allows
        ("admin", False),
    ],
)
def test_who_may_open_a_participant(world: World, who: str, allowed: bool) -> None:
    """Can each role open the participant's profile by id? Outsiders get a 404, not a 403."""
    user = world.user(who)
    if allowed:
        assert access.participant(user, world.participant.id) is world.participant
    else:
        assert _denied(access.participant, user, world.participant.id).status == 404
    visible = Session.scalars(access.visible_participants(user)).all()
    assert (world.participant in visible) is allowed


def test_an_unknown_participant_is_a_secret_404(world: World) -> None:
    assert _denied(access.participant, world.coach, 987654).status == 404
    assert _denied(access.participant, None, world.participant.id).status == 404


def test_protected_identity_is_for_their_own_coach_only(world: World) -> None:
    """Can a colleague open a protected identity's name and address? No (403: the row is listed)."""
    assert access.participant(world.colleague, world.protected.id, identity=True)
    assert access.participant(world.coach, world.protected.id) is world.protected
    denied = _denied(access.participant, world.coach, world.protected.id, identity=True)
    assert denied.status == 403 and not denied.secret
    assert access.may_see_identity(world.colleague, world.protected)
    assert not access.may_see_identity(world.coach, world.protected)
    assert access.participant(world.coach, world.participant.id, identity=True)


def test_sensitive_fields_are_for_the_unit_and_the_person(world: World) -> None:
    for who, allowed in (
        ("coach", True),
        ("outsider", False),
        ("participant_user", True),
        ("employer_user", False),
        ("admin", False),
    ):
        assert access.may_see_sensitive(world.user(who), world.participant) is allowed, who


def test_own_participant(world: World) -> None:
    assert access.own_participant(world.participant_user) is world.participant
    assert _denied(access.own_participant, world.coach).status == 404
    lonely = make_user("participant")
    assert _denied(access.own_participant, lonely).status == 404


# --- matches ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ALL_STATES)
def test_which_match_states_each_side_sees(world: World, status: str) -> None:
    """Does a participant see a match only once it is sent, and an employer only once the
    participant said yes? The unit's coaches see every state, other units none."""
    world.match.status = status
    Session.flush()
    expected = {
        "coach": True,
        "colleague": True,
        "outsider": False,
        "participant_user": status in PARTICIPANT_SEES,
        "other_participant_user": False,
        "employer_user": status in EMPLOYER_SEES,
        "other_employer_user": False,
        "admin": False,
    }
    for who, allowed in expected.items():
        user = world.user(who)
        listed = world.match in Session.scalars(access.visible_matches(user)).all()
        assert listed is allowed, (who, status)
        if allowed:
            assert access.match(user, world.match.id) is world.match
        else:
            assert _denied(access.match, user, world.match.id).status == 404, (who, status)


def test_the_sides_status_sets() -> None:
    """Are a suggestion, a rejection and a participant's "no" kept from the employer?"""
    assert {"suggested", "rejected", "approved", "withdrawn", "released"}.isdisjoint(
        PARTICIPANT_SEES | EMPLOYER_SEES
    )
    assert "declined" in PARTICIPANT_SEES and "declined" not in EMPLOYER_SEES
    assert "proposed" in PARTICIPANT_SEES and "proposed" not in EMPLOYER_SEES


def test_candidates_show_the_employer_only_consented_fields(world: World) -> None:
    """Does an employer read a candidate only as far as they consented, and only its own?"""
    world.participant.consent = {"skills": True, "name": False}
    world.participant.cannot = ["heavy_lifting"]
    world.match.status = "interested"
    Session.flush()
    offer, rows = access.candidates(world.employer_user, world.match.offer_id)
    assert offer.id == world.match.offer_id
    [(m, view)] = rows
    assert m is world.match and view["name"] is None and view["skills"] == ["truckkort"]
    assert "heavy_lifting" not in repr(view)
    world.match.status = "declined"
    Session.flush()
    assert access.candidates(world.employer_user, world.match.offer_id)[1] == []
    assert _denied(access.candidates, world.other_employer_user, world.match.offer_id).secret
    assert _denied(access.candidates, world.coach, world.match.offer_id).secret


# --- offers ----------------------------------------------------------------------------------


def test_who_may_open_an_offer(world: World) -> None:
    offer = world.match.offer
    assert access.offer(world.employer_user, offer.id) is offer
    assert access.offer(world.coach, offer.id) is offer  # published: coaches match with it
    assert access.offer(world.admin, offer.id) is offer
    assert _denied(access.offer, world.other_employer_user, offer.id).status == 404
    assert _denied(access.offer, world.participant_user, offer.id).status == 404
    world.match.status = "proposed"
    Session.flush()
    assert access.offer(world.participant_user, offer.id) is offer
    assert _denied(access.offer, world.other_participant_user, offer.id).status == 404
    offer.status = "draft"
    Session.flush()
    assert access.offer(world.employer_user, offer.id) is offer  # its own, in any state
    assert _denied(access.offer, world.coach, offer.id).status == 404
    assert _denied(access.offer, world.employer_user, 987654).status == 404


# --- placements ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ALL_STATES)
def test_placement_pages_only_from_the_employers_yes(world: World, status: str) -> None:
    world.match.status = status
    Session.flush()
    if status in PLACEMENT_STATES:
        assert access.placement_match(world.coach, world.match.id) is world.match
    else:
        assert _denied(access.placement_match, world.coach, world.match.id).status == 404


def test_a_placement_is_seen_by_the_unit_and_the_host_employer(world: World) -> None:
    world.match.status = "placement_planned"
    Session.flush()
    assert _denied(access.placement, world.coach, world.match.id).status == 404  # not planned
    placement = Placement(
        match_id=world.match.id,
        participant_id=world.participant.id,
        offer_id=world.match.offer_id,
        start_on=date(2026, 10, 1),
    )
    Session.add(placement)
    Session.flush()
    for who in ("coach", "colleague", "employer_user", "participant_user"):
        assert access.placement(world.user(who), world.match.id) is placement, who
    for who in ("outsider", "other_employer_user", "other_participant_user", "admin"):
        assert _denied(access.placement, world.user(who), world.match.id).status == 404, who


# --- reports ---------------------------------------------------------------------------------


def test_report_scope_by_role(world: World) -> None:
    """A coach sees their own caseload, a manager their unit, an admin every unit."""
    unit_id = world.participant.unit_id
    coach = access.report_scope(world.coach, Filters())
    assert (coach.unit_id, coach.coach_id) == (unit_id, world.coach.id)
    assert access.report_scope(world.manager, Filters()).unit_id == unit_id
    assert access.report_scope(world.admin, Filters(unit_id=unit_id)).unit_id == unit_id
    assert _denied(access.report_scope, world.manager, Filters(unit_id=unit_id + 1)).secret
    assert _denied(access.report_scope, world.employer_user, Filters()).status == 403
    assert _denied(access.report_scope, None, Filters()).status == 404


def test_unit_exports_by_role(world: World) -> None:
    unit_id = world.participant.unit_id
    assert access.unit_reports(world.admin, unit_id).id == unit_id
    assert access.unit_reports(world.manager, unit_id).id == unit_id
    assert _denied(access.unit_reports, world.manager, world.outsider.unit_id).status == 404
    assert _denied(access.unit_reports, world.admin, 987654).status == 404
    assert _denied(access.unit_reports, world.coach, unit_id).status == 403


def test_access_denied_is_a_permission_error() -> None:
    """Do callers that catch PermissionError (CLI, jobs) also catch a refusal?"""
    assert issubclass(AccessDenied, PermissionError)
    assert AccessDenied("x").status == 404 and AccessDenied("x", secret=False).status == 403
