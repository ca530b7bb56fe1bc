"""The report pages, their downloads and background builds, and the ESF export, over HTTP."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from jobs.reports import build_report
from models import AuditEvent, JobRun
from services.queue import task_name
from tests.conftest import login
from tests.progress.fixture import build as build_fixture

PERIOD = "start=2026-01-01&end=2026-10-31"


@pytest.fixture
def fx(db):
    return build_fixture()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 11, 1, 12, tzinfo=UTC), tick=False):
        yield


def csv_tables(text: str) -> list[list[list[str]]]:
    """The CSV's tables (title row, header row, data rows), split at the empty rows, after the
    block about the report; Swedish files have semicolons and decimal commas."""
    assert text.startswith("\ufeff")
    body = text.lstrip("\ufeff").split("\r\n\r\n", 1)[1]
    tables, current = [], []
    for row in csv.reader(io.StringIO(body), delimiter=";"):
        if not row:
            tables.append(current)
            current = []
        else:
            current.append(row)
    return [*tables, current]


def _norm(value):
    """A cell as a number when it is one: XLSX keeps 49.0 as the number 49, CSV as text."""
    if value is None or value == "":
        return ""
    try:
        return float(value.replace(",", ".") if isinstance(value, str) else value)
    except (TypeError, ValueError):
        return str(value)


def assert_same(book, tables):
    """Does every XLSX sheet hold the CSV table of the same position, cell for cell?"""
    assert book.worksheets[0].title == "Om rapporten"
    sheets = book.worksheets[1:]
    assert len(sheets) == len(tables)
    for sheet, table in zip(sheets, tables, strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == len(table)
        for got, want in zip(rows, table, strict=True):
            assert [_norm(v) for v in got][: len(want)] == [_norm(v) for v in want]
            assert all(v is None for v in got[len(want) :])


def test_coach_report_page_has_charts_tables_and_gender_split(client, fx):
    login(client, fx.c1.email)
    page = client.get(f"/reports/outcomes?{PERIOD}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    for heading in ("Kvinnor", "Män", "Annat eller inte angivet", "Totalt"):
        assert f'<th scope="col">{heading}</th>' in html


def test_csv_and_xlsx_hold_the_same_numbers_as_the_hand_count(client, fx):
    login(client, fx.manager_a.email)
    text = client.get(f"/reports/outcomes.csv?{PERIOD}").get_data(as_text=True)
    participants = csv_tables(text)[0]
    assert participants[1] == ["Deltagare", "Kvinnor", "Män", "Annat eller inte angivet", "Totalt"]
    assert participants[2:] == [
        ["Inskrivna under perioden", "2", "3", "1", "6"],
        ["Aktiva vid periodens slut", "0", "2", "1", "3"],
        ["Avslutade under perioden", "2", "1", "1", "4"],
    ]
    book = load_workbook(io.BytesIO(client.get(f"/reports/outcomes.xlsx?{PERIOD}").data))
    assert_same(book, csv_tables(text))


@pytest.mark.parametrize("kind", ["timing", "funnel", "equality", "progression"])
def test_every_report_renders_and_downloads(client, fx, kind):
    login(client, fx.admin.email)
    assert client.get(f"/reports/{kind}?{PERIOD}&unit_id={fx.unit_a.id}").status_code == 200
    text = client.get(f"/reports/{kind}.csv?{PERIOD}&unit_id={fx.unit_a.id}").get_data(as_text=True)
    book = load_workbook(
        io.BytesIO(client.get(f"/reports/{kind}.xlsx?{PERIOD}&unit_id={fx.unit_a.id}").data)
    )
    assert_same(book, csv_tables(text))


def test_timing_csv_numbers(client, fx):
    login(client, fx.manager_a.email)
    summary = csv_tables(client.get(f"/reports/timing.csv?{PERIOD}").get_data(as_text=True))[0]
    rows = {r[0]: r[1:] for r in summary[2:]}
    assert rows["Median, dagar"] == ["49,0", "19,0", "", "28,0"]
    assert rows["Andel inom 8 veckor (%)"] == ["50,0", "50,0", "0,0", "40,0"]
    assert rows["Andel inom 10 veckor (%)"] == ["100,0", "50,0", "0,0", "60,0"]


def test_other_unit_never_appears(client, fx):
    login(client, fx.coach_b.email)
    rows = csv_tables(client.get(f"/reports/outcomes.csv?{PERIOD}").get_data(as_text=True))[0]
    assert rows[2] == ["Inskrivna under perioden", "1", "0", "0", "1"]  # P8 only
    client.post("/logout")
    login(client, fx.manager_b.email)
    assert client.get(f"/reports/outcomes?{PERIOD}&unit_id={fx.unit_a.id}").status_code == 200
    rows = csv_tables(
        client.get(f"/reports/outcomes.csv?{PERIOD}&unit_id={fx.unit_a.id}").get_data(as_text=True)
    )[0]
    assert rows[2][-1] == "1"  # the unit filter is ignored for a unit manager: still unit B


@pytest.mark.parametrize("role", ["employer", "participant"])
def test_only_coaches_and_admins_see_reports(client, fx, role):
    from tests.factories import make_user

    user = make_user(role)
    login(client, user.email)
    assert client.get("/reports/outcomes").status_code == 403


def test_bad_period_is_a_400_with_the_message_at_the_field(client, fx):
    login(client, fx.c1.email)
    page = client.get("/reports/outcomes?start=2026-05-01&end=2026-01-01")
    assert page.status_code == 400
    assert 'id="end-error"' in page.get_data(as_text=True)
    assert client.get("/reports/salaries").status_code == 404
    for query in ("start=31/12/2026", "support_level=7", "target_group=pirates", "unit_id=abc"):
        response = client.get(f"/reports/outcomes?{query}")
        assert response.status_code == 400, query
        assert client.get(f"/reports/outcomes.csv?{query}").status_code == 400, query
    assert client.get(f"/reports/outcomes.odt?{PERIOD}").status_code == 404


def test_background_build_shows_progress_then_the_result(client, fx, db):
    login(client, fx.manager_a.email)
    response = client.post("/reports/funnel/job", data={"start": "2026-01-01", "end": "2026-10-31"})
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    run = db.get(JobRun, job_id)
    db.refresh(run)
    assert run.status == "done" and run.requested_by_id == fx.manager_a.id
    assert client.get(f"/api/jobs/{job_id}").get_json()["progress"] == 1.0
    page = client.get(f"/reports/jobs/{job_id}").get_data(as_text=True)
    assert "<svg" in page and "Matchningstratten" in page
    from_job = client.get(f"/reports/jobs/{job_id}.csv").get_data(as_text=True)
    direct = client.get(f"/reports/funnel.csv?{PERIOD}").get_data(as_text=True)
    assert csv_tables(from_job) == csv_tables(direct)
    client.post("/logout")
    login(client, fx.c1.email)
    assert client.get(f"/reports/jobs/{job_id}").status_code == 404


def test_job_page_in_progress_polls_with_a_static_script(client, fx, db):
    login(client, fx.manager_a.email)
    db.add(
        JobRun(
            id="x" * 32,
            name=task_name(build_report),
            title="t",
            requested_by_id=fx.manager_a.id,
            progress=0.4,
            status="running",
        )
    )
    db.flush()
    html = client.get(f"/reports/jobs/{'x' * 32}").get_data(as_text=True)
    assert 'value="40"' in html and "job-progress.js" in html and "<script>" not in html


def test_esf_export_without_and_with_personnummer_is_audited(client, fx, db):
    login(client, fx.manager_a.email)
    form = {"unit_id": str(fx.unit_a.id), "start": "2026-01-01", "end": "2026-10-31"}
    text = client.post("/reports/esf", data=form).get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7 and "personnummer" not in rows[0]
    assert {r["gender"] for r in rows} == {"woman", "man", "other", "not_stated"}
    p1 = next(r for r in rows if r["participant_id"] == str(fx.p["P1"].id))
    assert (
        p1["start_date"],
        p1["exit_date"],
        p1["outcome_at_exit"],
        p1["outcome_6m"],
        p1["age_band"],
    ) == (
        "2026-02-01",
        "2026-04-15",
        "work",
        "work",
        "30-54",
    )
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "report.esf_export")).all()
    assert [(e.actor_id, e.details["rows"], e.details["personnummer"]) for e in events] == [
        (fx.manager_a.id, 7, False)
    ]

    fx.unit_a.export_personnummer = True
    db.flush()
    text = client.post("/reports/esf", data=form).get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert (
        next(r for r in rows if r["participant_id"] == str(fx.p["P1"].id))["personnummer"]
        == "19900101-0017"
    )
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "report.esf_export").order_by(AuditEvent.id)
    ).all()
    assert [e.details["personnummer"] for e in events] == [False, True]


def test_esf_export_is_for_admins_of_the_unit(client, fx):
    login(client, fx.c1.email)
    assert client.get("/reports/esf").status_code == 403
    client.post("/logout")
    login(client, fx.manager_b.email)
    response = client.post(
        "/reports/esf",
        data={"unit_id": str(fx.unit_a.id), "start": "2026-01-01", "end": "2026-10-31"},
    )
    assert response.status_code == 400  # unit A is not among the manager's choices


def test_personnummer_column_is_turned_on_with_a_reason_and_audited(client, fx, db):
    login(client, fx.manager_a.email)
    url = f"/reports/esf/units/{fx.unit_a.id}/personnummer"
    client.post(url, data={"enabled": "1", "reason": " "})
    assert fx.unit_a.export_personnummer is False
    assert (
        client.post(
            url, data={"enabled": "1", "reason": "Kommunens uppföljning kräver det."}
        ).status_code
        == 302
    )
    assert fx.unit_a.export_personnummer is True
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "unit.export_personnummer"))
    assert event.details == {"enabled": True, "reason": "Kommunens uppföljning kräver det."}
    client.post("/logout")
    login(client, fx.manager_b.email)
    assert client.post(url, data={"enabled": "0"}).status_code == 404
    assert fx.unit_a.export_personnummer is True


def test_a_large_scope_is_offered_as_a_background_job(client, fx, monkeypatch):
    from services.reports import build

    monkeypatch.setattr(build, "LARGE_SCOPE", 3)
    login(client, fx.manager_a.email)
    html = client.get(f"/reports/outcomes?{PERIOD}").get_data(as_text=True)
    assert "Urvalet är stort" in html and "<svg" not in html
    assert "Bygg rapporten i bakgrunden" in html
