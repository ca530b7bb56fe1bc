"""The coach's forms for participant profiles, the caseload filter and the hand-over."""

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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from web.choices import choices, option
from web.forms import CheckboxesField, TermsField, email_format, plain_text


class SensitiveFields:
    """Health constraints and personnummer: on the create form, and on the page behind the
    logged reveal; never on the ordinary edit form."""

    personnummer = StringField(
        _l("Personnummer (valfritt)"), validators=[Optional(), Length(max=20)]
    )
    cannot = CheckboxesField(
        _l("Ska undvika (fysiska krav)"), choices=choices("physical"), validate_choice=True
    )
    needs = CheckboxesField(
        _l("Behöver (anpassningar)"), choices=choices("accessibility"), validate_choice=True
    )
    health_notes = TextAreaField(
        _l("Anteckningar om hälsa"), validators=[Optional(), Length(max=2000)]
    )


class Versioned:
    """The profile version the form was opened at (see `participants.save`)."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class ProfileForm(FlaskForm):
    version = Versioned.version
    first_name = StringField(
        _l("Förnamn"), validators=[DataRequired(), Length(max=100), plain_text()]
    )
    last_name = StringField(
        _l("Efternamn"), validators=[DataRequired(), Length(max=100), plain_text()]
    )
    email = StringField(
        _l("E-postadress"), validators=[Optional(), email_format(), Length(max=254)]
    )
    phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=40)])
    street = StringField(_l("Gatuadress"), validators=[Optional(), Length(max=200)])
    postal_code = StringField(
        _l("Postnummer"),
        validators=[
            Optional(),
            Regexp(
                r"^\d{3} ?\d{2}$", message=_l("Postnumret ska ha fem siffror, till exempel 691 31.")
            ),
        ],
    )
    municipality = StringField(_l("Kommun"), validators=[DataRequired(), Length(max=100)])
    protected_identity = BooleanField(_l("Skyddad identitet (skyddade personuppgifter)"))
    gender = SelectField(_l("Kön"), choices=choices("gender"), default="not_stated")
    birth_year = IntegerField(_l("Födelseår"), validators=[Optional(), NumberRange(1900, 2020)])
    target_group = SelectField(_l("Målgrupp"), choices=choices("target_group"), default="other")
    support_level = SelectField(_l("Stödnivå"), coerce=int, choices=choices("support"), default=2)
    enrolled_on = DateField(_l("Inskriven"), validators=[InputRequired()])
    skills = TermsField(_l("Kompetenser"))
    interests = TermsField(_l("Intressen (yrken, branscher, uppgifter)"))
    max_commute_km = DecimalField(
        _l("Längsta resväg i km"), places=0, validators=[Optional(), NumberRange(0, 500)]
    )
    hours_min = DecimalField(
        _l("Timmar per vecka, minst"), places=1, validators=[Optional(), NumberRange(0, 60)]
    )
    hours_max = DecimalField(
        _l("Timmar per vecka, högst"), places=1, validators=[Optional(), NumberRange(0, 60)]
    )
    swedish_level = SelectField(_l("Svenska"), choices=choices("swedish"), default="none")
    driving_licence = BooleanField(_l("Har körkort"))
    consent = CheckboxesField(
        _l("Arbetsgivare får se"), choices=choices("consent"), validate_choice=True
    )


class NewProfileForm(ProfileForm):
    personnummer = SensitiveFields.personnummer
    cannot = SensitiveFields.cannot
    needs = SensitiveFields.needs
    health_notes = SensitiveFields.health_notes


class SensitiveForm(FlaskForm):
    version = Versioned.version
    personnummer = SensitiveFields.personnummer
    cannot = SensitiveFields.cannot
    needs = SensitiveFields.needs
    health_notes = SensitiveFields.health_notes


class CaseloadFilterForm(FlaskForm):
    """A GET form: no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Sök namn eller e-post"), validators=[Optional(), Length(max=100)])
    municipality = SelectField(_l("Kommun"), validators=[Optional()])
    support_level = SelectField(_l("Stödnivå"), validators=[Optional()])
    target_group = SelectField(_l("Målgrupp"), validators=[Optional()])
    scope = SelectField(
        _l("Vilka deltagare"),
        choices=[option("mine", _l("Mina deltagare")), option("unit", _l("Alla i enheten"))],
        default="mine",
    )
    state = SelectField(
        _l("Status"),
        choices=[
            option("active", _l("Aktiva")),
            option("exited", _l("Avslutade")),
            option("all", _l("Alla")),
        ],
        default="active",
    )
    placement = SelectField(
        _l("Praktik"),
        choices=[
            option("", _l("Alla")),
            option("placed", _l("Har praktik (får inga nya förslag)")),
            option("unplaced", _l("Utan praktik")),
        ],
        default="",
    )


class HandOverForm(FlaskForm):
    to_coach_id = SelectField(_l("Ny coach"), coerce=int, validators=[InputRequired()])
    reason = TextAreaField(_l("Varför byts coach?"), validators=[Optional(), Length(max=1000)])


class CorrectionHandleForm(FlaskForm):
    status = SelectField(
        _l("Åtgärd"),
        choices=[option("done", _l("Åtgärdad")), option("rejected", _l("Avslagen"))],
    )
    answer = TextAreaField(_l("Svar till deltagaren"), validators=[Optional(), Length(max=2000)])


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-postadress för inloggning"),
        validators=[DataRequired(), Length(max=254), email_format()],
    )
