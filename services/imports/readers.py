"""Reading an import file into rows of raw cells, each cell named by the column it came from.

CSV (`;` or `,`, UTF-8 with or without BOM), XLSX (the first sheet), the JSON Lines of the file
contract (`docs/matching-files.md`) and JobTech job ads (a JSON list, `{"hits": [...]}` or one ad
per line). Nothing is checked here beyond the file's shape; a file that cannot be read at all
raises `Unreadable` with a message for the person who uploaded it.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.imports.columns import COLUMNS, by_heading
from services.validation import N_


class Unreadable(ValueError):
    """The file as a whole cannot be read; `message` is a msgid, `line` where it broke."""

    def __init__(self, message: str, line: int | None = None, **params: str) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.line = line
        self.params = params


@dataclass
class Row:
    line: int
    # key -> (the column's name in the file, the raw value)
    cells: dict[str, tuple[str, Any]] = field(default_factory=dict)


def detect_format(filename: str, content: bytes) -> str:
    """The format from the file name, and for JSON from the first object (a job ad has a
    `headline`)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    if name.endswith((".json", ".jsonl", ".ndjson")):
        head = content.lstrip()[:1]
        if head in (b"[", b"{") and (
            b'"headline"' in content[:20000] or b'"hits"' in content[:200]
        ):
            return "jobtech"
        return "jsonl"
    raise Unreadable(
        N_("Okänd filtyp. Använd CSV, XLSX, JSON Lines eller JobTech-annonser (JSON).")
    )


def read(kind: str, fmt: str, content: bytes) -> list[Row]:
    if fmt == "csv":
        return _table(kind, _csv_rows(content))
    if fmt == "xlsx":
        return _table(kind, _xlsx_rows(content))
    if fmt == "jsonl":
        return [_contract_row(kind, line, obj) for line, obj in _json_lines(content)]
    if fmt == "jobtech":
        if kind != "offers":
            raise Unreadable(N_("Platsannonser kan bara importeras som platser."))
        return [_jobtech_row(line, ad) for line, ad in _jobtech_ads(content)]
    raise Unreadable(
        N_("Okänd filtyp. Använd CSV, XLSX, JSON Lines eller JobTech-annonser (JSON).")
    )


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(
            N_("Filen är inte sparad som UTF-8. Spara den som CSV UTF-8 och försök igen.")
        ) from exc


# --- tables (CSV, XLSX) ------------------------------------------------------------------------


