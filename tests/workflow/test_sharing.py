"""Who may use an offer across units (`services.sharing`), the employer's home unit, the shared
contact log, and the unit settings page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, EmployerContact, Match, Region
from services import access, employers, manual_matches, sharing, suggestions
from services.workflow import NotAllowed
from tests.conftest import login
from tests.factories import (
    make_employer,
    make_offer,
    make_participant,
    make_unit,
    make_user,
    make_workplace,
)


@pytest.fixture
def region_world(db):
    """Two units in Örebro län, one in Skåne; an employer of unit A with one offer per setting."""
    orebro, skane = Region(name="Örebro län"), Region(name="Skåne län")
    db.add_all([orebro, skane])
    db.flush()
    a, b, c = (
        make_unit(region_id=orebro.id),
        make_unit(region_id=orebro.id),
        make_unit(region_id=skane.id),
    )
    employer = make_employer(home_unit_id=a.id)
    wp = make_workplace(employer)
    offers = {
        "unit": make_offer(wp, sharing="unit", capacity=3),
        "partners": make_offer(wp, sharing="partners", capacity=3),
        "region": make_offer(wp, sharing="region", capacity=3),
    }
    offers["partners"].partner_units.append(c)
    ownerless = make_offer(make_workplace(make_employer()), capacity=3)
    db.flush()
    return a, b, c, employer, offers, ownerless


def _usable(db, unit):
    return set(db.scalars(select(sharing.offers_usable_by(unit.id).subquery().c.id)))


def test_who_may_use_which_offer(db, region_world):
    """Own unit: all; same region: region-wide only; a named partner elsewhere: that offer;
    everyone: an employer without a home unit."""
    a, b, c, _employer, offers, ownerless = region_world
    ids = {k: o.id for k, o in offers.items()}
    assert _usable(db, a) == set(ids.values()) | {ownerless.id}
    assert _usable(db, b) == {ids["region"], ownerless.id}
    assert _usable(db, c) == {ids["partners"], ownerless.id}
    assert sharing.unusable_open_offer_ids(b.id) == {str(ids["unit"]), str(ids["partners"])}
    assert sharing.may_use(c.id, ids["partners"]) and not sharing.may_use(c.id, ids["region"])
    assert sharing.units_sharing_employer(offers["unit"].employer_id) == [a.id, b.id, c.id]


def test_suggestions_picker_and_offer_page_use_only_usable_offers(app, db, region_world):
    """Are a unit's participants suggested, offered by hand and shown only offers the unit may
    use, in a refresh and in a caseload run?"""
    a, b, c, _employer, offers, ownerless = region_world
    coach_b = make_user("coach", unit_id=b.id)
    p = make_participant(b, coach_b, max_commute_km=40)
    suggestions.refresh_participant(p.id)
    got = set(db.scalars(select(Match.offer_id).where(Match.participant_id == p.id)))
    assert got == {offers["region"].id, ownerless.id}
    db.query(Match).delete()
    suggestions.refresh_unit(b.id)
    got = set(db.scalars(select(Match.offer_id).where(Match.participant_id == p.id)))
    assert got == {offers["region"].id, ownerless.id}
    picker = {o.id for o in manual_matches.offers_for_manual(p)}
    assert picker == {offers["region"].id, ownerless.id}
    with pytest.raises(NotAllowed):
        manual_matches.manual_match(p, offers["unit"], coach_b, "vill ändå", override=True)
    with pytest.raises(access.AccessDenied):
        access.offer(coach_b, offers["unit"].id)
    assert access.offer(coach_b, offers["region"].id) is offers["region"]
    assert p.id not in suggestions.participants_affected_by_offer(offers["unit"].id)
    assert p.id in suggestions.participants_affected_by_offer(offers["region"].id)


def test_home_unit_verifies_and_others_may_not(app, db):
    a, b = make_unit(), make_unit()
    coach_a, coach_b = make_user("coach", unit_id=a.id), make_user("coach", unit_id=b.id)
    new = make_employer()
    assert new in employers.unverified(coach_b)
    assert employers.verify(coach_a, new.id) is new
    assert new.home_unit_id == a.id
    other = make_employer(home_unit_id=a.id)
    assert other not in employers.unverified(coach_b)
    assert employers.verify(coach_b, other.id) is None
    assert other.verified_at is None
    manager_b = make_user("admin", unit_id=b.id)
    assert employers.verify(manager_b, other.id) is None
    assert employers.verify(make_user("admin"), other.id) is other and other.verified


def test_contact_log_is_shared_by_units_that_share_the_employer(app, client, db, region_world):
    """Does unit B (region) see unit A's log entry, and add its own that A sees; may a unit
    that shares nothing see none of it?"""
    a, b, _c, employer, _offers, _ownerless = region_world
    far = make_unit(region_id=None)
    coach_a, coach_b = make_user("coach", unit_id=a.id), make_user("coach", unit_id=b.id)
    outsider = make_user("coach", unit_id=far.id)
    db.commit()
    login(client, coach_a.email)
    form = {
        "contacted_on": "2026-11-02",
        "channel": "phone",
        "person": "Eva",
        "subject": "Två platser i vår",
    }
    response = client.post(f"/coach/employers/{employer.id}/contacts", data=form)
    assert response.status_code == 303
    client.post("/logout")
    login(client, coach_b.email)
    page = client.get(f"/coach/employers/{employer.id}").get_data(as_text=True)
    assert "Två platser i vår" in page and a.name in page
    assert client.get("/coach/employers").get_data(as_text=True).count(employer.name) >= 1
    bad = client.post(
        f"/coach/employers/{employer.id}/contacts",
        data=form | {"subject": "", "contacted_on": "inte ett datum"},
    )
    assert bad.status_code == 400 and "Två platser i vår" in bad.get_data(as_text=True)
    future = client.post(
        f"/coach/employers/{employer.id}/contacts", data=form | {"contacted_on": "2999-01-01"}
    )
    assert future.status_code == 400
    client.post(f"/coach/employers/{employer.id}/contacts", data=form | {"subject": "Ringde åter"})
    entries = db.scalars(select(EmployerContact).where(EmployerContact.employer_id == employer.id))
    assert {(e.unit_id, e.subject) for e in entries} == {
        (a.id, "Två platser i vår"),
        (b.id, "Ringde åter"),
    }
    client.post("/logout")
    login(client, outsider.email)
    assert client.get(f"/coach/employers/{employer.id}").status_code == 404
    assert client.post(f"/coach/employers/{employer.id}/contacts", data=form).status_code == 404


def test_home_unit_changes_sharing_others_may_not_and_stale_edits_are_refused(
    app, client, db, region_world
):
    a, b, c, employer, offers, _ownerless = region_world
    coach_a, coach_b = make_user("coach", unit_id=a.id), make_user("coach", unit_id=b.id)
    offer = offers["unit"]
    db.commit()
    login(client, coach_b.email)
    prefix = f"o{offer.id}-"
    data = {prefix + "sharing": "region", prefix + "seen": "unit:"}
    assert client.post(f"/coach/offers/{offers['region'].id}/sharing", data=data).status_code == 403
    assert client.post(f"/coach/offers/{offer.id}/sharing", data=data).status_code == 404
    client.post("/logout")
    login(client, coach_a.email)
    page = client.get(f"/coach/employers/{employer.id}").get_data(as_text=True)
    assert f'name="{prefix}sharing"' in page
    partners = data | {prefix + "sharing": "partners", prefix + "partner_units": [str(b.id)]}
    assert client.post(f"/coach/offers/{offer.id}/sharing", data=partners).status_code == 303
    assert sharing.may_use(b.id, offer.id) and not sharing.may_use(c.id, offer.id)
    # A second edit made from the same (now stale) page is refused, not silently applied.
    stale = client.post(f"/coach/offers/{offer.id}/sharing", data=data)
    assert stale.status_code == 409
    assert sharing.current_sharing(offer) == ("partners", (b.id,))
    none_named = data | {prefix + "sharing": "partners", prefix + "seen": f"partners:{b.id}"}
    assert client.post(f"/coach/offers/{offer.id}/sharing", data=none_named).status_code == 400
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "offer.sharing"))


def test_unit_settings_page(app, client, db):
    """Does the unit's manager change the default limit, refused for another unit, a coach,
    bad input and a concurrent edit?"""
    unit, other = make_unit(), make_unit()
    manager = make_user("admin", unit_id=unit.id)
    coach = make_user("coach", unit_id=unit.id)
    db.commit()
    login(client, coach.email)
    assert client.get(f"/admin/units/{unit.id}").status_code == 403
    client.post("/logout")
    login(client, manager.email)
    assert client.get(f"/admin/units/{other.id}").status_code == 404
    page = client.get(f"/admin/units/{unit.id}").get_data(as_text=True)
    assert 'value="40"' in page
    form = {"default_max_commute_km": "25", "seen_km": "40.0"}
    assert client.post(f"/admin/units/{unit.id}", data=form).status_code == 303
    db.refresh(unit)
    assert unit.default_max_commute_km == 25
    assert (
        client.post(
            f"/admin/units/{unit.id}", data=form | {"default_max_commute_km": "x"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/admin/units/{unit.id}", data=form | {"default_max_commute_km": "0"}
        ).status_code
        == 400
    )
    stale = client.post(f"/admin/units/{unit.id}", data=form | {"default_max_commute_km": "60"})
    assert stale.status_code == 409 and "under tiden" in stale.get_data(as_text=True)
    db.refresh(unit)
    assert unit.default_max_commute_km == 25
    # A unit's manager cannot move the unit to another region; the installation admin can.
    region = Region(name="Värmlands län")
    db.add(region)
    db.commit()
    form = {"default_max_commute_km": "25", "seen_km": "25.0", "region_id": str(region.id)}
    assert client.post(f"/admin/units/{unit.id}", data=form).status_code == 303
    db.refresh(unit)
    assert unit.region_id is None
    assert client.post("/admin/regions", data={"name": "Ny"}).status_code == 403
    client.post("/logout")
    root = make_user("admin")
    db.commit()
    login(client, root.email)
    assert (
        client.post(f"/admin/units/{unit.id}", data=form | {"seen_region_id": ""}).status_code
        == 303
    )
    db.refresh(unit)
    assert unit.region_id == region.id
    assert client.post("/admin/regions", data={"name": "Kalmar län"}).status_code == 303
    assert client.post("/admin/regions", data={"name": "kalmar län"}).status_code == 400
    assert "Kalmar län" in client.get("/admin/regions").get_data(as_text=True)
