"""Demo data: enough of everything, idempotent, and every demo login works."""

from sqlalchemy import func, select

from models import Employer, Offer, Participant, Session, Unit, User
from services import demo
from tests.conftest import login


def test_seed_creates_the_promised_amounts_once(db):
    first = demo.seed()
    assert first.created
    assert db.scalar(select(func.count(Unit.id))) >= 3
    assert db.scalar(select(func.count(Employer.id))) >= 40
    assert db.scalar(select(func.count(Offer.id))) >= 80
    assert db.scalar(select(func.count(Participant.id))) >= 150
    again = demo.seed()
    assert not again.created
    assert db.scalar(select(func.count(Offer.id))) == first.counts["offers"]


def test_demo_accounts_can_log_in_and_see_their_own(client, db):
    demo.seed()
    for email, _role, _what in demo.DEMO_LOGINS:
        client.post("/logout")
        response = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, email
    client.post("/logout")
    login(client, "coach@demo.test", demo.DEMO_PASSWORD)
    page = client.get("/coach/").get_data(as_text=True)
    coach = db.scalar(select(User).where(User.email == "coach@demo.test"))
    mine = db.scalars(
        select(Participant)
        .where(Participant.coach_id == coach.id, Participant.exited_on.is_(None))
        .order_by(Participant.id)
    ).all()
    assert len(mine) >= 10
    assert all(p.last_name in page for p in mine[:5])


def test_demo_coaches_are_in_different_units_and_participants_in_their_caseloads(db):
    demo.seed()
    users = {u.email: u for u in db.scalars(select(User))}
    assert users["coach@demo.test"].unit_id != users["coach2@demo.test"].unit_id
    for email, coach in (
        ("participant@demo.test", "coach@demo.test"),
        ("participant2@demo.test", "coach2@demo.test"),
    ):
        p = db.scalar(select(Participant).where(Participant.user_id == users[email].id))
        assert p.coach_id == users[coach].id
    assert users["employer@demo.test"].employer_id != users["employer2@demo.test"].employer_id


def test_seed_demo_command_prints_logins(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "coach2@demo.test" in result.output and demo.DEMO_PASSWORD in result.output
    Session.rollback()
