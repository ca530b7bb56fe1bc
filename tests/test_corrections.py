"""Correction requests (GDPR art. 16): the coach is told the due date and closes with an answer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import CorrectionRequest, Notification, Session
from services import notifications, participants
from services.validation import Invalid
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        (date(2026, 3, 14), date(2026, 4, 14)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 5), date(2027, 1, 5)),
    ],
)
def test_one_month_is_the_same_day_next_month_or_its_last_day(asked, due):
    assert participants.one_month_after(asked) == due


def _setup(with_coach=True):  # type: ignore[no-untyped-def]
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    user = make_user("participant", unit_id=unit.id)
    p = make_participant(unit, coach if with_coach else None, user_id=user.id)
    return unit, coach, user, p


def _notes(user_id, kind):
    return Session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
    ).all()


def test_a_request_notifies_the_coach_with_a_due_date_one_month_on(app, db):
    _unit, coach, user, p = _setup()
    item = participants.request_correction(p, user, "Fel adress", today=date(2026, 3, 14))
    assert item.due_on == date(2026, 4, 14)
    [note] = _notes(coach.id, "correction.requested")
    assert note.params["due_on"] == "2026-04-14"
    assert note.link == f"/coach/participants/{p.id}"
    with app.test_request_context():
        assert "2026-04-14" in notifications.render(note)


def test_without_a_coach_every_coach_of_the_unit_is_told(app, db):
    unit, coach, user, p = _setup(with_coach=False)
    colleague = make_user("coach", unit_id=unit.id)
    make_user("coach", unit_id=make_unit().id)  # another unit: not told
    participants.request_correction(p, user, "Fel telefon")
    told = {n.user_id for n in Session.scalars(select(Notification))}
    assert told == {coach.id, colleague.id}


def test_the_coach_closes_with_an_answer_and_the_participant_reads_it(client, db):
    """Can a request be closed without an answer? No; with one, the participant sees it."""
    _unit, coach, user, p = _setup()
    item = participants.request_correction(p, user, "Jag har körkort")
    with pytest.raises(Invalid):
        participants.handle_correction(coach, item, "done", "  ")
    login(client, coach.email)
    page = client.get(f"/coach/participants/{p.id}").get_data(as_text=True)
    assert "Svara senast" in page and f'for="answer-{item.id}"' in page
    response = client.post(
        f"/coach/corrections/{item.id}", data={"status": "done", "answer": "Rättat i profilen."}
    )
    assert response.status_code == 303
    db.refresh(item)
    assert (item.status, item.answer, item.handled_by_id) == (
        "done",
        "Rättat i profilen.",
        coach.id,
    )
    assert len(_notes(user.id, "correction.answered")) == 1
    again = client.post(f"/coach/corrections/{item.id}", data={"status": "rejected", "answer": "x"})
    assert again.status_code == 400
    db.refresh(item)
    assert item.status == "done"
    client.post("/logout")
    login(client, user.email)
    assert "Rättat i profilen." in client.get("/me/my-data").get_data(as_text=True)


def test_another_units_coach_cannot_answer(client, db):
    _unit, _coach, user, p = _setup()
    item = participants.request_correction(p, user, "Fel")
    stranger = make_user("coach", unit_id=make_unit().id)
    Session.commit()
    login(client, stranger.email)
    response = client.post(f"/coach/corrections/{item.id}", data={"status": "done", "answer": "x"})
    assert response.status_code in (403, 404)
    assert Session.get(CorrectionRequest, item.id).status == "open"
