"""The unit's default commuting limit, and placed participants resting from new suggestions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import Match
from models.match import PLACED_STATUSES
from services import agreements, manual_matches, suggestions, workflow
from services.queue import run_ready as queue_run
from tests.factories import make_offer, make_participant, make_unit, make_user, make_workplace

# Karlskoga; Örebro is about 45 km east, Kristinehamn about 23 km west.
OREBRO = {"lat": 59.2753, "lon": 15.2134, "municipality": "Örebro"}
KRISTINEHAMN = {"lat": 59.3098, "lon": 14.1081, "municipality": "Kristinehamn"}


def _offers(db, participant_id):
    return {
        m.offer_id: m
        for m in db.scalars(select(Match).where(Match.participant_id == participant_id))
    }


def test_offer_beyond_the_units_default_limit_is_excluded_with_distance(app, db):
    """A participant without a limit of their own: is an offer beyond the unit's default
    excluded, with the `distance` reason, and one within it suggested?"""
    unit = make_unit(default_max_commute_km=30)
    p = make_participant(unit, max_commute_km=None)
    near = make_offer(make_workplace(**KRISTINEHAMN))
    far = make_offer(make_workplace(**OREBRO))
    suggestions.refresh_participant(p.id)
    rows = _offers(db, p.id)
    assert near.id in rows and far.id not in rows
    why = {e.offer_id: e.codes for e in suggestions.exclusions(p)}
    assert "distance" in why[str(far.id)]
    check = manual_matches.check_manual(p, far)
    assert not check.feasible and "distance" in check.codes
    assert manual_matches.check_manual(p, near).feasible


def test_own_limit_wins_over_the_unit_default_and_a_wider_default_includes(app, db):
    unit = make_unit(default_max_commute_km=30)
    own = make_participant(unit, max_commute_km=60)
    default = make_participant(unit, max_commute_km=None)
    far = make_offer(make_workplace(**OREBRO))
    suggestions.refresh_participant(own.id)
    suggestions.refresh_participant(default.id)
    assert far.id in _offers(db, own.id)
    assert far.id not in _offers(db, default.id)
    unit.default_max_commute_km = 80
    db.commit()
    suggestions.refresh_participant(default.id)
    assert far.id in _offers(db, default.id)


def test_caseload_run_uses_the_unit_default(app, db):
    unit = make_unit(default_max_commute_km=30)
    p = make_participant(unit, max_commute_km=None)
    near = make_offer(make_workplace(**KRISTINEHAMN), capacity=3)
    far = make_offer(make_workplace(**OREBRO), capacity=3)
    suggestions.refresh_unit(unit.id)
    rows = _offers(db, p.id)
    assert near.id in rows and far.id not in rows


def test_profile_shows_the_units_standard_when_no_own_limit(app, client, db):
    from tests.conftest import login

    unit = make_unit(default_max_commute_km=35)
    coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach, max_commute_km=None)
    own = make_participant(unit, coach, max_commute_km=12)
    db.commit()
    login(client, coach.email)
    page = client.get(f"/coach/participants/{p.id}").get_data(as_text=True)
    assert "35 km (enhetens standard)" in page
    page = client.get(f"/coach/participants/{own.id}").get_data(as_text=True)
    assert "12 km" in page and "enhetens standard" not in page
    client.post("/logout")
    puser = make_user("participant", unit_id=unit.id)
    p.user_id = puser.id
    db.commit()
    login(client, puser.email)
    page = client.get("/me/my-data").get_data(as_text=True)
    assert "35 km (enhetens standard)" in page


def test_placed_statuses_are_the_slot_holding_ones():
    assert PLACED_STATUSES == workflow.HOLDS_SLOT


def _placed_world(db, status):
    unit = make_unit()
    p = make_participant(unit, max_commute_km=40)
    host = make_offer(capacity=2)
    other = make_offer(capacity=2)
    suggestions.refresh_participant(p.id)
    assert other.id in _offers(db, p.id)
    db.get(Match, _offers(db, p.id)[host.id].id).status = status
    db.commit()
    return unit, p, host, other


def test_placed_participant_gets_no_new_suggestions_until_it_ends(app, db):
    """Accepted, planned or ongoing: are the open suggestions dropped and none added, in a
    refresh and in a caseload run, and do they come back once the placement ends?"""
    for status in sorted(PLACED_STATUSES):
        unit, p, host, other = _placed_world(db, status)
        result = suggestions.refresh_participant(p.id)
        assert result.suggested == 0 and result.dropped >= 1, status
        assert set(_offers(db, p.id)) == {host.id}, status
        new = make_offer(capacity=2)
        db.commit()
        total = suggestions.refresh_unit(unit.id)
        assert total["resting"] == 1
        assert set(_offers(db, p.id)) == {host.id}, status
        assert p.id not in suggestions.participants_affected_by_offer(new.id)
        db.get(Match, _offers(db, p.id)[host.id].id).status = "completed"
        db.commit()
        suggestions.refresh_participant(p.id)
        assert {other.id, new.id} <= set(_offers(db, p.id)), status


def test_caseload_shows_placed_participants_and_filters_them(app, client, db):
    """Does the caseload mark a placed participant and filter by placed / not placed?"""
    from tests.conftest import login

    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    placed = make_participant(unit, coach, last_name="Placerad")
    make_participant(unit, coach, last_name="Ledig")
    db.add(Match(participant_id=placed.id, offer_id=make_offer().id, status="ongoing"))
    db.commit()
    login(client, coach.email)
    page = client.get("/coach/participants").get_data(as_text=True)
    row = next(line for line in page.splitlines() if "Placerad" in line)
    assert "har praktik" in row
    assert "har praktik" not in next(line for line in page.splitlines() if "Ledig" in line)
    only = client.get("/coach/participants?placement=placed").get_data(as_text=True)
    assert "Placerad" in only and "Ledig" not in only
    rest = client.get("/coach/participants?placement=unplaced").get_data(as_text=True)
    assert "Ledig" in rest and "Placerad" not in rest
    assert client.get("/coach/participants?placement=nonsense").status_code == 200
    page = client.get(f"/coach/participants/{placed.id}/suggestions").get_data(as_text=True)
    assert "inga nya förslag" in page


def test_acceptance_drops_open_suggestions_and_the_end_brings_them_back(app, db):
    """Through the workflow: once the employer accepts, are the participant's open suggestions
    gone (a background refresh), and back once the placement is ended early?"""
    from services import placements
    from tests.workflow.helpers import make_world

    world = make_world(capacity=2)
    other = make_offer(capacity=2)
    suggestions.refresh_participant(world.participant.id)
    assert other.id in _offers(db, world.participant.id)
    match = _offers(db, world.participant.id)[world.offer.id]
    workflow.approve(match, world.coach, "")
    workflow.answer(match, world.participant_user, True)
    workflow.employer_answer(match, world.employer_user, True)
    queue_run()
    rows = _offers(db, world.participant.id)
    assert other.id not in rows and rows[world.offer.id].status == "accepted"
    placement = placements.plan(match, world.coach, date(2026, 11, 2))
    agreements.record_paper_signature(placement, world.coach, "Påskriven av alla tre")
    placements.start(placement, world.coach)
    placements.end(
        placement, world.coach, "none", date(2026, 11, 20), early=True, reason="participant_choice"
    )
    queue_run()
    assert _offers(db, world.participant.id)[other.id].status == "suggested"
