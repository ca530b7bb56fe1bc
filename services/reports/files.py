"""CSV, XLSX and PDF from already-labelled tables: what is downloaded is what the page shows.

A table is (title, headers, rows). Each file starts with a short block about the report ("about":
label and value pairs such as the period, the unit, the filters and when it was made). The CSV
holds the block and then every table one after the other, each under a title row and separated by
an empty row; the XLSX has the block on a first sheet and one sheet per table; the PDF is the
report page on A4 for a steering group.

Swedish Excel reads a CSV with semicolons between fields and decimal commas, and needs a
byte-order mark to read UTF-8: `to_csv(lang="sv")` writes that (the English file uses commas and
decimal points). XLSX cells keep real numbers, so Excel shows them in the reader's own format.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

Table = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
About = Sequence[tuple[str, str]]
BOM = "\ufeff"


# A cell starting with one of these is run as a formula by Excel or LibreOffice: a tab or a
# carriage return before the "=" is skipped by them, so they count too (OWASP, CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading quote; every export that
    people open in a spreadsheet (reports, the ESF export) writes its cells through this."""
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
        return "'" + value
    return "" if value is None else value


_cell = safe_cell


def _csv_cell(value: Any, lang: str) -> Any:
    value = safe_cell(value)
    if isinstance(value, float) and not isinstance(value, bool):
        text = str(value)
        return text.replace(".", ",") if lang == "sv" else text
    return value


def delimiter(lang: str) -> str:
    return ";" if lang == "sv" else ","


def to_csv(tables: Sequence[Table], *, lang: str = "sv", about: About = ()) -> str:
    """The text of the file, starting with the byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter(lang), lineterminator="\r\n")
    for label, value in about:
        writer.writerow([_cell(label), _cell(value)])
    if about:
        writer.writerow([])
    for i, (title, headers, rows) in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([_cell(title)])
        writer.writerow([_cell(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_cell(v, lang) for v in row])
    return BOM + out.getvalue()


def to_xlsx(tables: Sequence[Table], *, about: About = (), about_title: str = "") -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    if about:
        name = _sheet_name(about_title or "Om rapporten")
        used.add(name)
        sheet = book.create_sheet(name)
        for label, value in about:
            sheet.append([_cell(label), _cell(value)])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 60
    for title, headers, rows in tables:
        name = base = _sheet_name(title)
        n = 2
        while name in used:
            name, n = f"{base[:25]} {n}", n + 1
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([_cell(title)])
        sheet.cell(1, 1).font = Font(bold=True)
        sheet.append([_cell(h) for h in headers])
        for col in range(1, len(headers) + 1):
            sheet.cell(2, col).font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Tabell"
