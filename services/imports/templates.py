"""The downloadable column templates (CSV and XLSX), in Swedish or English headings.

Built from the same column table the reader uses, so a filled-in template always reads back.
The CSV has the headings only (`;`, UTF-8 with BOM, as Excel writes it in Sweden); the XLSX has
them on its first sheet and a second sheet that explains each column with an example.
"""

from __future__ import annotations

import io

from services.imports.columns import COLUMNS, Column

EXPLAIN = {
    "sv": {
        "text": "text",
        "int": "heltal",
        "float": "tal",
        "bool": "ja eller nej",
        "date": "datum ÅÅÅÅ-MM-DD",
        "choice": "ett av orden",
        "list": "ord åtskilda med kommatecken",
        "personnummer": "ÅÅÅÅMMDD-NNNN (kontrollsiffran kontrolleras)",
        "org_number": "NNNNNN-NNNN (kontrollsiffran kontrolleras)",
        "email": "e-postadress",
        "required": "måste fyllas i",
        "optional": "frivillig",
    },
    "en": {
        "text": "text",
        "int": "whole number",
        "float": "number",
        "bool": "yes or no",
        "date": "date YYYY-MM-DD",
        "choice": "one of the words",
        "list": "words separated by commas",
        "personnummer": "YYYYMMDD-NNNN (check digit checked)",
        "org_number": "NNNNNN-NNNN (check digit checked)",
        "email": "e-mail address",
        "required": "required",
        "optional": "optional",
    },
}


def headings(kind: str, lang: str) -> list[str]:
    return [c.en if lang == "en" else c.sv for c in COLUMNS[kind]]


def csv_template(kind: str, lang: str) -> bytes:
    return ("\ufeff" + ";".join(headings(kind, lang)) + "\r\n").encode("utf-8")


def _allowed(col: Column, lang: str) -> str:
    if col.choices:
        return ", ".join(
            words[0] if lang == "sv" and words else code for code, words in col.choices
        )
    if col.vocabulary:
        return ", ".join(sorted(col.vocabulary))
    return ""


def xlsx_template(kind: str, lang: str) -> bytes:
    from openpyxl import Workbook

    words = EXPLAIN[lang]
    book = Workbook()
    sheet = book.active
    sheet.title = "Import"
    sheet.append(headings(kind, lang))
    about = book.create_sheet("Kolumner" if lang == "sv" else "Columns")
    about.append(
        ["Kolumn", "Typ", "Krav", "Tillåtna värden", "Exempel"]
        if lang == "sv"
        else ["Column", "Type", "Required", "Allowed values", "Example"]
    )
    for col in COLUMNS[kind]:
        about.append(
            [
                col.en if lang == "en" else col.sv,
                words[col.type],
                words["required" if col.required else "optional"],
                _allowed(col, lang),
                col.example,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
