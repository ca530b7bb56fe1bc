"""Coach-to-participant messages, shown back to the coach with time and read status."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from models import AuditEvent, Notification, OutboxEmail
from services import messages, queue, workflow
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user
from tests.workflow.helpers import make_world


@pytest.fixture
def world(app, db):
    def forget() -> None:  # each request loads its user from the cookie, as in production
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, forget)
    w = make_world()
    colleague = make_user("coach", unit_id=w.participant.unit_id, name="Kim Kollega")
    stranger = make_user("coach", unit_id=make_unit().id)
    db.commit()
    return w, colleague, stranger


def test_messages_from_coaches_and_notices_are_shown_with_read_status(client, db, world):
    """Does the coach see what they and a colleague sent, and the app's notices, with the time
    and whether the participant has read each?"""
    w, colleague, _s = world
    m = w.match("suggested")
    db.commit()
    workflow.approve(m, w.coach)  # the app tells the participant about the proposal
    login(client, w.coach.email)
    r = client.post(
        f"/coach/participants/{w.participant.id}/messages",
        data={"text": "Hej! Vi ses på tisdag kl 10."},
    )
    assert r.status_code == 303
    client.post("/logout")
    login(client, colleague.email)
    client.post(
        f"/coach/participants/{w.participant.id}/messages", data={"text": "Ring mig gärna."}
    )
    page = client.get(f"/coach/participants/{w.participant.id}/messages").get_data(as_text=True)
    assert "Hej! Vi ses på tisdag kl 10." in page and "Ring mig gärna." in page
    assert w.coach.name in page and "Kim Kollega" in page
    assert "Platsmatch (automatiskt)" in page and w.offer.title in page
    assert page.count("Inte läst") == 3
    # The participant opens their home page: the coaches' messages are shown there, in full.
    client.post("/logout")
    login(client, w.participant_user.email)
    home = client.get("/me/").get_data(as_text=True)
    assert "Ring mig gärna." in home and "Meddelanden från din coach" in home
    client.post("/logout")
    login(client, w.coach.email)
    page = client.get(f"/coach/participants/{w.participant.id}/messages").get_data(as_text=True)
    assert page.count("Inte läst") == 1  # the proposal notice is still unread
    assert page.count("Läst ") == 2
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "participant.message"))
    assert len(events.all()) == 2


def test_the_email_says_a_message_waits_without_its_text(app, db, world):
    w, _c, _s = world
    messages.send(w.coach, w.participant, "Hemligt: din läkare ringde.")
    queue.run_ready()
    mail = db.scalar(select(OutboxEmail).where(OutboxEmail.to_address == w.participant_user.email))
    assert mail is not None and "meddelande" in mail.body
    assert "Hemligt" not in mail.body and "läkare" not in mail.body


def test_bad_input_and_access(client, db, world):
    w, _c, stranger = world
    login(client, w.coach.email)
    r = client.post(f"/coach/participants/{w.participant.id}/messages", data={"text": "  "})
    assert r.status_code == 400 and "Skriv ett meddelande." in r.get_data(as_text=True)
    r = client.post(f"/coach/participants/{w.participant.id}/messages", data={"text": "x" * 2001})
    assert r.status_code == 400
    no_login = make_participant(w.participant.unit, w.coach)
    db.commit()
    r = client.post(f"/coach/participants/{no_login.id}/messages", data={"text": "Hej"})
    assert r.status_code == 400 and "inget konto" in r.get_data(as_text=True)
    client.post("/logout")
    login(client, stranger.email)
    assert client.get(f"/coach/participants/{w.participant.id}/messages").status_code == 404
    r = client.post(f"/coach/participants/{w.participant.id}/messages", data={"text": "Hej"})
    assert r.status_code == 404
    assert db.scalar(select(Notification).where(Notification.kind == messages.KIND)) is None
