"""CSV/XLSX writing and the ESF export's age bands: small pure pieces with sharp edges."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from services.reports.esf import age_band
from services.reports.files import to_csv, to_xlsx

TABLES = [
    ("Utfall", ["Utfall", "Kvinnor"], [["=HYPERLINK(1)", 3], ["Arbete", None]]),
    ("Utfall", ["a/b: c?", "x"], [["-1", -1.5]]),
]


def test_csv_neutralises_formulas_and_keeps_numbers():
    rows = list(csv.reader(io.StringIO(to_csv(TABLES, lang="en").lstrip("\ufeff"))))
    assert rows[2] == ["'=HYPERLINK(1)", "3"]
    assert rows[3] == ["Arbete", ""]
    assert rows[4] == []  # tables are separated by an empty row
    assert rows[7] == ["'-1", "-1.5"]  # text that looks like a formula is quoted, numbers are not


def test_swedish_csv_has_semicolons_decimal_commas_a_bom_and_the_about_block():
    text = to_csv(TABLES, lang="sv", about=[("Period", "2026-01-01 – 2026-06-30")])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["Period", "2026-01-01 – 2026-06-30"] and rows[1] == []
    assert rows[9] == ["'-1", "-1,5"]
    assert "Utfall;Kvinnor" in text


def test_pdf_of_a_report():
    from services.reports.pdf import to_pdf

    data = to_pdf("Utfall – vår", TABLES, about=[("Enhet", "Karlskoga–Degerfors")])
    assert data.startswith(b"%PDF-") and len(data) > 800


def test_xlsx_has_one_sheet_per_table_with_unique_valid_names():
    book = load_workbook(io.BytesIO(to_xlsx(TABLES)))
    assert [s.title for s in book.worksheets] == ["Utfall", "Utfall 2"]
    first = list(book.worksheets[0].iter_rows(values_only=True))
    assert first[2] == ("'=HYPERLINK(1)", 3)
    assert list(book.worksheets[1].iter_rows(values_only=True))[2] == ("'-1", -1.5)


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [
        (2002, "15-24"),
        (2001, "25-29"),
        (1997, "25-29"),
        (1996, "30-54"),
        (1972, "30-54"),
        (1971, "55-64"),
        (1962, "55-64"),
        (1961, "65+"),
        (None, "unknown"),
    ],
)
def test_age_bands_at_enrolment(birth_year, band):
    assert age_band(birth_year, date(2026, 3, 1)) == band
