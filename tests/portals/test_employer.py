"""Employer portal: registration, verification, workplaces and offers (test client)."""

from __future__ import annotations

from sqlalchemy import select

from models import AuditEvent, Employer, JobRun, Offer, OutboxEmail, Session, User, Workplace
from models.identity import with_check_digit
from services import suggestions
from services.queue import task_name
from tests.conftest import login
from tests.factories import TEST_PASSWORD, make_employer, make_user, make_workplace

GOOD_ORG = with_check_digit("556123456")


def _registration(**overrides: str) -> dict[str, object]:
    form: dict[str, object] = {
        "org_name": "Testbolaget AB",
        "org_number": f"{GOOD_ORG[:6]}-{GOOD_ORG[6:]}",
        "description": "Vi bygger saker.",
        "contact_name": "Kim Kontakt",
        "contact_email": "kim@testbolaget.example",
        "contact_phone": "010-123",
        "password": TEST_PASSWORD + "-long",
        "password_again": TEST_PASSWORD + "-long",
        "name": "Testbolaget verkstad",
        "street": "Storgatan 1",
        "postal_code": "691 31",
        "city": "Karlskoga",
        "municipality": "Karlskoga",
        "accessibility": ["step_free", "quiet_space"],
    }
    form.update(overrides)
    return form


def _confirm(client, db, email: str) -> None:  # type: ignore[no-untyped-def]
    """A new login goes live from the link e-mailed to the address (tests/accounts)."""
    mail = db.scalar(select(OutboxEmail).where(OutboxEmail.to_address == email))
    link = mail.body.split("http://127.0.0.1:5000", 1)[1].split()[0]
    assert client.post(link).status_code == 302


def test_registration_is_public_and_creates_unverified_employer(client, db) -> None:
    """Can someone without an account register an organisation, and is it unverified?"""
    assert client.get("/employer/register").status_code == 200
    response = client.post("/employer/register", data=_registration())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    _confirm(client, db, "kim@testbolaget.example")
    employer = db.scalar(select(Employer).where(Employer.name == "Testbolaget AB"))
    assert employer is not None and not employer.verified
    assert employer.org_number == f"{GOOD_ORG[:6]}-{GOOD_ORG[6:]}"
    user = db.scalar(select(User).where(User.email == "kim@testbolaget.example"))
    assert user.role == "employer" and user.employer_id == employer.id
    workplace = db.scalar(select(Workplace).where(Workplace.employer_id == employer.id))
    assert workplace.accessibility == ["quiet_space", "step_free"]
    # The geocoding job ran (sync mode) and found Karlskoga offline.
    db.refresh(workplace)
    assert workplace.geocode_status == "municipality"
    assert 59.0 < workplace.lat < 59.6
    page = client.get(f"/employer/workplaces/{workplace.id}").get_data(as_text=True)
    assert "59.3" in page


def test_bad_org_number_is_refused_next_to_the_field_keeping_input(client, db) -> None:
    """Does a wrong check digit give 400 with the message by the field and the typed values?"""
    bad = GOOD_ORG[:9] + str((int(GOOD_ORG[9]) + 1) % 10)
    response = client.post("/employer/register", data=_registration(org_number=bad))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="org_number-error"' in html
    assert "kontrollsiffra" in html
    assert 'value="Testbolaget AB"' in html
    assert db.scalar(select(Employer).where(Employer.name == "Testbolaget AB")) is None


def test_duplicate_org_number_and_unknown_municipality(client, db) -> None:
    """Is an already registered organisation or an unknown municipality refused with a 400?"""
    existing = make_employer()
    response = client.post("/employer/register", data=_registration(org_number=existing.org_number))
    assert response.status_code == 400
    assert "redan registrerad" in response.get_data(as_text=True)
    response = client.post("/employer/register", data=_registration(municipality="Atlantis"))
    assert response.status_code == 400
    assert 'id="municipality-error"' in response.get_data(as_text=True)


def test_script_in_names_is_escaped(client, db) -> None:
    """Is HTML typed into a name shown as text, never run?"""
    evil = "<script>alert(1)</script>"
    response = client.post(
        "/employer/register", data=_registration(org_name=evil, description=evil)
    )
    assert response.status_code == 302
    _confirm(client, db, "kim@testbolaget.example")
    html = client.get("/employer/").get_data(as_text=True)
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _employer_login(client, verified: bool = True):  # type: ignore[no-untyped-def]
    employer = make_employer()
    if verified:
        from models import utcnow

        employer.verified_at = utcnow()
    workplace = make_workplace(employer)
    user = make_user("employer", employer_id=employer.id)
    Session.commit()
    login(client, user.email)
    return employer, workplace, user


def _offer_form(place_id: int, **overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": "Lagermedarbetare",
        "kind": "praktik",
        "workplace_id": str(place_id),
        "description": "Plock och pack.",
        "tasks": "Plocka varor",
        "skills_required": "truckkort, lagerarbete",
        "skills_desired": "kundservice",
        "hours_min": "10",
        "hours_max": "30",
        "swedish_level": "basic",
        "physical_demands": ["standing", "heavy_lifting"],
        "accessibility": ["flexible_hours"],
        "capacity": "2",
        "start_from": "2026-12-01",
        "start_until": "2027-01-31",
        "duration_weeks": "8",
        "supervisor_name": "Sara Handledare",
        "supervisor_email": "sara@example.invalid",
        "leads_to_employment": "maybe",
    }
    form.update(overrides)
    return form


