"""Employers who answer: working days, reminders with frozen time, the coach told after a second
period, one-click decline with a reason, response figures, and the verified employer told."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from models import Match, Notification, Offer
from services import employer_response, employers, notifications, workflow
from services.employer_response import working_days_between
from tests.conftest import login
from tests.factories import make_employer, make_offer, make_user, make_workplace
from tests.workflow.helpers import make_world


def test_working_days_skip_weekends_and_swedish_holidays():
    friday = date(2026, 11, 27)
    assert working_days_between(friday, date(2026, 11, 30)) == 1  # Sat, Sun, then Monday
    # 23 Dec (Wed) -> 28 Dec (Mon): Christmas eve, Christmas day, Boxing day and a weekend
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 28)) == 1
    # midsummer eve (Fri 19 June 2026) is a day off
    assert working_days_between(date(2026, 6, 18), date(2026, 6, 22)) == 1
    assert working_days_between(date(2026, 12, 1), date(2026, 12, 1)) == 0


def _kinds(db, kind):
    return db.scalars(select(Notification).where(Notification.kind == kind)).all()


@pytest.fixture
def waiting(app, db):
    w = make_world()
    m = w.match("proposed")
    db.commit()
    # The participant says yes on Monday 30 November 2026.
    with time_machine.travel(datetime(2026, 11, 30, 9, tzinfo=UTC), tick=False):
        workflow.answer(m, w.participant_user, True)
    return w, m


def test_reminder_after_the_set_days_then_the_coach_is_told(waiting, db):
    w, m = waiting
    with time_machine.travel(datetime(2026, 12, 2, 7, tzinfo=UTC), tick=False):  # 2 days
        assert employer_response.send_reminders()["employer_reminders"] == 0
    with time_machine.travel(datetime(2026, 12, 3, 7, tzinfo=UTC), tick=False):  # 3 days
        result = employer_response.send_reminders()
        assert result == {"employer_reminders": 1, "coaches_told": 0, "waiting": 1}
        # idempotent: a second run the same day (or later) does not remind again
        assert employer_response.send_reminders()["employer_reminders"] == 0
    (reminder,) = _kinds(db, "candidate.reminder")
    assert reminder.user_id == w.employer_user.id
    assert reminder.link == f"/employer/offers/{w.offer.id}/candidates#candidate-{m.id}"
    assert w.offer.title in notifications.render(reminder)
    assert not _kinds(db, "candidate.unanswered")
    with time_machine.travel(datetime(2026, 12, 8, 7, tzinfo=UTC), tick=False):  # 6 days
        assert employer_response.send_reminders()["coaches_told"] == 1
    (told,) = _kinds(db, "candidate.unanswered")
    assert told.user_id == w.coach.id
    text = notifications.render(told)
    assert w.participant.display_name in text and w.employer.name in text


def test_the_unit_sets_its_own_number_of_days(waiting, db):
    w, _m = waiting
    w.participant.unit.employer_reminder_days = 1
    db.commit()
    with time_machine.travel(datetime(2026, 12, 1, 7, tzinfo=UTC), tick=False):
        assert employer_response.send_reminders()["employer_reminders"] == 1


def test_an_answered_candidate_is_not_reminded(waiting, db):
    w, m = waiting
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False):
        workflow.employer_answer(m, w.employer_user, False, reason="no_capacity")
    with time_machine.travel(datetime(2026, 12, 10, 7, tzinfo=UTC), tick=False):
        assert employer_response.send_reminders()["waiting"] == 0
    stats = employer_response.stats(w.employer.id)
    assert (stats.received, stats.answered, stats.waiting) == (1, 1, 0)
    assert stats.rate == 1.0 and stats.median_days == 1


def test_cli_command_and_bad_date(app, waiting):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["employer-reminders", "--today", "2026-12-03"])
    assert ok.exit_code == 0 and "employer reminders: 1" in ok.output
    bad = runner.invoke(args=["employer-reminders", "--today", "tomorrow"])
    assert bad.exit_code == 2 and "error:" in bad.output


def test_employer_sees_the_wait_and_declines_in_one_click_with_a_reason(client, waiting, db):
    w, m = waiting
    login(client, w.employer_user.email)
    with time_machine.travel(datetime(2026, 12, 3, 9, tzinfo=UTC), tick=True):
        page = client.get(f"/employer/offers/{w.offer.id}/candidates").get_data(as_text=True)
    assert "Har väntat 3 arbetsdagar på ert svar." in page
    assert "Vi har inte plats just nu" in page
    r = client.post(f"/employer/candidates/{m.id}/answer", data={f"c{m.id}-reason": "skills"})
    assert r.status_code == 302
    db.expire_all()
    got = db.get(Match, m.id)
    assert got.status == "employer_declined" and got.employer_decline_reason == "skills"


def test_answer_without_a_choice_or_with_an_unknown_reason_is_400(client, waiting, db):
    w, m = waiting
    login(client, w.employer_user.email)
    assert client.post(f"/employer/candidates/{m.id}/answer", data={}).status_code == 400
    r = client.post(f"/employer/candidates/{m.id}/answer", data={f"c{m.id}-reason": "lazy"})
    assert r.status_code == 400
    db.expire_all()
    assert db.get(Match, m.id).status == "interested"


def test_swedish_level_is_shown_in_words(client, app, db):
    w = make_world(consent={"swedish_level": True}, swedish_level="good")
    w.match("interested")
    db.commit()
    login(client, w.employer_user.email)
    page = client.get(f"/employer/offers/{w.offer.id}/candidates").get_data(as_text=True)
    assert "<dd>God</dd>" in page and ">good<" not in page


def test_verified_employer_is_told_and_publishes_a_draft_in_one_click(client, app, db):
    employer = make_employer(verified_at=None)
    contact = make_user("employer", employer_id=employer.id)
    draft = make_offer(make_workplace(employer), status="draft")
    coach = make_user("coach")
    db.commit()
    employers.verify(coach, employer.id)
    employers.verify(coach, employer.id)  # twice: told once
    (note,) = _kinds(db, "employer.verified")
    assert note.user_id == contact.id and note.link == "/employer/"
    assert employer.name in notifications.render(note)
    login(client, contact.email)
    home = client.get("/employer/").get_data(as_text=True)
    assert "Publicera" in home and "1 utkast" in home
    r = client.post(f"/employer/offers/{draft.id}/status", data={"action": "publish"})
    assert r.status_code == 303
    db.expire_all()
    assert db.get(Offer, draft.id).status == "published"


def test_pages_name_the_coach_start_and_map(client, app, db):
    w = make_world()
    w.offer.start_from = date(2027, 1, 11)
    m = w.match("proposed")
    db.commit()
    login(client, w.participant_user.email)
    page = client.get(f"/me/proposals/{m.id}").get_data(as_text=True)
    assert f"Din coach: {w.coach.name}" in page
    assert "openstreetmap.org/?mlat=" in page
    assert "Från " in page and "2027" in page
    workflow.answer(m, w.participant_user, True)
    client.post("/logout")
    login(client, w.employer_user.email)
    card = client.get(f"/employer/offers/{w.offer.id}/candidates").get_data(as_text=True)
    assert w.coach.name in card and w.coach.email in card
    assert "Så går det till" in card
