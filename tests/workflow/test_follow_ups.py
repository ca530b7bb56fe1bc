"""Outcome follow-ups after exit: due at 90 days, 6 and 12 months, reminded once, recorded by the
coach, counted by gender in the report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from models import FollowUp, Notification
from services import follow_ups
from services.workflow import NotAllowed, WorkflowError
from tests.conftest import login
from tests.factories import make_participant, make_user
from tests.workflow.helpers import make_world


def test_due_dates():
    exit_day = date(2026, 8, 31)
    assert follow_ups.due_on(exit_day, "90d") == date(2026, 11, 29)
    assert follow_ups.due_on(exit_day, "6m") == date(2027, 2, 28)
    assert follow_ups.due_on(exit_day, "12m") == date(2027, 8, 31)


@pytest.fixture
def exited(app, db):
    w = make_world(gender="woman", exited_on=date(2026, 8, 1), exit_outcome="none")
    man = make_participant(w.participant.unit, w.coach, gender="man", exited_on=date(2026, 8, 15))
    later = make_participant(w.participant.unit, w.coach, gender="man", exited_on=date(2026, 11, 1))
    db.commit()
    return w, man, later


def test_90_day_follow_ups_come_due_are_reminded_once_and_counted_by_gender(client, exited, db):
    w, man, later = exited
    with time_machine.travel(datetime(2026, 11, 20, 8, tzinfo=UTC), tick=False):
        due = follow_ups.due(w.participant.unit_id)
        assert [(d.participant.id, d.step) for d in due] == [
            (w.participant.id, "90d"),
            (man.id, "90d"),
        ]
        assert follow_ups.send_reminders() == {"due": 2, "sent": 2}
        assert follow_ups.send_reminders()["sent"] == 0  # idempotent
        note = db.scalar(select(Notification).where(Notification.kind == "followup.due"))
        assert note.user_id == w.coach.id and note.link.startswith("/coach/follow-ups#followup-")
        login(client, w.coach.email)
        page = client.get("/coach/follow-ups").get_data(as_text=True)
        assert w.participant.display_name in page and later.display_name not in page
        r = client.post(
            f"/coach/follow-ups/{w.participant.id}/90d",
            data={f"f{w.participant.id}-90d-situation": "employment"},
        )
        assert r.status_code == 302
        bad = client.post(
            f"/coach/follow-ups/{man.id}/90d", data={f"f{man.id}-90d-situation": "lottery"}
        )
        assert bad.status_code == 400
        twice = client.post(
            f"/coach/follow-ups/{w.participant.id}/90d",
            data={f"f{w.participant.id}-90d-situation": "studies"},
        )
        assert twice.status_code == 409
        report = follow_ups.report(w.participant.unit_id)
    step = report["steps"]["90d"]
    assert step.due == {"woman": 1, "man": 1, "other": 0, "not_stated": 0}
    assert step.recorded == {"woman": 1, "man": 0, "other": 0, "not_stated": 0}
    assert step.situations["employment"]["woman"] == 1
    assert report["steps"]["6m"].due == {"woman": 0, "man": 0, "other": 0, "not_stated": 0}
    (row,) = db.scalars(select(FollowUp)).all()
    assert (row.step, row.situation, row.due_on) == ("90d", "employment", date(2026, 10, 30))


def test_not_before_its_date_and_only_the_unit(exited, db):
    w, _man, later = exited
    with time_machine.travel(datetime(2026, 11, 20, tzinfo=UTC), tick=False):
        with pytest.raises(WorkflowError):
            follow_ups.record(later, w.coach, "90d", "employment")
        other_coach = make_user("coach")
        db.commit()
        with pytest.raises(NotAllowed):
            follow_ups.record(w.participant, other_coach, "90d", "employment")
