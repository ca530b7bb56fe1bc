"""The individual plan: its three warnings (pure), and the coach's plan page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from models import Activity, CoachChange
from services import plans
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user

TODAY = date(2026, 11, 1)


def act(kind, start, end=None, status="ongoing"):
    return {"kind": kind, "start_on": start, "end_on": end, "status": status}


def kinds(found):
    return [w.kind for w in found]


def test_parallel_activities_without_gaps_give_no_warning():
    activities = [
        act("health", date(2026, 9, 1)),
        act("job_focused", date(2026, 9, 10), status="planned"),
    ]
    assert plans.warnings(activities, [], [], date(2026, 9, 1), TODAY) == []


def test_no_job_focused_activity():
    """Is a finished or cancelled job-focused activity, or one that has ended, not enough?"""
    activities = [
        act("health", date(2026, 9, 1)),
        act("job_focused", date(2026, 9, 1), date(2026, 10, 1), status="done"),
        act("job_focused", date(2026, 10, 1), status="cancelled"),
        act("job_focused", date(2026, 9, 1), date(2026, 10, 31), status="ongoing"),
    ]
    assert kinds(plans.warnings(activities, [], [], date(2026, 9, 1), TODAY)) == ["no_job_focused"]
    placement = {"status": "ongoing", "start_on": date(2026, 10, 15), "end_on": None}
    assert plans.warnings(activities, [placement], [], date(2026, 9, 1), TODAY) == []


def test_gaps_of_at_least_14_days_are_found_past_and_current():
    activities = [
        act("job_focused", date(2026, 9, 1), date(2026, 9, 10), status="done"),
        # 2026-09-11..2026-09-24 is 14 days with nothing: a gap
        act("health", date(2026, 9, 25), date(2026, 10, 5), status="done"),
        # 2026-10-06..2026-10-18 is 13 days: not a gap
        act("skills", date(2026, 10, 19), date(2026, 10, 20), status="done"),
        act("social", date(2026, 10, 1), status="cancelled"),  # cancelled covers nothing
    ]
    found = plans.warnings(activities, [], [], date(2026, 9, 1), TODAY)
    gaps = [w.params for w in found if w.kind == "gap"]
    # 2026-10-21..2026-11-01 is 12 days so far: not (yet) a gap
    assert gaps == [
        {"from": date(2026, 9, 11), "to": date(2026, 9, 24), "days": 14, "current": False}
    ]
    # 12 days now is not yet a gap; on 2026-11-03 it is 14 days
    later = plans.warnings(activities, [], [], date(2026, 9, 1), date(2026, 11, 3))
    assert [w.params for w in later if w.kind == "gap"][-1] == {
        "from": date(2026, 10, 21),
        "to": date(2026, 11, 3),
        "days": 14,
        "current": True,
    }


def test_a_new_participant_without_activities_has_a_gap_from_enrolment():
    found = plans.warnings([], [], [], date(2026, 10, 1), TODAY)
    assert kinds(found) == ["no_job_focused", "gap"]
    assert found[1].params["days"] == 32


def test_coach_change_warns_with_count_and_date():
    changes = [
        {"changed_at": datetime(2026, 5, 1, tzinfo=UTC)},
        {"changed_at": datetime(2026, 8, 3, tzinfo=UTC)},
    ]
    found = plans.warnings(
        [act("job_focused", date(2026, 9, 1))], [], changes, date(2026, 9, 1), TODAY
    )
    assert [(w.kind, w.params) for w in found] == [
        ("coach_changed", {"count": 2, "last_on": date(2026, 8, 3)})
    ]


@pytest.fixture
def setup(db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    return unit, coach, make_participant(unit, coach, enrolled_on=date(2026, 10, 1))


def test_plan_for_reads_the_database(setup, db):
    unit, coach, p = setup
    other = make_user("coach", unit_id=unit.id)
    db.add(
        CoachChange(
            participant_id=p.id,
            from_coach_id=other.id,
            to_coach_id=coach.id,
            changed_by_id=coach.id,
        )
    )
    plans.add_activity(
        p,
        kind="health",
        title="Promenadgrupp",
        start_on=date(2026, 10, 2),
        status="ongoing",
        by=coach,
    )
    plan = plans.plan_for(p.id, TODAY)
    assert [a.title for a in plan.by_kind["health"]] == ["Promenadgrupp"]
    assert kinds(plan.warnings) == ["no_job_focused", "coach_changed"]
    with pytest.raises(plans.PlanError) as err:
        plans.add_activity(
            p,
            kind="job_focused",
            title=" ",
            start_on=date(2026, 10, 5),
            end_on=date(2026, 10, 1),
            by=coach,
        )
    assert err.value.problems == {"title": "required", "end_on": "before_start"}


def test_coach_adds_an_activity_and_changes_its_status(client, setup, db):
    unit, coach, p = setup
    login(client, coach.email)
    page = client.get(f"/coach/participants/{p.id}/plan").get_data(as_text=True)
    assert "Ingen pågående eller planerad jobbinriktad aktivitet" in page
    response = client.post(
        f"/coach/participants/{p.id}/plan",
        data={
            "kind": "job_focused",
            "title": "Arbetsgivarbesök",
            "start_on": "2026-10-02",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    activity = db.scalar(select(Activity).where(Activity.participant_id == p.id))
    assert (activity.kind, activity.title, activity.created_by_id) == (
        "job_focused",
        "Arbetsgivarbesök",
        coach.id,
    )
    assert "Ingen pågående eller planerad jobbinriktad aktivitet" not in client.get(
        f"/coach/participants/{p.id}/plan"
    ).get_data(as_text=True)
    bad = client.post(
        f"/coach/participants/{p.id}/plan",
        data={
            "kind": "job_focused",
            "title": "x",
            "start_on": "2026-10-05",
            "end_on": "2026-10-01",
            "status": "planned",
        },
    )
    assert bad.status_code == 400 and 'id="end_on-error"' in bad.get_data(as_text=True)
    assert (
        client.post(
            f"/coach/participants/{p.id}/plan/{activity.id}/status", data={"status": "done"}
        ).status_code
        == 302
    )
    assert activity.status == "done" and activity.end_on is not None


def test_plan_of_another_units_participant_is_404(client, setup):
    _unit, coach, _p = setup
    stranger = make_participant(make_unit())
    login(client, coach.email)
    assert client.get(f"/coach/participants/{stranger.id}/plan").status_code == 404
