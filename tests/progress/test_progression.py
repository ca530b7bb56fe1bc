"""Progression: answering, who is due (and the reminder job), who moved up, the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from jobs.reminders import KIND, flag_due_assessments
from models import Assessment, Notification
from services import progression
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user
from tests.progress.helpers import default_indicators

TODAY = date(2026, 11, 1)


@pytest.fixture
def setup(db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    return unit, coach, default_indicators()


def answer(participant, indicator, respondent, on, value):
    from models import Session

    Session.add(
        Assessment(
            participant_id=participant.id,
            indicator_id=indicator.id,
            respondent=respondent,
            assessed_on=on,
            value=value,
        )
    )
    Session.flush()


def test_reminder_job_flags_exactly_who_is_due_once(app, setup, db):
    """Due: never measured (baseline) or 91 days after the latest measurement; exited never."""
    unit, coach, ind = setup
    never = make_participant(unit, coach, enrolled_on=date(2026, 10, 20))
    old = make_participant(unit, coach, enrolled_on=date(2026, 1, 1))
    answer(old, ind["health"], "coach", date(2026, 8, 2), 3)  # + 91 days = 2026-11-01: due today
    recent = make_participant(unit, coach, enrolled_on=date(2026, 1, 1))
    answer(recent, ind["health"], "participant", date(2026, 8, 3), 3)  # due tomorrow
    make_participant(unit, coach, enrolled_on=date(2026, 1, 1), exited_on=date(2026, 10, 1))
    make_participant(unit, coach, enrolled_on=date(2026, 11, 2))  # starts tomorrow
    with time_machine.travel(datetime(2026, 11, 1, 6, tzinfo=UTC), tick=False):
        result = flag_due_assessments()
    assert sorted(result["due"]) == sorted([never.id, old.id])
    notes = db.scalars(select(Notification).where(Notification.kind == KIND)).all()
    assert sorted(
        (n.user_id, n.params["participant_id"], n.params["due_on"]) for n in notes
    ) == sorted([(coach.id, never.id, "2026-10-20"), (coach.id, old.id, "2026-11-01")])
    assert {n.link for n in notes} == {
        f"/coach/participants/{never.id}/progression",
        f"/coach/participants/{old.id}/progression",
    }
    with time_machine.travel(datetime(2026, 11, 1, 18, tzinfo=UTC), tick=False):
        again = flag_due_assessments()
    assert again["notified"] == 0
    assert len(db.scalars(select(Notification).where(Notification.kind == KIND)).all()) == 2
    with time_machine.travel(datetime(2026, 11, 2, 6, tzinfo=UTC), tick=False):
        assert flag_due_assessments()["notified"] == 2  # `recent`, and the one enrolled today


def test_reminder_links_to_the_page_without_a_server_name(app, setup, db):
    """Does a cron run (no request, no SERVER_NAME) still link the coach to the page?"""
    unit, coach, _ind = setup
    p = make_participant(unit, coach, enrolled_on=date(2026, 10, 20))
    app.config["SERVER_NAME"] = None
    with time_machine.travel(datetime(2026, 11, 1, 6, tzinfo=UTC), tick=False):
        assert flag_due_assessments()["notified"] == 1
    note = db.scalar(select(Notification).where(Notification.kind == KIND))
    assert note.link == f"/coach/participants/{p.id}/progression"


def test_a_reminder_stored_before_dedupe_keys_is_not_repeated(app, setup, db):
    """Is a reminder written by the old job (no `key` in its params) recognised as sent?"""
    unit, coach, _ind = setup
    p = make_participant(unit, coach, enrolled_on=date(2026, 10, 20))
    db.add(
        Notification(
            user_id=coach.id, kind=KIND, params={"participant_id": p.id, "due_on": "2026-10-20"}
        )
    )
    db.flush()
    with time_machine.travel(datetime(2026, 11, 1, 6, tzinfo=UTC), tick=False):
        assert flag_due_assessments()["notified"] == 0


def test_record_checks_scale_and_who_answers(setup, db):
    unit, coach, ind = setup
    p = make_participant(unit, coach)
    with pytest.raises(progression.AssessmentError) as err:
        progression.record(p, "participant", {ind["health"].id: 9}, by=coach, on=TODAY)
    assert err.value.problems == {str(ind["health"].id): "out_of_scale"}
    with pytest.raises(progression.AssessmentError) as err:
        progression.record(p, "participant", {ind["coach_belief"].id: 3}, by=coach, on=TODAY)
    assert err.value.problems == {str(ind["coach_belief"].id): "unknown_indicator"}
    with pytest.raises(progression.AssessmentError):
        progression.record(p, "coach", {ind["health"].id: None}, by=coach, on=TODAY)
    progression.record(
        p, "coach", {ind["health"].id: 2, ind["coach_belief"].id: 4}, by=coach, on=TODAY
    )
    progression.record(
        p, "coach", {ind["health"].id: 3}, by=coach, on=TODAY
    )  # a same-day correction
    rows = db.scalars(
        select(Assessment)
        .where(Assessment.participant_id == p.id)
        .order_by(Assessment.indicator_id)
    ).all()
    assert [(r.indicator_id, r.value) for r in rows] == [
        (ind["health"].id, 3),
        (ind["coach_belief"].id, 4),
    ]


def test_moved_up_compares_first_and_latest_by_gender():
    d1, d2, d3 = date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)
    rows = [
        # woman 1: 2 -> 1 -> 4 (up); woman 2: 3 -> 3 (same); man: 4 -> 2 (down); other: once only
        *[
            dict(
                participant_id=1,
                gender="woman",
                key="health",
                respondent="participant",
                assessed_on=d,
                value=v,
            )
            for d, v in ((d2, 1), (d1, 2), (d3, 4))
        ],
        *[
            dict(
                participant_id=2,
                gender="woman",
                key="health",
                respondent="participant",
                assessed_on=d,
                value=3,
            )
            for d in (d1, d2)
        ],
        *[
            dict(
                participant_id=3,
                gender="man",
                key="health",
                respondent="participant",
                assessed_on=d,
                value=v,
            )
            for d, v in ((d1, 4), (d2, 2))
        ],
        dict(
            participant_id=4,
            gender="other",
            key="health",
            respondent="participant",
            assessed_on=d1,
            value=1,
        ),
        dict(
            participant_id=3,
            gender="man",
            key="health",
            respondent="coach",
            assessed_on=d1,
            value=1,
        ),
        dict(
            participant_id=3,
            gender="man",
            key="health",
            respondent="coach",
            assessed_on=d3,
            value=5,
        ),
    ]
    out = progression.moved_up(rows)
    mine = out[("health", "participant")]
    assert mine["measured"] == {"woman": 2, "man": 1, "other": 0, "total": 3}
    assert mine["up"] == {"woman": 1, "man": 0, "other": 0, "total": 1}
    assert mine["share"] == {"woman": 50.0, "man": 0.0, "other": None, "total": 33.3}
    assert out[("health", "coach")]["share"]["man"] == 100.0


def test_coach_sees_both_answers_over_time_and_records_own(client, setup, db):
    unit, coach, ind = setup
    p = make_participant(unit, coach)
    answer(p, ind["job_search"], "participant", date(2026, 5, 1), 2)
    answer(p, ind["job_search"], "coach", date(2026, 5, 1), 3)
    answer(p, ind["job_search"], "participant", date(2026, 8, 1), 4)
    login(client, coach.email)
    page = client.get(f"/coach/participants/{p.id}/progression")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1  # only job_search has answers
    assert "2026-05-01" in html and "2026-08-01" in html
    # the coach form has coach and both indicators, not the participant-only one
    assert (
        f'name="i{ind["coach_belief"].id}"' in html
        and f'name="i{ind["self_belief"].id}"' not in html
    )
    bad = client.post(f"/coach/participants/{p.id}/progression", data={f"i{ind['health'].id}": "7"})
    assert bad.status_code == 400 and f'id="i{ind["health"].id}-error"' in bad.get_data(
        as_text=True
    )
    ok = client.post(
        f"/coach/participants/{p.id}/progression", data={f"i{ind['coach_belief'].id}": "4"}
    )
    assert ok.status_code == 302
    assert (
        db.scalar(
            select(Assessment.value).where(
                Assessment.participant_id == p.id,
                Assessment.respondent == "coach",
                Assessment.indicator_id == ind["coach_belief"].id,
            )
        )
        == 4
    )


def test_other_units_participants_are_404(client, setup):
    unit, coach, _ind = setup
    stranger = make_participant(make_unit())
    login(client, coach.email)
    assert client.get(f"/coach/participants/{stranger.id}/progression").status_code == 404


def test_participant_answers_own_self_assessment(client, setup, db):
    unit, coach, ind = setup
    user = make_user("participant", unit_id=unit.id)
    p = make_participant(unit, coach, user_id=user.id)
    login(client, user.email)
    page = client.get("/me/assessment").get_data(as_text=True)
    assert (
        f'name="i{ind["self_belief"].id}"' in page
        and f'name="i{ind["coach_belief"].id}"' not in page
    )
    assert "Inte alls" in page  # the anchor text beside the number
    empty = client.post("/me/assessment", data={})
    assert empty.status_code == 400 and "Svara på minst en fråga." in empty.get_data(as_text=True)
    assert client.post("/me/assessment", data={f"i{ind['self_belief'].id}": "5"}).status_code == 303
    assert (
        db.scalar(
            select(Assessment.value).where(
                Assessment.participant_id == p.id, Assessment.respondent == "participant"
            )
        )
        == 5
    )
    page = client.get("/me/assessment").get_data(as_text=True)
    assert "svarade du 5" in page and "<svg" not in page  # one answer: nothing to draw yet
    answer(p, ind["self_belief"], "participant", date(2026, 1, 5), 2)
    page = client.get("/me/assessment").get_data(as_text=True)
    assert page.count("<svg") == 1 and "2026-01-05" in page


def test_unit_progression_page(client, setup):
    unit, coach, ind = setup
    p = make_participant(unit, coach, gender="woman")
    answer(p, ind["health"], "participant", date(2026, 1, 1), 2)
    answer(p, ind["health"], "participant", date(2026, 4, 1), 4)
    login(client, coach.email)
    html = client.get("/coach/progression").get_data(as_text=True)
    assert "1 / 1 (100.0 %)" in html and "<svg" in html


def test_reminder_command(app, setup, db):
    unit, coach, _ind = setup
    make_participant(unit, coach, enrolled_on=date(2026, 10, 20))
    with time_machine.travel(datetime(2026, 11, 1, 6, tzinfo=UTC), tick=False):
        result = app.test_cli_runner().invoke(args=["assessment-reminders"])
    assert result.exit_code == 0, result.output
    assert "coaches notified: 1" in result.output
    from services.notifications import render

    note = db.scalar(select(Notification).where(Notification.kind == KIND))
    with app.test_request_context("/"):
        assert render(note).startswith("Dags att mäta progression för deltagare nr ")
