"""Checking one row's cells against its columns: typed values, or a problem per bad cell.

A problem names the line, the column as written in the file and what is wrong (a Swedish
msgid with its parameters, translated where it is shown). Personnummer are checked by their
check digit and date (`models.identity`) and never repeated in a problem.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from models.identity import InvalidNumber, normalise_org_number, normalise_personnummer
from services.imports.columns import COLUMNS, Column
from services.imports.readers import Row, cell_text
from services.validation import N_, clean_terms


@dataclass
class Problem:
    line: int | None
    column: str
    message: str
    params: dict[str, str] = field(default_factory=dict)
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class BadCell(ValueError):
    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def check_row(kind: str, row: Row, *, today: date) -> tuple[dict[str, Any], list[Problem]]:
    """The row's values by key (absent columns left out), and its problems."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for col in COLUMNS[kind]:
        heading, raw = row.cells.get(col.key, (col.sv, None))
        try:
            value = convert(col, raw, today=today)
        except BadCell as exc:
            shown = "" if col.type == "personnummer" else cell_text(raw)[:60]
            problems.append(Problem(row.line, heading, exc.message, exc.params, shown))
            continue
        if value is None:
            if col.required:
                problems.append(Problem(row.line, heading, N_("Fyll i ett värde.")))
            continue
        values[col.key] = value
    return values, problems


def convert(col: Column, raw: Any, *, today: date) -> Any:  # noqa: C901 - one branch per type
    """The typed value of one cell, None for an empty one, or BadCell."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if col.type == "list":
        if isinstance(raw, list):
            if not all(isinstance(x, str | int | float) for x in raw):
                raise BadCell(N_("Listan får bara innehålla text."))
            terms = clean_terms([str(x) for x in raw])
        elif isinstance(raw, str):
            terms = clean_terms(raw)
        else:
            raise BadCell(N_("Skilj orden åt med komma."))
        if col.vocabulary:
            unknown = [t for t in terms if t not in col.vocabulary]
            if unknown:
                raise BadCell(
                    N_("Okänt ord: %(words)s. Tillåtna: %(allowed)s."),
                    words=", ".join(unknown),
                    allowed=", ".join(sorted(col.vocabulary)),
                )
        return terms
    if isinstance(raw, dict | list):
        raise BadCell(N_("Här ska det stå ett enkelt värde."))
    if col.type == "bool":
        if isinstance(raw, bool):
            return raw
        word = cell_text(raw).casefold()
        if word in ("ja", "j", "yes", "y", "x", "true", "1", "sant"):
            return True
        if word in ("nej", "n", "no", "false", "0", "falskt"):
            return False
        raise BadCell(N_("Skriv ja eller nej."))
    if col.type in ("int", "float"):
        if isinstance(raw, bool):
            raise BadCell(N_("Skriv ett tal."))
        text = cell_text(raw).replace(",", ".").replace(" ", "")
        try:
            number = float(text)
        except ValueError as exc:
            raise BadCell(N_("Skriv ett tal.")) from exc
        if number != number or number in (float("inf"), float("-inf")):
            raise BadCell(N_("Skriv ett tal."))
        if col.type == "int":
            if not number.is_integer():
                raise BadCell(N_("Skriv ett heltal."))
            number = int(number)
        if (col.low is not None and number < col.low) or (
            col.high is not None and number > col.high
        ):
            raise BadCell(
                N_("Talet ska vara mellan %(low)s och %(high)s."),
                low=cell_text(col.low),
                high=cell_text(col.high),
            )
        return number
    if col.type == "date":
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(cell_text(raw))
        except ValueError as exc:
            raise BadCell(N_("Skriv datumet som ÅÅÅÅ-MM-DD.")) from exc
    text = cell_text(raw)
    if col.type == "choice":
        code = col.words().get(" ".join(text.split()).casefold())
        if code is None:
            allowed = ", ".join(words[0] if words else code for code, words in col.choices)
            raise BadCell(N_("Okänt värde. Tillåtna: %(allowed)s."), allowed=allowed)
        return code
    if col.type == "personnummer":
        try:
            return normalise_personnummer(text, today=today)
        except InvalidNumber as exc:
            raise BadCell(str(exc)) from exc
    if col.type == "org_number":
        try:
            return normalise_org_number(text)
        except InvalidNumber as exc:
            raise BadCell(str(exc)) from exc
    if col.type == "email" and ("@" not in text or " " in text):
        raise BadCell(N_("Skriv en giltig e-postadress."))
    if "\x00" in text:
        raise BadCell(N_("Texten har tecken som inte går att använda."))
    if len(text) > col.max_len:
        raise BadCell(N_("Högst %(max)s tecken."), max=str(col.max_len))
    return text
