"""A coach's work phone: set by the coach or an administrator, checked loosely, audited, and
shown with the coach's name to their participants and to the employers of their candidates."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, Session
from services import workflow
from services.validation import Invalid, clean_phone
from tests.conftest import login
from tests.factories import make_unit, make_user
from tests.workflow.helpers import make_world


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0586-614 00", "0586-614 00"),
        ("  070 123 45 67 ", "070 123 45 67"),
        ("+46 70 123 45 67", "+46 70 123 45 67"),
        ("08-(123) 456", "08-(123) 456"),
        ("", ""),
    ],
)
def test_swedish_numbers_are_kept_as_typed(typed, kept):
    assert clean_phone(typed) == kept


@pytest.mark.parametrize(
    "typed", ["12345", "070-12", "+1 555 123 4567", "ring mig", "0701234567890123", "070; drop"]
)
def test_other_text_is_refused_in_words(typed):
    with pytest.raises(Invalid) as refused:
        clean_phone(typed)
    assert "svenskt telefonnummer" in refused.value.errors["phone"]


def _audited(user_id: int) -> int:
    return len(
        Session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "account.phone", AuditEvent.subject_id == user_id
            )
        ).all()
    )


def test_coach_sets_their_own_phone(client, app, db):
    coach = make_user("coach", unit_id=make_unit().id)
    db.commit()
    login(client, coach.email)
    assert "Mina kontaktuppgifter" in client.get("/coach/").get_data(as_text=True)
    assert client.get("/coach/profile").status_code == 200
    bad = client.post("/coach/profile", data={"phone": "ring mig"})
    assert bad.status_code == 400 and "svenskt telefonnummer" in bad.get_data(as_text=True)
    assert client.post("/coach/profile", data={"phone": "0586-614 00"}).status_code == 303
    db.refresh(coach)
    assert coach.phone == "0586-614 00" and _audited(coach.id) == 1


def test_admin_sets_a_coachs_phone_and_a_stranger_cannot(client, app, db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    manager = make_user("admin", unit_id=unit.id)
    other_manager = make_user("admin", unit_id=make_unit().id)
    db.commit()
    login(client, manager.email)
    page = client.get(f"/admin/accounts/{coach.id}").get_data(as_text=True)
    assert "Jobbtelefon" in page
    bad = client.post(f"/admin/accounts/{coach.id}/phone", data={"phone": "12"})
    assert bad.status_code == 400
    r = client.post(f"/admin/accounts/{coach.id}/phone", data={"phone": "+46 586 614 00"})
    assert r.status_code == 303
    db.refresh(coach)
    assert coach.phone == "+46 586 614 00" and _audited(coach.id) == 1
    client.post("/logout")
    login(client, other_manager.email)
    r = client.post(f"/admin/accounts/{coach.id}/phone", data={"phone": "0586-1"})
    assert r.status_code in (403, 404)
    db.refresh(coach)
    assert coach.phone == "+46 586 614 00"


def test_participant_and_employer_see_the_coachs_name_and_phone(client, app, db):
    w = make_world()
    w.coach.phone = "0586-614 00"
    m = w.match("proposed")
    db.commit()
    login(client, w.participant_user.email)
    for path in ("/me/", f"/me/proposals/{m.id}", "/me/my-data"):
        page = client.get(path)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, path
        assert w.coach.name in html and 'href="tel:0586614' in html, path
    workflow.answer(m, w.participant_user, True)
    client.post("/logout")
    login(client, w.employer_user.email)
    card = client.get(f"/employer/offers/{w.offer.id}/candidates").get_data(as_text=True)
    assert w.coach.name in card and "0586-614 00" in card
