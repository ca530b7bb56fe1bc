"""Forms of the participant hub: a journal note and a meeting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from services.journal import MEETING_KIND_LABELS, NOTE_MAX
from web.choices import option


class NoteForm(FlaskForm):
    noted_on = DateField(_l("Datum"), validators=[DataRequired(_l("Skriv ett datum."))])
    text = TextAreaField(
        _l("Anteckning"),
        validators=[DataRequired(_l("Skriv en anteckning.")), Length(max=NOTE_MAX)],
    )
    sensitive = BooleanField(
        _l("Känslig anteckning (hälsa, familj, ekonomi): visas bara på begäran och loggas")
    )


class MeetingForm(FlaskForm):
    starts_on = DateField(_l("Datum"), validators=[DataRequired(_l("Skriv ett datum."))])
    starts_time = TimeField(
        _l("Klockan"), validators=[DataRequired(_l("Skriv en tid, till exempel 09:30."))]
    )
    minutes = IntegerField(
        _l("Längd i minuter"),
        default=60,
        validators=[InputRequired(_l("Skriv hur långt mötet är.")), NumberRange(min=5, max=480)],
    )
    kind = SelectField(
        _l("Typ av kontakt"),
        choices=[option(k, v) for k, v in MEETING_KIND_LABELS.items()],
        validators=[InputRequired()],
    )
    place = StringField(_l("Plats eller länk"), validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("Anteckning (valfritt)"), validators=[Optional(), Length(max=2000)])
