"""Participant portal: home, plan, my data (own sensitive fields, logged), corrections."""

from __future__ import annotations

from sqlalchemy import select

from models import AuditEvent, CorrectionRequest, Session
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user


def _participant(client, **kw):  # type: ignore[no-untyped-def]
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    user = make_user("participant", unit_id=unit.id)
    p = make_participant(unit, coach, user_id=user.id, **kw)
    Session.commit()
    login(client, user.email)
    return p, coach


def test_home_and_plan_render_for_the_participant(client, db) -> None:
    """Does the participant's home greet them and link to their pages?"""
    p, _coach = _participant(client, first_name="Nora")
    html = client.get("/me/").get_data(as_text=True)
    assert "Hej Nora!" in html and "/me/my-data" in html and "/me/plan" in html
    assert client.get("/me/plan").status_code == 200


def test_my_data_shows_own_health_notes_and_logs_the_read(client, db) -> None:
    """Does the person see their own health notes, with the read logged?"""
    p, _coach = _participant(client, health_notes="Behöver pauser", cannot=["cold"])
    html = client.get("/me/my-data").get_data(as_text=True)
    assert "Behöver pauser" in html and "Kyla" in html
    logged = db.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "participant.sensitive.view", AuditEvent.subject_id == p.id
        )
    )
    assert logged is not None


def test_correction_request_reaches_the_coach(client, db) -> None:
    """Is a correction request stored, shown to the coach, and an empty one refused?"""
    p, coach = _participant(client)
    assert client.post("/me/my-data/correction", data={"message": "  "}).status_code == 400
    response = client.post(
        "/me/my-data/correction", data={"message": "Jag har körkort <b>sedan 2020</b>."}
    )
    assert response.status_code == 302
    item = db.scalar(select(CorrectionRequest).where(CorrectionRequest.participant_id == p.id))
    assert item.status == "open"
    client.post("/logout")
    login(client, coach.email)
    html = client.get(f"/coach/participants/{p.id}").get_data(as_text=True)
    assert "Jag har körkort &lt;b&gt;sedan 2020&lt;/b&gt;." in html
    assert "begär rättelse" in client.get("/coach/participants").get_data(as_text=True)
    response = client.post(f"/coach/corrections/{item.id}", data={"status": "done"})
    assert response.status_code == 400  # closed only with an answer
    response = client.post(
        f"/coach/corrections/{item.id}", data={"status": "done", "answer": "Rättat."}
    )
    assert response.status_code == 303
    db.refresh(item)
    assert item.status == "done" and item.handled_by_id == coach.id and item.answer == "Rättat."


def test_participant_without_profile_gets_404_and_no_other_pages(client, db) -> None:
    """Can a participant reach coach or employer pages, or a profile that is not theirs?"""
    unit = make_unit()
    user = make_user("participant", unit_id=unit.id)
    other = make_participant(unit)
    Session.commit()
    login(client, user.email)
    assert client.get("/me/my-data").status_code == 404
    assert client.get(f"/coach/participants/{other.id}").status_code == 403
    assert client.get("/employer/").status_code == 403
