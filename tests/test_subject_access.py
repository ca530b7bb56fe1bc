"""Subject access (GDPR art. 15): the person's data as JSON, a readable page and a PDF."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import AuditEvent, Session
from services import participants
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user

PNR = "19811218-9876"


def _setup(**kw):  # type: ignore[no-untyped-def]
    unit = make_unit(name="Arbetsmarknadsenheten Test")
    coach = make_user("coach", unit_id=unit.id, name="Coach Cecilia")
    user = make_user("participant", unit_id=unit.id)
    p = make_participant(
        unit,
        coach,
        user_id=user.id,
        personnummer=PNR,
        gender="woman",
        health_notes="Behöver pauser",
        cannot=["cold"],
        **kw,
    )
    participants.request_correction(p, user, "Fel telefonnummer")
    return unit, coach, user, p


def _exports(action="participant.export"):
    return Session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_the_coach_downloads_everything_held_as_json_and_the_export_is_logged(client, db):
    """Does the JSON hold the profile, health data, personnummer and corrections? And is it logged?"""
    _unit, coach, user, p = _setup()
    login(client, coach.email)
    response = client.get(f"/coach/participants/{p.id}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["personnummer"] == PNR
    assert data["profile"]["health_notes"] == "Behöver pauser"
    assert data["profile"]["cannot"] == ["cold"]
    assert data["account"]["email"] == user.email
    assert data["coach"] == "Coach Cecilia"
    assert [c["message"] for c in data["correction_requests"]] == ["Fel telefonnummer"]
    assert "correction.requested" in [e["action"] for e in data["access_log"]]
    [event] = _exports()
    assert event.actor_id == coach.id and event.subject_id == p.id
    assert event.details == {"format": "json"}


def test_the_readable_page_shows_words_not_codes(client, db):
    _unit, coach, _user, p = _setup()
    login(client, coach.email)
    html = client.get(f"/coach/participants/{p.id}/export.html").get_data(as_text=True)
    assert "Kvinna" in html and "Kyla" in html and "Behöver pauser" in html
    assert ">woman<" not in html and ">cold<" not in html


def test_the_participant_downloads_their_own_pdf_from_the_portal(client, db):
    _unit, _coach, user, p = _setup()
    login(client, user.email)
    page = client.get("/me/my-data").get_data(as_text=True)
    assert "/me/my-data/export.pdf" in page and "/me/my-data/export.json" in page
    response = client.get("/me/my-data/export.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF") and len(response.data) > 1000
    assert response.headers["Cache-Control"] == "no-store"
    own = json.loads(client.get("/me/my-data/export.json").get_data(as_text=True))
    assert own["participant_id"] == p.id
    assert [e.details["format"] for e in _exports()] == ["pdf", "json"]


def test_a_long_export_flows_onto_more_pages_in_any_script():
    """Does a long history fit (new pages, not cut off), with names in non-Latin scripts?"""
    from services.subject_access import render_pdf

    short = render_pdf("Titel", "Utdrag", [("Om dig", [("Namn", "Åsa Öberg")])])
    lines = [(f"Anteckning {i}", "محمد – Мария – 李 " * 4) for i in range(300)]
    long = render_pdf("Titel", "Utdrag", [("Om dig", lines)])
    assert short.startswith(b"%PDF") and long.startswith(b"%PDF")
    assert short.count(b"/Type /Page\n") == 1
    assert long.count(b"/Type /Page\n") > 3


@pytest.mark.parametrize("who", ["other-unit-coach", "employer", "other-participant", "admin"])
def test_nobody_else_gets_the_export(client, db, who):
    """Can another unit's coach, an employer, another participant or an admin export? No."""
    unit, _coach, _user, p = _setup()
    if who == "other-unit-coach":
        other = make_user("coach", unit_id=make_unit().id)
    elif who == "other-participant":
        other = make_user("participant", unit_id=unit.id)
        make_participant(unit, user_id=other.id)
    else:
        other = make_user(who)
    Session.commit()
    login(client, other.email)
    response = client.get(f"/coach/participants/{p.id}/export.json")
    assert response.status_code in (403, 404)
    assert PNR not in response.get_data(as_text=True)
    assert _exports() == []


def test_a_protected_identity_is_exported_by_their_own_coach_only(client, db):
    unit, _coach, _user, p = _setup(protected_identity=True)
    colleague = make_user("coach", unit_id=unit.id)
    Session.commit()
    login(client, colleague.email)
    assert client.get(f"/coach/participants/{p.id}/export.html").status_code in (403, 404)
    assert _exports() == []


def test_an_unknown_format_is_a_404_not_a_500(client, db):
    _unit, coach, _user, p = _setup()
    login(client, coach.email)
    assert client.get(f"/coach/participants/{p.id}/export.xml").status_code == 404