def _csv_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    text = _text(content)
    if "\x00" in text:
        raise Unreadable(N_("Filen innehåller tecken som inte hör hemma i en textfil."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for values in reader:
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise Unreadable(N_("Raden går inte att läsa som CSV."), reader.line_num) from exc
    return rows


def _xlsx_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise Unreadable(N_("Filen går inte att öppna som en Excel-fil (XLSX).")) from exc
    try:
        sheet = book.worksheets[0]
        return [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _table(kind: str, rows: list[tuple[int, list[Any]]]) -> list[Row]:
    rows = [(n, v) for n, v in rows if any(_blank(x) is False for x in v)]
    if not rows:
        raise Unreadable(N_("Filen är tom."))
    header_line, header = rows[0]
    known = by_heading(kind)
    columns: list[tuple[int, str, str]] = []  # position, key, heading as written
    seen: set[str] = set()
    for i, heading in enumerate(header):
        if _blank(heading):
            continue
        col = known.get(_key(heading))
        if col is None:
            continue  # unknown columns are ignored, as in the file contract
        if col.key in seen:
            raise Unreadable(
                N_("Samma kolumn finns två gånger: %(column)s."), header_line, column=str(heading)
            )
        seen.add(col.key)
        columns.append((i, col.key, str(heading).strip()))
    missing = [c.sv for c in COLUMNS[kind] if c.required and c.key not in seen]
    if missing:
        raise Unreadable(
            N_("Kolumner saknas: %(columns)s. Använd mallen från importsidan."),
            header_line,
            columns=", ".join(missing),
        )
    out = []
    for line, values in rows[1:]:
        row = Row(line)
        for i, key, heading in columns:
            row.cells[key] = (heading, values[i] if i < len(values) else None)
        out.append(row)
    return out


def _key(heading: Any) -> str:
    from services.imports.columns import heading_key

    return heading_key(str(heading))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- JSON Lines (the file contract) ------------------------------------------------------------


def _json_lines(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for number, raw in enumerate(_text(content).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            raise Unreadable(N_("Raden är inte giltig JSON."), number) from exc
        if not isinstance(obj, dict):
            raise Unreadable(N_("Varje rad ska vara ett JSON-objekt."), number)
        out.append((number, obj))
    if not out:
        raise Unreadable(N_("Filen är tom."))
    return out


def _contract_row(kind: str, line: int, obj: dict[str, Any]) -> Row:
    """A contract line: `id`, `location`, `hours_per_week` mapped onto the template's columns."""
    row = Row(line)
    keys = {c.key for c in COLUMNS[kind]}
    for key, value in obj.items():
        if key in keys:
            row.cells[key] = (key, value)
    if "id" in obj:
        row.cells["external_id"] = ("id", obj["id"])
    location = obj.get("location")
    if isinstance(location, dict) and "municipality" in location:
        row.cells["municipality"] = ("location.municipality", location["municipality"])
    elif "municipality" not in row.cells:
        row.cells["municipality"] = ("location.municipality", None)
    hours = obj.get("hours_per_week")
    if isinstance(hours, dict):
        for end in ("min", "max"):
            if end in hours:
                row.cells[f"hours_{end}"] = (f"hours_per_week.{end}", hours[end])
    if kind == "offers":
        if "employer" in obj and "employer_name" not in row.cells:
            row.cells["employer_name"] = ("employer", obj["employer"])
    return row


# --- JobTech job ads ---------------------------------------------------------------------------


def _jobtech_ads(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    text = _text(content).strip()
    if text.startswith("["):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise Unreadable(N_("Filen är inte giltig JSON.")) from exc
        ads = data
    elif text.startswith("{") and "\n{" not in text:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise Unreadable(N_("Filen är inte giltig JSON.")) from exc
        ads = data.get("hits", [data]) if isinstance(data, dict) else None
    else:
        return _json_lines(content)
    if not isinstance(ads, list) or not all(isinstance(a, dict) for a in ads):
        raise Unreadable(N_("Platsannonserna ska vara en lista av JSON-objekt."))
    if not ads:
        raise Unreadable(N_("Filen är tom."))
    return list(enumerate(ads, start=1))


def _label(value: Any) -> Any:
    return value.get("label") if isinstance(value, dict) else value


def _labels(items: Any) -> list[Any]:
    return [_label(i) for i in items] if isinstance(items, list) else []


def _jobtech_row(line: int, ad: dict[str, Any]) -> Row:
    """One job ad (JobTech JobSearch/JobStream format) as an offer row."""
    row = Row(line)

    def put(key: str, name: str, value: Any) -> None:
        if value is not None:
            row.cells[key] = (name, value)

    put("external_id", "id", ad.get("id"))
    put("title", "headline", ad.get("headline"))
    description = ad.get("description")
    put(
        "description",
        "description.text",
        description.get("text") if isinstance(description, dict) else description,
    )
    put("occupation", "occupation", _label(ad.get("occupation")))
    address = ad.get("workplace_address") if isinstance(ad.get("workplace_address"), dict) else {}
    row.cells["municipality"] = ("workplace_address.municipality", address.get("municipality"))
    put("street", "workplace_address.street_address", address.get("street_address"))
    put("postal_code", "workplace_address.postcode", address.get("postcode"))
    put("city", "workplace_address.city", address.get("city"))
    employer = ad.get("employer") if isinstance(ad.get("employer"), dict) else {}
    put("employer_org_number", "employer.organization_number", employer.get("organization_number"))
    put("employer_name", "employer.name", employer.get("name"))
    put("workplace_name", "employer.workplace", employer.get("workplace"))
    put("requires_driving_licence", "driving_license_required", ad.get("driving_license_required"))
    scope = ad.get("scope_of_work") if isinstance(ad.get("scope_of_work"), dict) else {}
    for end in ("min", "max"):
        percent = scope.get(end)
        if isinstance(percent, int | float) and not isinstance(percent, bool):
            row.cells[f"hours_{end}"] = (f"scope_of_work.{end}", round(percent * 0.4, 1))
        elif percent is not None:
            row.cells[f"hours_{end}"] = (f"scope_of_work.{end}", percent)
    for key, part in (("skills_required", "must_have"), ("skills_desired", "nice_to_have")):
        section = ad.get(part) if isinstance(ad.get(part), dict) else {}
        terms = _labels(section.get("skills")) + _labels(section.get("work_experiences"))
        if terms:
            row.cells[key] = (f"{part}.skills", terms)
    put("capacity", "number_of_vacancies", ad.get("number_of_vacancies"))
    row.cells.setdefault("kind", ("kind", "other"))
    row.cells.setdefault("leads_to_employment", ("leads_to_employment", "yes"))
    return row


def cell_text(value: Any) -> str:
    """A cell as the text a person would read (dates as ISO, numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
