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


def _login_participant(db, email):
    user = db.scalar(select(User).where(User.email == email))
    return db.scalar(select(Participant).where(Participant.user_id == user.id))


def test_every_demo_participant_login_has_three_explained_suggestions(app, db):
    """On a fresh demo, does each participant login have at least three suggestions with reasons,
    one of them an offer of employer@demo.test's employer for participant@demo.test?"""
    from models import Match
    from services import demo_matches

    demo.seed()
    demo_matches.run()
    employer_id = db.scalar(select(User.employer_id).where(User.email == "employer@demo.test"))
    for email in ("participant@demo.test", "participant2@demo.test"):
        p = _login_participant(db, email)
        rows = db.scalars(
            select(Match).where(
                Match.participant_id == p.id,
                Match.status.in_(("suggested", "approved", "proposed")),
                Match.source == "engine",
            )
        ).all()
        explained = [m for m in rows if m.reasons]
        waiting = [m for m in explained if m.status == "suggested"]
        assert len(waiting) >= 3, (email, [(m.status, m.reasons) for m in rows])
        if email == "participant@demo.test":
            assert any(m.offer.employer_id == employer_id for m in explained)


def test_demo_participants_identity_fields_agree(db):
    """Do personnummer, birth year, gender and target group of every demo participant agree?"""
    from datetime import date

    from models.identity import birth_year_from_personnummer, normalise_personnummer

    demo.seed(today=date(2031, 3, 1))
    people = db.scalars(select(Participant)).all()
    assert len(people) >= 150
    with_number = 0
    for p in people:
        age = 2031 - p.birth_year
        low, high = demo.AGE_RANGES.get(p.target_group, (18, 66))
        assert low <= age <= high, (p.target_group, age)
        if p.personnummer:
            with_number += 1
            assert normalise_personnummer(p.personnummer) == p.personnummer
            assert birth_year_from_personnummer(p.personnummer) == p.birth_year
            ninth = int(p.personnummer.replace("-", "")[-2])
            if p.gender in ("woman", "man"):
                assert ninth % 2 == (1 if p.gender == "man" else 0), p.personnummer
    assert with_number >= 2
    pia = _login_participant(db, "participant@demo.test")
    per = _login_participant(db, "participant2@demo.test")
    assert (pia.first_name, pia.gender) == ("Pia", "woman")
    assert (per.first_name, per.gender) == ("Per", "man")


def test_demo_units_sit_in_their_counties_regions(db):
    """Is a Karlskoga coach kept from Nybro and Kristianstad offers by the regions?"""
    from services import sharing

    demo.seed()
    units = {u.municipality: u for u in db.scalars(select(Unit))}
    assert units["Karlskoga"].region.name == "Örebro län"
    assert units["Kristianstad"].region.name == "Skåne län"
    assert units["Västervik"].region.name == "Kalmar län"
    usable = db.scalars(sharing.offers_usable_by(units["Karlskoga"].id)).all()
    towns = {o.workplace.municipality for o in usable}
    assert "Karlskoga" in towns
    assert not towns & {"Nybro", "Kristianstad", "Vimmerby", "Hässleholm"}
