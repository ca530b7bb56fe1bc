"""Forms for the coach's decisions on matches and placements (parsed and validated here)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from models.match import REJECTION_REASONS
from models.participant import OUTCOMES
from services.placements import END_REASONS, OUTCOME_LABELS
from services.workflow import REJECTION_LABELS
from web.choices import option
from web.forms import optional_int


class ApproveForm(FlaskForm):
    note = TextAreaField(
        _l("Meddelande till deltagaren (valfritt)"), validators=[Optional(), Length(max=2000)]
    )


class RejectForm(FlaskForm):
    reason = SelectField(
        _l("Skäl"),
        # Nothing preselected: the reason is kept for learning, so it must be the coach's choice.
        choices=[option("", _l("Välj ett skäl"))]
        + [option(r, REJECTION_LABELS[r]) for r in REJECTION_REASONS],
        validators=[DataRequired(_l("Välj ett skäl."))],
    )
    note = TextAreaField(_l("Kommentar (valfritt)"), validators=[Optional(), Length(max=2000)])


class QueueDecisionForm(FlaskForm):
    """Several suggestions at once from the caseload queue (ids are the ticked boxes)."""

    reason = SelectField(
        _l("Skäl om du avvisar"),
        choices=[option("", _l("Välj ett skäl"))]
        + [option(r, REJECTION_LABELS[r]) for r in REJECTION_REASONS],
        validators=[Optional()],
    )
    note = TextAreaField(
        _l("Meddelande till deltagarna eller kommentar (valfritt)"),
        validators=[Optional(), Length(max=2000)],
    )


class WithdrawForm(FlaskForm):
    note = TextAreaField(_l("Varför (valfritt)"), validators=[Optional(), Length(max=2000)])


class ManualMatchForm(FlaskForm):
    offer_id = SelectField(
        _l("Plats"),
        coerce=optional_int,
        validators=[
            InputRequired(_l("Välj en plats.")),
            DataRequired(_l("Välj en plats.")),
        ],
    )
    note = TextAreaField(
        _l("Meddelande och skäl"),
        validators=[Optional(), Length(max=2000)],
    )
    override = BooleanField(_l("Föreslå ändå, trots det som inte passar (skriv varför ovan)"))


class PlanForm(FlaskForm):
    start_on = DateField(_l("Startdatum"), validators=[DataRequired(_l("Skriv ett startdatum."))])
    end_on = DateField(
        _l("Slutdatum (tomt: platsens längd, annars fyra veckor)"), validators=[Optional()]
    )
    hours_per_week = DecimalField(
        _l("Timmar per vecka"), places=1, validators=[Optional(), NumberRange(min=1, max=40)]
    )
    supervisor_name = StringField(_l("Handledare"), validators=[Optional(), Length(max=200)])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Anteckning"), validators=[Optional(), Length(max=4000)])
    days_expected = IntegerField(
        _l("Planerade dagar"), validators=[Optional(), NumberRange(min=0, max=366)]
    )
    days_attended = IntegerField(
        _l("Närvarande dagar"), validators=[Optional(), NumberRange(min=0, max=366)]
    )


class EndForm(FlaskForm):
    outcome = SelectField(
        _l("Resultat"),
        choices=[option("", _l("Välj ett resultat"))]
        + [option(o, OUTCOME_LABELS[o]) for o in OUTCOMES],
        validators=[DataRequired(_l("Välj ett resultat."))],
    )
    outcome_on = DateField(_l("Datum"), validators=[DataRequired(_l("Skriv ett datum."))])
    early = BooleanField(_l("Avbröts i förtid (datumet är då sista dagen deltagaren var där)"))
    reason = SelectField(
        _l("Varför avbröts praktiken?"),
        choices=[option("", _l("Välj om praktiken avbröts"))]
        + [option(code, text) for code, text in END_REASONS.items()],
        validators=[Optional()],
    )
    record_exit = BooleanField(_l("Deltagaren avslutas i programmet med detta resultat"))


class WeekForm(FlaskForm):
    """Hours for one week of a placement (any day of the week)."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    day = DateField(
        _l("Vecka (välj en dag i veckan)"), validators=[DataRequired(_l("Välj en dag."))]
    )
    hours_planned = DecimalField(
        _l("Planerade timmar"), validators=[Optional(), NumberRange(0, 80, _l("0–80 timmar."))]
    )
    hours_done = DecimalField(
        _l("Gjorda timmar"),
        validators=[
            InputRequired(_l("Skriv hur många timmar som är gjorda.")),
            NumberRange(0, 80, _l("0–80 timmar.")),
        ],
    )


class QueueFilterForm(FlaskForm):
    """The caseload queue's filters (GET, so no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Sök deltagare eller plats"), validators=[Optional(), Length(max=100)])
    municipality = SelectField(_l("Kommun"), validators=[Optional()])
    kind = SelectField(_l("Typ av plats"), validators=[Optional()])
    field = StringField(_l("Yrke eller bransch"), validators=[Optional(), Length(max=100)])
    max_km = DecimalField(
        _l("Högst km hemifrån"), places=0, validators=[Optional(), NumberRange(min=0, max=500)]
    )
