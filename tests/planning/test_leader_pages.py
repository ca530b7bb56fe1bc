"""Planning pages for a unit's manager and a region's coordinator (`/admin/planning`), and the
account page where an installation admin appoints a coordinator; bad input answered with 4xx."""

from __future__ import annotations

from sqlalchemy import select

from models import AuditEvent, Match, PlanningLine, PlanningRound, Session, User
from tests.conftest import login
from tests.factories import make_user


def _start(client, **data):
    form = {"scope": "unit", "mode": "stable", "exposure_multiple": "3"} | data
    return client.post("/admin/planning", data=form)


def _newest() -> PlanningRound:
    return Session.scalars(select(PlanningRound).order_by(PlanningRound.id.desc())).first()


def test_can_a_manager_start_a_unit_round_and_send_it_to_the_coaches(client, world):
    login(client, world.manager_a.email)
    page = client.get("/admin/planning").get_data(as_text=True)
    assert "Hela enheten" in page and "Regionen" not in page  # not a coordinator
    assert _start(client).status_code == 302
    rnd = _newest()
    page = client.get(f"/admin/planning/{rnd.id}").get_data(as_text=True)
    assert world.people_a[0].display_name in page  # a manager sees their unit's people
    assert "Skicka alla rader med en plats till coacherna" in page
    done = client.post(f"/admin/planning/{rnd.id}/approve", data={"which": "all"})
    assert done.status_code == 302
    lines = Session.scalars(select(PlanningLine).where(PlanningLine.offer_id.is_not(None))).all()
    assert lines and {line.status for line in lines} == {"referred"}
    assert set(Session.scalars(select(Match.status))) == {"suggested"}
    page = client.get(f"/admin/planning/{rnd.id}").get_data(as_text=True)
    assert "Skickad till coachen" in page
    # The coach sees where the suggestion came from, and decides.
    client.post("/logout")
    login(client, world.coach_a.email)
    person = lines[0].participant_id
    page = client.get(f"/coach/participants/{person}/suggestions").get_data(as_text=True)
    assert "Föreslagen i en planeringsomgång" in page
    assert "föreslår" in client.get("/notifications/").get_data(as_text=True)


def test_does_a_manager_not_read_a_protected_identitys_name(client, world):
    from tests.factories import make_participant

    hidden = make_participant(
        world.a, world.coach_a, first_name="Hemlignamn", protected_identity=True
    )
    Session.commit()
    login(client, world.manager_a.email)
    _start(client)
    page = client.get(f"/admin/planning/{_newest().id}").get_data(as_text=True)
    assert f"#{hidden.id}" in page and "Hemlignamn" not in page


def test_does_a_coordinator_read_numbers_not_names(client, world):
    login(client, world.coordinator.email)
    assert "Regionen" in client.get("/admin/planning").get_data(as_text=True)
    assert _start(client, scope="region").status_code == 302
    rnd = _newest()
    assert rnd.scope == "region" and rnd.region_id == world.region.id
    page = client.get(f"/admin/planning/{rnd.id}").get_data(as_text=True)
    assert f"Deltagare nr {world.person_b.id}, {world.b.name}" in page
    assert world.person_b.display_name not in page
    line = Session.scalars(select(PlanningLine).where(PlanningLine.offer_id.is_not(None))).first()
    url = f"/admin/planning/{rnd.id}/lines/{line.id}"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"offer_id": "0", "version": "1"}).status_code == 302
    assert client.post(url, data={"offer_id": "0", "version": "1"}).status_code == 409  # stale


def test_is_bad_or_forbidden_input_answered_with_4xx(client, world):
    login(client, world.manager_a.email)
    assert _start(client, scope="region").status_code == 400  # not a choice for a manager
    assert _start(client, exposure_multiple="x").status_code == 400
    assert _start(client, scope="caseload").status_code == 400
    assert Session.scalars(select(PlanningRound)).all() == []
    assert _start(client).status_code == 302
    rnd = _newest()
    assert client.post(f"/admin/planning/{rnd.id}/approve", data={}).status_code == 400
    assert client.get(f"/admin/planning/{rnd.id}/lines/999999").status_code == 404
    client.post("/logout")
    root = make_user("admin")
    login(client, root.email)
    assert client.get("/admin/planning").status_code == 404  # no unit to plan for
    assert client.get(f"/admin/planning/{rnd.id}").status_code == 404


def test_are_other_units_and_regions_kept_out(client, world):
    login(client, world.coordinator.email)
    _start(client, scope="region")
    region_round = _newest()
    client.post("/logout")
    for user in (world.coach_b, world.coach_a):
        login(client, user.email)
        assert client.get(f"/coach/planning/{region_round.id}").status_code == 404
        url = f"/coach/planning/{region_round.id}/approve"
        assert client.post(url, data={"which": "all"}).status_code == 404
        client.post("/logout")
    login(client, world.manager_a.email)
    assert client.get(f"/admin/planning/{region_round.id}").status_code == 404
    url = f"/admin/planning/{region_round.id}/approve"
    assert client.post(url, data={"which": "all"}).status_code == 404
    assert Session.scalars(select(Match)).all() == []


def test_can_an_installation_admin_appoint_a_coordinator_on_the_account_page(client, world):
    root = make_user("admin")
    manager_b = make_user("admin", unit_id=world.b.id)
    login(client, root.email)
    page = client.get(f"/admin/accounts/{manager_b.id}").get_data(as_text=True)
    assert "Samordnare för en region" in page
    url = f"/admin/accounts/{manager_b.id}/coordinator"
    form = {"region_id": str(world.region.id), "seen_region_id": ""}
    assert client.post(url, data=form).status_code == 303
    assert Session.get(User, manager_b.id).coordinates_region_id == world.region.id
    assert client.post(url, data=form).status_code == 409  # the page was out of date
    assert client.post(url, data={"region_id": "x", "seen_region_id": ""}).status_code == 400
    coach_url = f"/admin/accounts/{world.coach_a.id}/coordinator"
    assert client.post(coach_url, data=form).status_code == 403  # only managers coordinate
    actions = Session.scalars(select(AuditEvent.action)).all()
    assert actions.count("account.coordinator") == 1
    client.post("/logout")
    login(client, world.manager_a.email)  # a unit's manager cannot appoint
    own = f"/admin/accounts/{make_user('admin', unit_id=world.a.id).id}/coordinator"
    assert client.post(own, data=form).status_code == 403
