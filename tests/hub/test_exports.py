"""Exports fit for Swedish offices and the ESF: semicolons and decimal commas in Swedish, a
block saying period, unit, filters and when, labels not codes, a unit-wide view, a PDF."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from openpyxl import load_workbook

from services.reports.fields import field_name
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


def _rows(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_swedish_csv_starts_with_what_the_file_is(client, fx):
    login(client, fx.manager_a.email)
    text = client.get(f"/reports/timing.csv?{PERIOD}&target_group=social_assistance").get_data(
        as_text=True
    )
    rows = _rows(text)
    about = dict(r for r in rows[: rows.index([])])
    assert about["Period"] == "2026-01-01 – 2026-10-31"
    assert about["Enhet"] == "Enhet A"
    assert about["Urval"].startswith("Målgrupp: ") and "social_assistance" not in about["Urval"]
    assert about["Gjord"] == "2026-11-01 13:00 (svensk tid)"  # 12:00 UTC in November


def test_english_csv_uses_commas_and_points(app, client, fx):
    login(client, fx.manager_a.email)
    client.post("/language", data={"lang": "en", "next": "/reports/"})
    with app.app_context():
        text = client.get(f"/reports/timing.csv?{PERIOD}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert ["Period", "2026-01-01 – 2026-10-31"] in rows and ["Unit", "Enhet A"] in rows
    assert any("49.0" in r for r in rows)


def test_xlsx_has_the_block_on_its_first_sheet(client, fx):
    login(client, fx.manager_a.email)
    book = load_workbook(io.BytesIO(client.get(f"/reports/outcomes.xlsx?{PERIOD}").data))
    first = dict(book.worksheets[0].iter_rows(values_only=True))
    assert first["Enhet"] == "Enhet A" and first["Rapport"]


def test_coach_sees_own_caseload_or_the_whole_unit(client, fx):
    login(client, fx.c1.email)

    def enrolled(query):
        rows = _rows(client.get(f"/reports/outcomes.csv?{PERIOD}{query}").get_data(as_text=True))
        return next(r for r in rows if r and r[0] == "Inskrivna under perioden")[-1]

    assert enrolled("") == "5"  # c1's P1–P5
    assert enrolled("&scope=unit") == "6"  # with c2's P7 (P6 enrolled 2025)
    about = dict(
        r for r in _rows(client.get(f"/reports/outcomes.csv?{PERIOD}").get_data(as_text=True))[:6]
    )
    assert "ärendelista för" in about["Enhet"]


def test_pdf_for_the_steering_group(client, fx):
    login(client, fx.manager_a.email)
    r = client.get(f"/reports/outcomes.pdf?{PERIOD}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF-")
    html = client.get(f"/reports/outcomes?{PERIOD}").get_data(as_text=True)
    assert "/reports/outcomes.pdf?" in html


@pytest.mark.parametrize(
    ("code", "sv"),
    [
        ("43", "Lager och logistik"),
        ("76", "Bygg och tillverkning (SSYK 76)"),
        ("unknown", "Okänt yrkesområde"),
    ],
)
def test_fields_are_named_never_bare_codes(code, sv):
    assert field_name(code, "sv") == sv
