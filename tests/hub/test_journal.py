"""The participant hub: journal notes, meetings with an .ics file, and the tab list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models import AuditEvent, JournalNote, Meeting
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user


@pytest.fixture
def world(app, db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach, first_name="Amina", last_name="Yusuf")
    other_unit = make_unit()
    stranger = make_user("coach", unit_id=other_unit.id)
    db.commit()
    return coach, p, stranger


def _events(db, action):
    return db.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_every_section_links_to_every_other(client, world):
    """Can a coach reach each section of the participant from any other in one click?"""
    coach, p, _ = world
    login(client, coach.email)
    sections = ["", "/suggestions", "/plan", "/progression", "/placements", "/journal", "/meetings"]
    for here in sections:
        html = client.get(f"/coach/participants/{p.id}{here}").get_data(as_text=True)
        for there in sections:
            assert f'href="/coach/participants/{p.id}{there}"' in html, (here, there)
        assert html.count('aria-current="page"') >= 1


def test_coach_saves_a_note_with_date_and_author(client, db, world):
    coach, p, _ = world
    login(client, coach.email)
    r = client.post(
        f"/coach/participants/{p.id}/journal",
        data={"noted_on": "2026-11-20", "text": "Ringde om CV:t.\nBra samtal."},
    )
    assert r.status_code == 303
    note = db.scalar(select(JournalNote).where(JournalNote.participant_id == p.id))
    assert note.text == "Ringde om CV:t.\nBra samtal." and note.author_id == coach.id
    html = client.get(f"/coach/participants/{p.id}/journal").get_data(as_text=True)
    assert "Ringde om CV:t." in html and coach.name in html and "2026-11-20" in html
    assert len(_events(db, "journal.note.add")) == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"noted_on": "2026-11-20", "text": "   "}, "Skriv en anteckning."),
        ({"noted_on": "inte-ett-datum", "text": "x"}, "Skriv ett datum."),
        ({"noted_on": "2999-01-01", "text": "x"}, "Datumet kan inte vara i framtiden."),
    ],
)
def test_a_bad_note_is_refused_with_a_message(client, db, world, data, message):
    coach, p, _ = world
    login(client, coach.email)
    r = client.post(f"/coach/participants/{p.id}/journal", data=data)
    assert r.status_code == 400
    assert message in r.get_data(as_text=True)
    assert db.scalar(select(JournalNote)) is None


def test_sensitive_note_is_hidden_until_shown_and_the_read_is_logged(client, db, world):
    coach, p, _ = world
    login(client, coach.email)
    client.post(
        f"/coach/participants/{p.id}/journal",
        data={"noted_on": "2026-11-20", "text": "Har ont i ryggen", "sensitive": "y"},
    )
    note = db.scalar(select(JournalNote))
    html = client.get(f"/coach/participants/{p.id}/journal").get_data(as_text=True)
    assert "Har ont i ryggen" not in html and "känslig" in html
    assert _events(db, "journal.note.view") == []
    r = client.post(f"/coach/participants/{p.id}/journal/{note.id}/show")
    assert r.status_code == 200 and "Har ont i ryggen" in r.get_data(as_text=True)
    (event,) = _events(db, "journal.note.view")
    assert event.actor_id == coach.id and event.details["note_id"] == note.id


def test_another_units_coach_reads_and_writes_nothing(client, db, world):
    coach, p, stranger = world
    login(client, stranger.email)
    assert client.get(f"/coach/participants/{p.id}/journal").status_code == 404
    r = client.post(
        f"/coach/participants/{p.id}/journal", data={"noted_on": "2026-11-20", "text": "x"}
    )
    assert r.status_code == 404
    assert client.get(f"/coach/participants/{p.id}/meetings").status_code == 404
    assert db.scalar(select(JournalNote)) is None


def test_meeting_is_saved_in_local_time_and_gives_a_calendar_file(client, db, world):
    coach, p, _ = world
    login(client, coach.email)
    r = client.post(
        f"/coach/participants/{p.id}/meetings",
        data={
            "starts_on": "2027-01-15",
            "starts_time": "09:30",
            "minutes": "45",
            "kind": "meeting",
            "place": "Kontoret, Storgatan 1; rum 2",
            "note": "Ta med betyg",
        },
    )
    assert r.status_code == 303
    m = db.scalar(select(Meeting))
    assert m.starts_at == datetime(2027, 1, 15, 8, 30, tzinfo=UTC)  # 09:30 CET is 08:30 UTC
    html = client.get(f"/coach/participants/{p.id}/meetings").get_data(as_text=True)
    assert "2027-01-15 kl. 09.30" in html and "Kontoret" in html
    r = client.get(f"/coach/participants/{p.id}/meetings/{m.id}.ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    body = r.get_data()
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    lines = body.decode().split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "DTSTART:20270115T083000Z" in lines and "DTEND:20270115T091500Z" in lines
    assert any(line.startswith("UID:meeting-") for line in lines)
    assert any(line.startswith("DTSTAMP:") for line in lines)
    assert "LOCATION:Kontoret\\, Storgatan 1\\; rum 2" in lines
    assert "Yusuf" not in body.decode()  # no surname in a shared calendar
    assert all(len(line.encode()) <= 75 for line in lines)


def test_summer_time_meeting(client, db, world):
    coach, p, _ = world
    login(client, coach.email)
    client.post(
        f"/coach/participants/{p.id}/meetings",
        data={"starts_on": "2027-06-15", "starts_time": "09:30", "minutes": "60", "kind": "phone"},
    )
    assert db.scalar(select(Meeting)).starts_at == datetime(2027, 6, 15, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "data",
    [
        {"starts_on": "2027-01-15", "starts_time": "25:99", "minutes": "45", "kind": "meeting"},
        {"starts_on": "2027-01-15", "starts_time": "09:00", "minutes": "0", "kind": "meeting"},
        {"starts_on": "2027-01-15", "starts_time": "09:00", "minutes": "30", "kind": "party"},
        {"starts_on": "", "starts_time": "09:00", "minutes": "30", "kind": "meeting"},
    ],
)
def test_bad_meeting_input_is_a_400(client, db, world, data):
    coach, p, _ = world
    login(client, coach.email)
    r = client.post(f"/coach/participants/{p.id}/meetings", data=data)
    assert r.status_code == 400 and "Formuläret har fel" in r.get_data(as_text=True)
    assert db.scalar(select(Meeting)) is None


def test_long_ics_lines_are_folded_without_splitting_characters(app, db, world):
    from services import journal

    coach, p, _ = world
    m = Meeting(
        id=7,
        participant_id=p.id,
        kind="meeting",
        minutes=30,
        place="",
        note="åäö " * 60,
        starts_at=datetime(2027, 1, 1, tzinfo=UTC),
    )
    body = journal.ics(m, "Möte", "example.org").decode("utf-8")
    unfolded = body.replace("\r\n ", "")
    assert "DESCRIPTION:" + "åäö " * 60 in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
