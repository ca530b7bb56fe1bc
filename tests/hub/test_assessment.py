"""Self-assessment people understand: a statement in the participant's voice in both languages
(editable with the indicator set), and a confirmation with one's own progression after sending."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models import Assessment, Indicator, Session
from services import indicators as indicator_service
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user
from tests.progress.helpers import default_indicators


@pytest.fixture
def setup(app, db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    user = make_user("participant", unit_id=unit.id)
    p = make_participant(unit, coach, user_id=user.id)
    ind = default_indicators()
    db.commit()
    return user, p, ind


def test_each_question_is_a_statement_in_the_participants_voice(app, client, setup):
    user, _p, ind = setup
    login(client, user.email)
    html = client.get("/me/assessment").get_data(as_text=True)
    assert "<legend>Jag tror att jag klarar ett jobb</legend>" in html
    assert "<legend>Jag vet hur jag söker jobb</legend>" in html
    client.post("/language", data={"lang": "en", "next": "/me/assessment"})
    with app.app_context():
        html = client.get("/me/assessment").get_data(as_text=True)
    assert "<legend>I believe I can manage a job</legend>" in html


def test_an_indicators_own_statement_wins_and_the_admin_edits_it(client, db, setup):
    _user, _p, ind = setup
    admin = make_user("admin")
    db.commit()
    login(client, admin.email)
    i = ind["job_search"]
    form = client.get(f"/admin/indicators/{i.id}").get_data(as_text=True)
    assert 'value="Jag vet hur jag söker jobb"' in form  # the default, ready to edit
    r = client.post(
        f"/admin/indicators/{i.id}",
        data={
            "key": i.key,
            "label_sv": i.label_sv,
            "label_en": i.label_en,
            "answered_by": i.answered_by,
            "scale_min": "1",
            "scale_max": "5",
            "statement_sv": "Jag söker jobb varje vecka",
            "statement_en": "I look for work every week",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    db.expire_all()
    saved = db.get(Indicator, i.id)
    assert saved.statement_sv == "Jag söker jobb varje vecka"
    assert indicator_service.statement(saved, "en") == "I look for work every week"


def test_unknown_key_without_statement_falls_back_to_the_label(app, db):
    i = Indicator(key="custom", label_sv="Egen fråga", label_en="Own question")
    assert indicator_service.statement(i, "sv") == "Egen fråga"
    assert indicator_service.statement(i, "en") == "Own question"


def test_after_sending_a_confirmation_and_ones_own_progression(client, db, setup):
    user, p, ind = setup
    Session.add(
        Assessment(
            participant_id=p.id,
            indicator_id=ind["self_belief"].id,
            respondent="participant",
            assessed_on=date(2026, 5, 1),
            value=2,
        )
    )
    db.commit()
    login(client, user.email)
    r = client.post("/me/assessment", data={f"i{ind['self_belief'].id}": "4"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/me/assessment/thanks")
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Tack! Dina svar är sparade." in html
    assert 'name="i' not in html  # not the same form again
    row = html.split("Jag tror att jag klarar ett jobb</th>")[1].split("</tr>")[0]
    assert ">4<" in row and "2026-05-01" in row
    assert html.count("<svg") == 1


def test_phone_scale_stays_on_one_row_in_the_stylesheet():
    css = (Path(__file__).parents[2] / "web" / "static" / "progress.css").read_text()
    phone = css.split("@media (max-width: 40em)")[1]
    assert ".scale-options { flex-wrap: nowrap" in phone
