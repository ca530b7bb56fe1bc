"""Swedish identity numbers: personnummer and organisationsnummer.

Both end in a Luhn check digit over the ten-digit form. A personnummer may be stored only when
clearly justified (dataskyddslagen 3 kap. 10 §), so it is optional everywhere, validated on the
way in and masked on the way out.
"""

from __future__ import annotations

import re
from datetime import date

_PNR = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$")
_ORGNR = re.compile(r"^(\d{6})-?(\d{4})$")


class InvalidNumber(ValueError):
    """Raised with a message that can be shown to the person who typed the number."""


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def normalise_personnummer(raw: str, *, today: date | None = None) -> str:
    """Return the canonical 12-digit form YYYYMMDD-NNNN, or raise InvalidNumber.

    Accepts 10 or 12 digits with or without '-' / '+' (the '+' marks a person aged 100 or more).
    Samordningsnummer (day + 60) are accepted too.
    """
    today = today or date.today()
    text = re.sub(r"\s", "", raw or "")
    m = _PNR.match(text)
    if not m:
        raise InvalidNumber("Personnumret ska ha formen ÅÅÅÅMMDD-NNNN.")
    century, yy, mm, dd, sep, tail = m.groups()
    ten = f"{yy}{mm}{dd}{tail}"
    if not luhn_ok(ten):
        raise InvalidNumber("Personnumrets kontrollsiffra stämmer inte.")
    if century is None:
        year = 2000 + int(yy)
        if year > today.year:
            year -= 100
        if sep == "+":
            year -= 100
    else:
        year = int(century + yy)
    day = int(dd)
    if day > 60:
        day -= 60  # samordningsnummer
    try:
        born = date(year, int(mm), day)
    except ValueError as exc:
        raise InvalidNumber("Personnumret innehåller inget giltigt datum.") from exc
    if born > today:
        raise InvalidNumber("Personnumret ligger i framtiden.")
    return f"{year:04d}{mm}{dd}-{tail}"


def mask_personnummer(canonical: str | None) -> str:
    """Show the birth date only: the last four digits identify the person."""
    if not canonical:
        return ""
    return canonical[:8] + "-****"


def birth_year_from_personnummer(canonical: str) -> int:
    return int(canonical[:4])


def normalise_org_number(raw: str) -> str:
    """Return NNNNNN-NNNN, or raise InvalidNumber. The third digit is at least 2 for legal persons;
    sole traders use their personnummer, which also passes (Luhn on ten digits)."""
    text = re.sub(r"\s", "", raw or "")
    if len(text) in (12, 13) and text[:2] in ("16", "19", "20"):
        text = text[2:]
    m = _ORGNR.match(text)
    if not m:
        raise InvalidNumber("Organisationsnumret ska ha formen NNNNNN-NNNN.")
    ten = m.group(1) + m.group(2)
    if not luhn_ok(ten):
        raise InvalidNumber("Organisationsnumrets kontrollsiffra stämmer inte.")
    return f"{m.group(1)}-{m.group(2)}"


def with_check_digit(nine: str) -> str:
    """The tenth digit that makes `nine` pass Luhn: used to make synthetic demo numbers."""
    for d in range(10):
        if luhn_ok(nine + str(d)):
            return nine + str(d)
    raise AssertionError("unreachable")
