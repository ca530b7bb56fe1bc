"""CSV and XLSX from already-labelled tables: what is downloaded is what the page shows.

A table is (title, headers, rows). The CSV holds every table one after the other, each under a
title row and separated by an empty row; the XLSX has one sheet per table. Both read back to the
same numbers (tests parse them).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

Table = tuple[str, Sequence[str], Sequence[Sequence[Any]]]


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


def to_csv(tables: Sequence[Table]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for i, (title, headers, rows) in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([_cell(title)])
        writer.writerow([_cell(h) for h in headers])
        for row in rows:
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(tables: Sequence[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for title, headers, rows in tables:
        name = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Tabell"
        base, n = name, 2
        while name in used:
            name, n = f"{base[:25]} {n}", n + 1
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([_cell(title)])
        sheet.append([_cell(h) for h in headers])
        for row in rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
