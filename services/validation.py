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
