"""A report page as a PDF on A4 (fpdf2, pure Python): the title, the block about the report and
every table, for a steering group that reads on paper.

fpdf2's built-in Helvetica covers Latin-1 (å, ä, ö, é); the few other characters the labels use
(dashes, ≥) are written as their nearest Latin-1 form, so no font file has to be installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from services.reports.files import About, Table

_PLAIN = str.maketrans({"–": "-", "—": "-", "≥": ">=", "≤": "<=", "’": "'", "”": '"', "“": '"',
                        "…": "...", "\u00a0": " "})  # fmt: skip


def _latin1(value: Any, lang: str = "sv") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = str(value).replace(".", ",") if lang == "sv" else str(value)
    text = str(value).translate(_PLAIN)
    return text.encode("latin-1", "replace").decode("latin-1")


def to_pdf(title: str, tables: Sequence[Table], *, about: About = (), lang: str = "sv") -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 10)
    for label, value in about:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(40, 6, _latin1(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, _latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for table_title, headers, rows in tables:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, _latin1(table_title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 8 if len(headers) > 6 else 9)
        with pdf.table(first_row_as_headings=True, text_align="LEFT") as table:
            row = table.row()
            for h in headers:
                row.cell(_latin1(h))
            for data in rows:
                row = table.row()
                for v in data:
                    row.cell(_latin1(v, lang))
    return bytes(pdf.output())
