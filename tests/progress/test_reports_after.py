"""Hours done, follow-ups after exit and follow-along support in the reports, by gender, on the
page and in the CSV and XLSX (hand-counted on top of fixture.py's table)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from models import FollowAlongSupport, FollowUp, Placement, PlacementWeek, Session
from services.reports import build
from services.reports.scope import Filters, scope_for
from tests.conftest import login
from tests.progress.fixture import AS_OF, END, START
from tests.progress.fixture import build as build_fixture
from tests.progress.test_report_pages import PERIOD, csv_tables


def g(w, m, o, t=None):
    return {"woman": w, "man": m, "other": o, "total": w + m + o if t is None else t}


@pytest.fixture
def fx(db):
    fx = build_fixture()
    placement = {
        pl.match_id: pl for pl in Session.scalars(select(Placement))
    }  # M1: P1 (woman), M3: P4 (man), M2: P2 (woman)
    weeks = [
        ("M1", date(2026, 3, 2), 20.0),
        ("M1", date(2026, 3, 9), 15.5),
        ("M3", date(2026, 6, 22), 10.0),
        ("M2", date(2026, 11, 2), 30.0),  # after the period
    ]
    for key, monday, hours in weeks:
        Session.add(
            PlacementWeek(
                placement_id=placement[fx.m[key].id].id,
                week_start=monday,
                hours_done=hours,
                recorded_by_id=fx.c1.id,
            )
        )
    follow = [
        ("P1", "90d", "employment"),
        ("P3", "90d", "job_seeking"),
        ("P3", "6m", "studies"),
        ("P6", "90d", "unknown"),
    ]
    for key, step, situation in follow:
        Session.add(
            FollowUp(
                participant_id=fx.p[key].id,
                step=step,
                due_on=date(2026, 6, 1),
                situation=situation,
                recorded_by_id=fx.c1.id,
            )
        )
    support = [
        ("P1", date(2026, 4, 20), None),  # under way in the period, started in it
        ("P4", date(2025, 12, 1), date(2025, 12, 31)),  # ended before the period
        ("P7", date(2026, 11, 15), None),  # starts after the period
        ("P8", date(2026, 5, 1), None),  # unit B
    ]
    for key, start, ended in support:
        Session.add(
            FollowAlongSupport(
                participant_id=fx.p[key].id, kinds=["on_the_job"], start_on=start, ended_on=ended
            )
        )
    Session.flush()
    return fx


def _figures(user):
    return build.build("outcomes", scope_for(user, Filters(start=START, end=END)), AS_OF)["figures"]


def test_hours_follow_ups_and_support_by_gender(fx):
    """Do hours done, the 90-day/6/12-month follow-ups and follow-along support match the hand
    count for unit A, split by gender?"""
    f = _figures(fx.manager_a)
    assert dict(f["hours"]) == {
        "hours_done": {"woman": 35.5, "man": 10.0, "other": 0.0, "total": 45.5},
        "hours_participants": g(1, 1, 0),
    }
    # Exited in the period: P1 (woman, 2026-04-15), P2 (woman, 2026-09-01: nothing due yet),
    # P3 (man, 2026-03-01), P6 (not stated, 2026-05-01).
    ninety = dict(f["follow_ups"]["90d"])
    assert ninety["fu_due"] == g(1, 1, 1)
    assert ninety["fu_recorded"] == g(1, 1, 1)
    assert ninety["fu_missing"] == g(0, 0, 0)
    assert ninety["fu:employment"] == g(1, 0, 0)
    assert ninety["fu:job_seeking"] == g(0, 1, 0)
    assert ninety["fu:unknown"] == g(0, 0, 1)
    six = dict(f["follow_ups"]["6m"])
    assert six["fu_due"] == g(1, 1, 1)  # P1 due 10-15, P3 09-01, P6 11-01 (= as of)
    assert six["fu_recorded"] == g(0, 1, 0)
    assert six["fu_missing"] == g(1, 0, 1)
    assert six["fu:studies"] == g(0, 1, 0)
    assert dict(f["follow_ups"]["12m"])["fu_due"] == g(0, 0, 0)
    assert dict(f["follow_along"]) == {
        "support_during": g(1, 0, 0),
        "support_started": g(1, 0, 0),
    }


def test_unit_b_sees_only_its_own_support(fx):
    f = _figures(fx.manager_b)
    assert dict(f["follow_along"])["support_during"] == g(1, 0, 0)
    assert dict(f["hours"])["hours_done"]["total"] == 0.0


def test_page_csv_and_xlsx_carry_the_new_tables(client, fx):
    login(client, fx.manager_a.email)
    with time_machine.travel(datetime(2026, 11, 1, 12, tzinfo=UTC), tick=False):
        page = client.get(f"/reports/outcomes?{PERIOD}").get_data(as_text=True)
        text = client.get(f"/reports/outcomes.csv?{PERIOD}").get_data(as_text=True)
        book = load_workbook(io.BytesIO(client.get(f"/reports/outcomes.xlsx?{PERIOD}").data))
    for title in (
        "Närvaro på arbetsplatsen",
        "Uppföljning 90 dagar efter avslut, antal",
        "Uppföljning 12 månader efter avslut, antal",
        "Stöd i arbetet efter jobbstart, deltagare",
    ):
        assert title in page
    tables = {t[0][0]: t for t in csv_tables(text)}
    hours = tables["Närvaro på arbetsplatsen"]
    assert hours[2] == ["Timmar gjorda (närvarologgen)", "35,5", "10,0", "0,0", "45,5"]
    ninety = tables["Uppföljning 90 dagar efter avslut, antal"]
    assert ["Arbete utan stöd", "1", "0", "0", "1"] in ninety
    support = tables["Stöd i arbetet efter jobbstart, deltagare"]
    assert support[2] == ["Med stöd i arbetet under perioden", "1", "0", "0", "1"]
    sheets = [ws.title for ws in book.worksheets]
    assert any(name.startswith("Närvaro") for name in sheets)
    sheet = next(ws for ws in book.worksheets if ws.title.startswith("Närvaro"))
    assert [c.value for c in sheet[3]] == ["Timmar gjorda (närvarologgen)", 35.5, 10.0, 0.0, 45.5]


def test_esf_export_has_hours_follow_ups_and_support(app, fx):
    """Does the ESF file carry each person's hours, follow-up situations and support?"""
    import csv

    from services.reports import esf

    out = esf.export(fx.manager_a, fx.unit_a.id, START, END)
    rows = {int(r["participant_id"]): r for r in csv.DictReader(io.StringIO(out.text))}
    p1, p3, p4 = rows[fx.p["P1"].id], rows[fx.p["P3"].id], rows[fx.p["P4"].id]
    assert (p1["hours_done"], p1["follow_up_90d"], p1["follow_along_support"]) == (
        "35.5",
        "employment",
        "yes",
    )
    assert (p3["follow_up_90d"], p3["follow_up_6m"], p3["follow_up_12m"]) == (
        "job_seeking",
        "studies",
        "",
    )
    assert (p4["hours_done"], p4["follow_along_support"]) == ("10.0", "no")
