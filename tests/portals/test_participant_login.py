"""A coach gives a participant a portal login; the one-time password works once shown."""

from sqlalchemy import select

from models import AuditEvent, Participant, Session, User
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user


def test_coach_creates_a_login_the_participant_can_use(client, db):
    """Can a participant the coach just created log in to the portal?"""
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach)
    Session.commit()
    login(client, coach.email)
    page = client.post(
        f"/coach/participants/{p.id}/login", data={"email": "Ny.Deltagare@Test.example"}
    )
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    password = text.split("<code>")[1].split("</code>")[0]
    user = db.scalar(select(User).where(User.email == "ny.deltagare@test.example"))
    assert user.role == "participant" and db.get(Participant, p.id).user_id == user.id
    assert password not in user.password_hash
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "participant.login.create"))
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/")


def test_second_login_and_taken_email_are_refused_at_the_field(client, db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    other = make_user("employer")
    p = make_participant(unit, coach)
    Session.commit()
    login(client, coach.email)
    taken = client.post(f"/coach/participants/{p.id}/login", data={"email": other.email})
    assert taken.status_code == 400
    assert "används redan" in taken.get_data(as_text=True)
    bad = client.post(f"/coach/participants/{p.id}/login", data={"email": "inte-en-adress"})
    assert bad.status_code == 400
    assert (
        client.post(f"/coach/participants/{p.id}/login", data={"email": "a@b.se"}).status_code
        == 200
    )
    again = client.post(f"/coach/participants/{p.id}/login", data={"email": "c@d.se"})
    assert again.status_code == 400


def test_another_units_coach_gets_404(client, db):
    p = make_participant(make_unit())
    outsider = make_user("coach", unit_id=make_unit().id)
    Session.commit()
    login(client, outsider.email)
    assert (
        client.post(f"/coach/participants/{p.id}/login", data={"email": "x@y.se"}).status_code
        == 404
    )
    assert db.get(Participant, p.id).user_id is None
