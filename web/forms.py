"""Form pieces every audience's forms share: term lists, check-box groups, service errors.

Term lists (competences, interests) are a plain comma-separated text input, so they work without
JavaScript; `static/typeahead.js` enhances every input with `data-typeahead` into a combobox that
suggests words from the vocabulary.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectMultipleField, StringField
from wtforms.validators import Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from services.validation import (
    HIDDEN_CHARACTERS_MESSAGE,
    Invalid,
    clean_terms,
    has_hidden_characters,
)

# The messages `models.identity.InvalidNumber` carries (Swedish), listed so that the catalogue
# has them: forms show `_(str(exc))`, the translation of the message as raised.
IDENTITY_MESSAGES = (
    _l("Personnumret ska ha formen ÅÅÅÅMMDD-NNNN."),
    _l("Personnumrets kontrollsiffra stämmer inte."),
    _l("Personnumret innehåller inget giltigt datum."),
    _l("Personnumret ligger i framtiden."),
    _l("Organisationsnumret ska ha formen NNNNNN-NNNN."),
    _l("Organisationsnumrets kontrollsiffra stämmer inte."),
)


def email_format() -> Regexp:
    """The shape of an e-mail address only: the demo's `.test` addresses must pass, and whether
    a mailbox exists is for the mail server to find out."""
    return Regexp(
        r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$",
        message=_l("Skriv en e-postadress, till exempel namn@exempel.se."),
    )


def plain_text() -> Any:
    """A validator refusing invisible characters (bidi overrides, zero-width) in names."""

    def check(_form: FlaskForm, field: Field) -> None:
        if isinstance(field.data, str) and has_hidden_characters(field.data):
            raise ValidationError(_(HIDDEN_CHARACTERS_MESSAGE))

    return check


class TermsField(StringField):
    """Comma-separated terms in one text input; `.data` is a list of distinct terms."""

    def __init__(self, *args: Any, max_items: int = 40, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_items = max_items

    def _value(self) -> str:
        if isinstance(self.data, list | tuple):
            return ", ".join(self.data)
        return self.data or ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw = valuelist[0] if valuelist else ""
        self.data = clean_terms(self.raw, max_items=10_000)

    def pre_validate(self, form: Any) -> None:
        if len(self.data or []) > self.max_items:
            raise ValidationError(_("Högst %(n)d ord.", n=self.max_items))
        if any(len(term) > 80 for term in str(getattr(self, "raw", "")).split(",")):
            raise ValidationError(_("Varje ord får vara högst 80 tecken."))


class CheckboxesField(SelectMultipleField):
    """Several choices as check boxes in a fieldset (see the `checkboxes` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def apply_errors(form: FlaskForm, exc: Invalid) -> None:
    """Put a service's errors next to their fields (translated); unknown fields go to the form."""
    for name, message in exc.errors.items():
        target: Field | None = getattr(form, name, None)
        if isinstance(target, Field):
            target.errors = [*list(target.errors or []), _(message)]
        else:
            form.form_errors.append(_(message))


def optional_int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)
