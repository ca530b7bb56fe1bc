"""How a use case says "this input cannot be accepted", field by field.

Services check the rules that need the database (an organisation number already registered, a
workplace of another employer) and raise `Invalid` with one message per form field. The messages
are Swedish msgids marked with `N_` so that the translation catalogue picks them up; the web layer
translates them when it puts them next to the field.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a message for extraction without translating it here (services know no locale)."""
    return message


# Characters that change how text is shown without being seen: bidirectional overrides and
# isolates (a name that reads differently from what it is, "Trojan Source") and zero-width
# characters (two names that look the same but are not). Names refuse them.
HIDDEN_CHARACTERS = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
)
HIDDEN_CHARACTERS_MESSAGE = N_("Texten innehåller osynliga tecken. Skriv den igen utan dem.")


def has_hidden_characters(text: str) -> bool:
    """True for bidi controls, zero-width and other invisible format characters (category Cf),
    and for control characters other than tab and newline."""
    import unicodedata

    return any(
        ch in HIDDEN_CHARACTERS
        or unicodedata.category(ch) == "Cf"
        or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r")
        for ch in text
    )


class Invalid(Exception):  # noqa: N818 - reads as `raise Invalid(...)`
    """Input that breaks a rule; `errors` maps a form field name to its message (msgid)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def clean_terms(values: object, *, max_items: int = 40, max_len: int = 80) -> list[str]:
    """A comma-separated string or a list into distinct trimmed terms, order kept."""
    if isinstance(values, str):
        values = values.split(",")
    seen: dict[str, str] = {}
    for raw in values or []:  # type: ignore[attr-defined]
        term = " ".join(str(raw).split())[:max_len]
        if term and term.casefold() not in seen:
            seen[term.casefold()] = term
    return list(seen.values())[:max_items]


class Conflict(Exception):  # noqa: N818 - reads as `raise Conflict(...)`
    """Someone else changed the record after this form was opened; nothing was saved.

    The message is a msgid (see `N_`); the web layer answers 409 and shows it.
    """


PHONE_MESSAGE = N_(
    "Skriv ett svenskt telefonnummer, till exempel 0586-614 00 eller +46 70 123 45 67."
)


def clean_phone(text: str | None) -> str:
    """A Swedish phone number, checked loosely: empty, or digits with spaces, hyphens and
    brackets, starting with 0 or +46, 7 to 13 digits in all. Kept as typed (trimmed), since
    people write numbers the way their switchboard does; `Invalid` otherwise."""
    import re

    value = " ".join((text or "").split())
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if (
        len(value) > 40
        or not re.fullmatch(r"\+?[\d\s()\-]+", value)
        or not (value.startswith("0") or value.startswith("+46"))
        or not 7 <= len(digits) <= 13
    ):
        raise Invalid({"phone": PHONE_MESSAGE})
    return value