def test_offer_lifecycle_with_every_field(client, db) -> None:
    """Can an employer create a draft with every field, publish, pause, resume and close it?"""
    employer, workplace, user = _employer_login(client)
    response = client.post("/employer/offers/new", data=_offer_form(workplace.id))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    offer = db.scalar(select(Offer).where(Offer.employer_id == employer.id))
    assert offer.status == "draft"
    assert offer.skills_required == ["truckkort", "lagerarbete"]
    assert offer.physical_demands == ["standing", "heavy_lifting"]
    assert offer.hours_min == 10 and offer.hours_max == 30 and offer.capacity == 2
    assert offer.leads_to_employment == "maybe" and offer.duration_weeks == 8
    for action, status in (
        ("publish", "published"),
        ("pause", "paused"),
        ("resume", "published"),
        ("close", "closed"),
    ):
        response = client.post(f"/employer/offers/{offer.id}/status", data={"action": action})
        assert response.status_code == 303
        db.refresh(offer)
        assert offer.status == status
    refreshes = db.scalars(
        select(JobRun).where(
            JobRun.name == task_name(suggestions.refresh_for_offer_job),
            JobRun.subject_id == offer.id,
        )
    ).all()
    assert refreshes, "an offer change schedules a suggestions refresh"
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == offer.id)))
    assert {"offer.created", "offer.status"} <= actions
    response = client.post(
        f"/employer/offers/{offer.id}/edit", data=_offer_form(workplace.id, title="Ny titel")
    )
    assert response.status_code == 400, "a closed offer cannot be edited"
    db.refresh(offer)
    assert offer.title == "Lagermedarbetare"


def test_unverified_employer_cannot_publish(client, db) -> None:
    """Is publishing refused until a coach has verified the employer?"""
    employer, workplace, user = _employer_login(client, verified=False)
    client.post("/employer/offers/new", data=_offer_form(workplace.id))
    offer = db.scalar(select(Offer).where(Offer.employer_id == employer.id))
    response = client.post(f"/employer/offers/{offer.id}/status", data={"action": "publish"})
    assert response.status_code == 303
    db.refresh(offer)
    assert offer.status == "draft"
    page = client.get(f"/employer/offers/{offer.id}").get_data(as_text=True)
    assert "inte granskad" in page


def test_offer_form_rejects_bad_values_with_400(client, db) -> None:
    """Do reversed hours, a word for a number and another employer's workplace give 400s?"""
    employer, workplace, user = _employer_login(client)
    other = make_workplace()
    Session.commit()
    for overrides, field in (
        ({"hours_min": "30", "hours_max": "10"}, "hours_max"),
        ({"capacity": "many"}, "capacity"),
        ({"start_from": "2027-02-01", "start_until": "2027-01-01"}, "start_until"),
        ({"workplace_id": str(other.id)}, "workplace_id"),
        ({"physical_demands": ["flying"]}, "physical_demands"),
        ({"title": ""}, "title"),
        ({"title": "x" * 5000}, "title"),
    ):
        response = client.post("/employer/offers/new", data=_offer_form(workplace.id, **overrides))
        assert response.status_code == 400, overrides
        assert f'id="{field}-error"' in response.get_data(as_text=True), overrides
    assert db.scalar(select(Offer).where(Offer.employer_id == employer.id)) is None


def test_other_employers_offer_is_404(client, db) -> None:
    """Can an employer open or change another employer's offer by changing the id?"""
    from tests.factories import make_offer

    foreign = make_offer()
    _employer_login(client)
    assert client.get(f"/employer/offers/{foreign.id}").status_code == 404
    assert client.get(f"/employer/offers/{foreign.id}/edit").status_code == 404
    assert (
        client.post(f"/employer/offers/{foreign.id}/status", data={"action": "close"}).status_code
        == 404
    )
    assert client.get(f"/employer/workplaces/{foreign.workplace_id}").status_code == 404
    db.refresh(foreign)
    assert foreign.status == "published"


def test_workplace_edit_regeocodes_and_delete_only_without_offers(client, db) -> None:
    """Does moving a workplace geocode it again, and is one with offers kept on delete?"""
    from tests.factories import make_offer

    employer, workplace, user = _employer_login(client)
    form = {"name": "Nya stället", "municipality": "Degerfors", "city": "Degerfors"}
    response = client.post(f"/employer/workplaces/{workplace.id}/edit", data=form)
    assert response.status_code == 302
    db.refresh(workplace)
    assert workplace.municipality == "Degerfors" and workplace.geocode_status == "municipality"
    assert 59.1 < workplace.lat < 59.4 and 14.3 < workplace.lon < 14.6
    make_offer(workplace)
    Session.commit()
    response = client.post(f"/employer/workplaces/{workplace.id}/delete")
    assert response.status_code == 302
    assert db.get(Workplace, workplace.id) is not None
