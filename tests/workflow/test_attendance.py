"""Attendance by week (supervisor or coach), hours done, and ending early with the last day and a
reason."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import Match, Placement, PlacementWeek
from services import agreements, placements
from services.workflow import NotAllowed, WorkflowError
from tests.conftest import login
from tests.factories import make_user
from tests.workflow.helpers import make_world


@pytest.fixture
def ongoing(app, db):
    w = make_world()
    m = w.match("accepted")
    w.offer.filled = 1
    db.commit()
    placement = placements.plan(m, w.coach, date(2026, 12, 1), hours_per_week=20)
    agreements.record_paper_signature(placement, w.coach, "I akten")
    placements.start(placement, w.coach)
    return w, m, placement


def test_supervisor_and_coach_log_weeks_and_hours_add_up(ongoing, db):
    w, _m, placement = ongoing
    placements.record_week(placement, w.employer_user, date(2026, 12, 3), 18, 20)
    placements.record_week(placement, w.coach, date(2026, 12, 9), 20, 20)
    assert [x.week_start for x in placements.weeks(placement)] == [
        date(2026, 11, 30),
        date(2026, 12, 7),
    ]
    assert placements.hours_done(placement) == 38


def test_the_same_week_twice_is_refused_unless_based_on_the_entry(ongoing, db):
    w, _m, placement = ongoing
    first = placements.record_week(placement, w.employer_user, date(2026, 12, 1), 18)
    with pytest.raises(WorkflowError, match="redan fyllt i"):
        placements.record_week(placement, w.coach, date(2026, 12, 2), 10)
    changed = placements.record_week(
        placement, w.coach, date(2026, 12, 2), 16, version=first.version_id
    )
    assert changed.hours_done == 16
    with pytest.raises(WorkflowError):  # based on the old version: refused
        placements.record_week(placement, w.employer_user, date(2026, 12, 2), 12, version=1)
    assert placements.hours_done(placement) == 16


def test_bad_weeks_and_strangers_are_refused(ongoing, db):
    w, _m, placement = ongoing
    with pytest.raises(WorkflowError):
        placements.record_week(placement, w.coach, date(2026, 11, 1), 5)  # before the start
    with pytest.raises(WorkflowError):
        placements.record_week(placement, w.coach, date(2027, 3, 1), 5)  # after the end
    with pytest.raises(WorkflowError):
        placements.record_week(placement, w.coach, date(2026, 12, 1), 81)
    stranger = make_user("employer")
    db.commit()
    with pytest.raises(NotAllowed):
        placements.record_week(placement, stranger, date(2026, 12, 1), 5)
    assert db.scalars(select(PlacementWeek)).all() == []


def test_ending_early_records_last_day_and_reason(ongoing, db):
    w, m, placement = ongoing
    placements.record_week(placement, w.coach, date(2026, 12, 1), 12)
    with pytest.raises(WorkflowError, match="varför"):
        placements.end(placement, w.coach, "none", date(2026, 12, 9), early=True)
    placements.end(
        placement, w.coach, "none", date(2026, 12, 9), early=True, reason="participant_health"
    )
    db.expire_all()
    got = db.get(Placement, placement.id)
    assert (got.status, got.end_on, got.end_reason) == (
        "ended_early",
        date(2026, 12, 9),
        "participant_health",
    )
    assert db.get(Match, m.id).status == "ended_early"
    assert placements.hours_done(got) == 12


def test_pages_log_weeks_and_end_early(client, ongoing, db):
    w, m, placement = ongoing
    login(client, w.employer_user.email)
    r = client.post(
        f"/employer/candidates/{m.id}/week",
        data={f"w{m.id}-day": "2026-12-02", f"w{m.id}-hours_done": "15"},
    )
    assert r.status_code == 302
    bad = client.post(
        f"/employer/candidates/{m.id}/week",
        data={f"w{m.id}-day": "nope", f"w{m.id}-hours_done": "-3"},
    )
    assert bad.status_code == 400
    client.post("/logout")
    login(client, w.coach.email)
    again = client.post(
        f"/coach/placements/{m.id}/week", data={"day": "2026-12-03", "hours_done": "9"}
    )
    assert again.status_code == 409  # the supervisor filled in that week already
    page = client.get(f"/coach/placements/{m.id}").get_data(as_text=True)
    assert 'data-hours-done="15"' in page
    no_reason = client.post(
        f"/coach/placements/{m.id}/end",
        data={"outcome": "none", "outcome_on": "2026-12-10", "early": "y"},
    )
    assert no_reason.status_code == 409
    ended = client.post(
        f"/coach/placements/{m.id}/end",
        data={"outcome": "none", "outcome_on": "2026-12-10", "early": "y", "reason": "absence"},
    )
    assert ended.status_code == 302
    db.expire_all()
    assert db.get(Placement, placement.id).end_reason == "absence"
