"""Do the reports agree with a hand count? (fixture.py has the table the counts come from.)"""

from __future__ import annotations

from datetime import date

import pytest

from models import User
from services.reports import build, fields
from services.reports.scope import Filters, ScopeError, scope_for
from tests.progress.fixture import AS_OF, END, START
from tests.progress.fixture import build as build_fixture


def g(w, m, o, t=None):
    """A gender split: women, men, other/not stated, total (the sum unless given)."""
    return {"woman": w, "man": m, "other": o, "total": w + m + o if t is None else t}


def report(user, kind, **filters):
    scope = scope_for(user, Filters(start=START, end=END, **filters))
    return build.build(kind, scope, AS_OF)["figures"]


@pytest.fixture
def fx(db):
    return build_fixture()


def test_participant_counts_and_outcomes_for_the_unit_manager(fx):
    """Does every figure, split by gender, match the hand count for unit A?"""
    out = report(fx.manager_a, "outcomes")
    assert dict(out["participants"]) == {
        "enrolled": g(2, 3, 1),  # P1 P2 | P3 P4 P7 | P5 (P6 enrolled before the period)
        "active": g(0, 2, 1),  # P4 P7 | P5
        "exited": g(2, 1, 1),  # P1 P2 | P3 | P6
    }
    assert dict(out["at_exit"]) == {
        "work": g(1, 0, 0),
        "subsidised_work": g(0, 0, 0),
        "studies": g(1, 0, 0),
        "closer": g(0, 0, 0),
        "rehabilitation": g(0, 0, 1),
        "none": g(0, 1, 0),
        "not_recorded": g(0, 0, 0),
        "total": g(2, 1, 1),
    }
    assert dict(out["six_months"]) == {
        "work": g(1, 0, 0),  # P1
        "subsidised_work": g(0, 0, 1),  # P6
        "studies": g(0, 0, 0),
        "closer": g(0, 0, 0),
        "rehabilitation": g(0, 0, 0),
        "none": g(0, 0, 0),
        "not_recorded": g(0, 1, 0),  # P3: exited 2026-03-01, due 2026-08-31
        "not_due": g(1, 0, 0),  # P2: exited 2026-09-01
        "total": g(2, 1, 1),
    }


def test_a_coach_sees_only_their_own_caseload(fx):
    """Does coach c1 see P1–P5 only, and never P6, P7 (colleague) or P8 (other unit)?"""
    out = report(fx.c1, "outcomes")
    assert dict(out["participants"]) == {
        "enrolled": g(2, 2, 1),
        "active": g(0, 1, 1),
        "exited": g(2, 1, 0),
    }
    other = report(fx.coach_b, "outcomes")
    assert dict(other["participants"])["active"] == g(1, 0, 0)  # P8 alone
    funnel = report(fx.c1, "funnel")
    assert funnel["stages"][0]["counts"] == g(3, 5, 1)  # M7 (P7) and M11 (P8) left out


def test_filters_narrow_the_population(fx):
    out = report(fx.manager_a, "outcomes", support_level=3)
    assert dict(out["participants"])["enrolled"] == g(0, 0, 0)
    out = report(fx.admin, "outcomes", unit_id=fx.unit_b.id)
    assert dict(out["participants"])["active"] == g(1, 0, 0)


def test_a_manager_cannot_ask_for_another_unit(fx):
    with pytest.raises(ScopeError):
        scope_for(fx.manager_b, Filters(unit_id=fx.unit_a.id))
    with pytest.raises(ScopeError):
        scope_for(User(role="employer"), Filters())


def test_days_to_first_workplace(fx):
    """P1 28 days, P2 70, P4 19 (its later placement ignored), P5's starts after the report date."""
    out = report(fx.manager_a, "timing")
    assert out["cohort"] == g(2, 3, 1)
    assert out["placed"] == g(2, 1, 0)
    histogram = dict(out["histogram"])
    assert histogram["3-4"] == g(1, 1, 0)
    assert histogram["9-10"] == g(1, 0, 0)
    assert histogram["not_placed"] == g(0, 2, 1)
    assert sum(v["total"] for v in histogram.values()) == 6
    assert out["median_days"] == {"woman": 49.0, "man": 19.0, "other": None, "total": 28.0}
    eight, ten = out["goals"]
    # P7 (enrolled 31 days before) is not judged yet; P5 (78 days) is.
    assert eight["judged"] == g(2, 2, 1)
    assert eight["reached"] == g(1, 1, 0)
    assert eight["share"] == {"woman": 50.0, "man": 50.0, "other": 0.0, "total": 40.0}
    assert ten["reached"] == g(2, 1, 0)
    assert ten["share"] == {"woman": 100.0, "man": 50.0, "other": 0.0, "total": 60.0}


def test_matching_funnel(fx):
    out = report(fx.manager_a, "funnel")
    stages = {s["stage"]: s for s in out["stages"]}
    assert stages["suggested"]["counts"] == g(3, 6, 1)
    assert stages["approved"]["counts"] == g(3, 3, 1)
    assert stages["interested"]["counts"] == g(3, 2, 1)  # M8 withdrawn after the participant's yes
    assert stages["accepted"]["counts"] == g(2, 2, 1)
    assert stages["started"]["counts"] == g(2, 2, 0)  # M6 starts after the report date
    assert stages["completed"]["counts"] == g(1, 1, 0)
    assert stages["suggested"]["conversion"] is None
    assert stages["approved"]["conversion"] == {
        "woman": 100.0,
        "man": 50.0,
        "other": 100.0,
        "total": 70.0,
    }
    assert stages["interested"]["conversion"]["total"] == 85.7
    assert stages["completed"]["conversion"] == {
        "woman": 50.0,
        "man": 50.0,
        "other": None,
        "total": 50.0,
    }
    assert out["reasons"] == [
        ["declined", g(0, 1, 0)],
        ["rejected:distance", g(0, 1, 0)],
        ["rejected:other", g(0, 1, 0)],
        ["withdrawn", g(1, 0, 0)],
    ]


def test_funnel_reasons_include_placements_ended_early(fx):
    fx.m["M3"].status = "ended_early"
    fx.m["M7"].status = "released"
    out = report(fx.manager_a, "funnel")
    reasons = dict((k, v["total"]) for k, v in out["reasons"])
    assert reasons["ended_early"] == 1 and reasons["released"] == 1
    assert out["stages"][4]["counts"]["total"] == 4  # an early end still started


def test_fields_come_from_the_vocabulary():
    from matcher.vocab import Vocabulary

    vocab = Vocabulary.load_default()
    assert fields.field_of(["Undersköterska"], vocab) == "53"
    assert fields.field_of(["", "Målare"], vocab) == "71"
    assert fields.field_of(["qwzx"], vocab) == fields.UNKNOWN


def test_equality_monitor_rates(fx):
    out = report(fx.manager_a, "equality")
    rows = {r["field"]: r for r in out["rows"]}
    assert sorted(rows) == ["43", "53", "71"]
    care = rows["53"]
    assert care["woman"] | {} == {
        "participants": 1,
        "population": 2,
        "suggested": 1,
        "approved": 1,
        "placed": 1,
        "suggestion": 50.0,
        "approval": 100.0,
        "placement": 100.0,
    }
    assert (care["man"]["suggestion"], care["man"]["approval"], care["man"]["placement"]) == (
        100.0,
        0.0,
        None,
    )
    assert (care["other"]["suggestion"], care["other"]["approval"], care["other"]["placement"]) == (
        50.0,
        100.0,
        0.0,
    )
    assert (care["total"]["suggestion"], care["total"]["approval"], care["total"]["placement"]) == (
        71.4,
        40.0,
        50.0,
    )
    paint = rows["71"]
    assert (
        paint["woman"]["suggestion"],
        paint["man"]["suggestion"],
        paint["total"]["suggestion"],
    ) == (100.0, 66.7, 57.1)
    assert (paint["woman"]["placement"], paint["man"]["placement"]) == (50.0, 50.0)
    assert rows["43"]["woman"]["approval"] is None and rows["43"]["man"]["placement"] == 100.0
    # Too few cases under the default (5 per group): no flags.
    assert out["flags"] == []
    # Women placed: M1 care (traditional), M2 painting (under-represented); men: M3, M10 traditional.
    nt = out["non_traditional"]
    assert nt["placed"] == g(2, 2, 0)
    assert nt["under_represented"] == g(1, 0, 0)
    assert nt["share"] == {"woman": 50.0, "man": 0.0, "other": None, "total": 25.0}


def test_equality_flags_follow_threshold_and_minimum_cases(fx):
    from services.reports import equality
    from services.reports.data import load

    scope = scope_for(fx.manager_a, Filters(start=START, end=END))
    data = load(scope, AS_OF)
    flags = equality.monitor(data.participants, data.matches, AS_OF, min_cases=1)["flags"]
    assert [(f["field"], f["rate"], f["difference_pp"]) for f in flags] == [
        ("43", "suggestion", -33.3),
        ("53", "suggestion", -50.0),
        ("53", "approval", 100.0),
        ("71", "suggestion", 33.3),
    ]
    flags = equality.monitor(data.participants, data.matches, AS_OF, min_cases=2)["flags"]
    assert [(f["field"], f["rate"]) for f in flags] == [
        ("43", "suggestion"),
        ("53", "suggestion"),
        ("71", "suggestion"),
    ]
    flags = equality.monitor(data.participants, data.matches, AS_OF, min_cases=1, threshold_pp=60)[
        "flags"
    ]
    assert [(f["field"], f["rate"]) for f in flags] == [("53", "approval")]


def test_unknown_report_is_refused(fx):
    scope = scope_for(fx.manager_a, Filters())
    with pytest.raises(ValueError, match="unknown report"):
        build.build("salaries", scope, AS_OF)


def test_progression_share_moved_up(fx):
    """P1 rose on her own answers and fell on the coach's; P4 stayed; P5 once; P8 is unit B."""
    rows = report(fx.manager_a, "progression")
    assert [(r["key"], r["respondent"]) for r in rows] == [
        ("job_search", "participant"),
        ("job_search", "coach"),
    ]
    mine, coach = rows
    assert mine["measured"] == g(1, 1, 0) and mine["up"] == g(1, 0, 0)
    assert mine["share"] == {"woman": 100.0, "man": 0.0, "other": None, "total": 50.0}
    assert coach["measured"] == g(1, 0, 0) and coach["up"] == g(0, 0, 0)
    # From September on, nobody has two measurements left to compare
    scope = scope_for(fx.manager_a, Filters(start=date(2026, 9, 1), end=END))
    assert build.build("progression", scope, AS_OF)["figures"] == []
