"""The employer's forms: registration, organisation, workplace, offer."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from services.places import is_known_place
from web.choices import choices
from web.forms import CheckboxesField, TermsField, email_format


def _known_municipality(_form: FlaskForm, field: StringField) -> None:
    if field.data and not is_known_place(field.data):
        raise ValidationError(_l("Okänd kommun. Skriv kommunens namn, till exempel Karlskoga."))


def workplace_fields() -> dict[str, Any]:
    """Fresh workplace fields: made anew for each form so that they keep the page's order."""
    return {
        "name": StringField(
            _l("Arbetsplatsens namn"), validators=[DataRequired(), Length(max=200)]
        ),
        "street": StringField(_l("Gatuadress"), validators=[Optional(), Length(max=200)]),
        "postal_code": StringField(
            _l("Postnummer"),
            validators=[
                Optional(),
                Regexp(
                    r"^\d{3} ?\d{2}$",
                    message=_l("Postnumret ska ha fem siffror, till exempel 691 31."),
                ),
            ],
        ),
        "city": StringField(_l("Postort"), validators=[Optional(), Length(max=100)]),
        "municipality": StringField(
            _l("Kommun"), validators=[DataRequired(), Length(max=100), _known_municipality]
        ),
        "accessibility": CheckboxesField(
            _l("Tillgänglighet på arbetsplatsen"),
            choices=choices("accessibility"),
            validate_choice=True,
        ),
        "public_transport": TextAreaField(
            _l("Så tar man sig dit (kollektivtrafik)"), validators=[Optional(), Length(max=1000)]
        ),
    }


class WorkplaceForm(FlaskForm):
    pass


for _name, _field in workplace_fields().items():
    setattr(WorkplaceForm, _name, _field)


class RegistrationForm(FlaskForm):
    org_name = StringField(_l("Organisationens namn"), validators=[DataRequired(), Length(max=200)])
    org_number = StringField(_l("Organisationsnummer"), validators=[DataRequired(), Length(max=20)])
    description = TextAreaField(
        _l("Kort om verksamheten"), validators=[Optional(), Length(max=2000)]
    )
    contact_name = StringField(_l("Kontaktperson"), validators=[DataRequired(), Length(max=200)])
    contact_email = EmailField(
        _l("E-postadress"), validators=[DataRequired(), email_format(), Length(max=254)]
    )
    contact_phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=40)])
    password = PasswordField(
        _l("Lösenord"),
        validators=[
            DataRequired(),
            Length(min=10, max=200, message=_l("Lösenordet ska ha minst 10 tecken.")),
        ],
    )
    password_again = PasswordField(
        _l("Lösenord igen"),
        validators=[DataRequired(), EqualTo("password", message=_l("Lösenorden är inte lika."))],
    )
    publish_on_verification = BooleanField(
        _l("Publicera våra utkast direkt när vi är granskade")
    )


for _name, _field in workplace_fields().items():
    setattr(RegistrationForm, _name, _field)


class OrganisationForm(FlaskForm):
    org_name = StringField(_l("Organisationens namn"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Kort om verksamheten"), validators=[Optional(), Length(max=2000)]
    )
    contact_name = StringField(_l("Kontaktperson"), validators=[DataRequired(), Length(max=200)])
    contact_phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=40)])


class OfferForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(), Length(max=200)])
    kind = RadioField(
        _l("Typ av plats"), choices=choices("kind"), default="praktik", validators=[InputRequired()]
    )
    workplace_id = SelectField(_l("Arbetsplats"), coerce=int, validators=[InputRequired()])
    description = TextAreaField(
        _l("Beskrivning av platsen"), validators=[Optional(), Length(max=5000)]
    )
    tasks = TextAreaField(_l("Arbetsuppgifter"), validators=[Optional(), Length(max=3000)])
    occupation = StringField(_l("Yrke"), validators=[Optional(), Length(max=200)])
    skills_required = TermsField(_l("Kompetenser som krävs"))
    skills_desired = TermsField(_l("Kompetenser som är meriterande"))
    hours_min = DecimalField(
        _l("Timmar per vecka, minst"), places=1, validators=[Optional(), NumberRange(0, 60)]
    )
    hours_max = DecimalField(
        _l("Timmar per vecka, högst"), places=1, validators=[Optional(), NumberRange(0, 60)]
    )
    physical_demands = CheckboxesField(
        _l("Fysiska krav"), choices=choices("physical"), validate_choice=True
    )
    accessibility = CheckboxesField(
        _l("Anpassningar som platsen erbjuder"), choices=choices("accessibility")
    )
    swedish_level = SelectField(
        _l("Svenska som behövs"), choices=choices("swedish"), default="none"
    )
    requires_driving_licence = BooleanField(_l("Körkort krävs"))
    capacity = IntegerField(
        _l("Antal platser"), default=1, validators=[InputRequired(), NumberRange(0, 50)]
    )
    max_open_candidates = IntegerField(
        _l("Högst antal öppna kandidater åt gången"), validators=[Optional(), NumberRange(1, 50)]
    )
    start_from = DateField(_l("Första startdag"), validators=[Optional()])
    start_until = DateField(_l("Sista startdag"), validators=[Optional()])
    duration_weeks = IntegerField(
        _l("Längd i veckor"), validators=[Optional(), NumberRange(1, 104)]
    )
    supervisor_name = StringField(_l("Handledare"), validators=[Optional(), Length(max=200)])
    supervisor_email = EmailField(
        _l("Handledarens e-post"), validators=[Optional(), email_format(), Length(max=254)]
    )
    supervisor_phone = StringField(
        _l("Handledarens telefon"), validators=[Optional(), Length(max=40)]
    )
    leads_to_employment = RadioField(
        _l("Kan platsen leda till anställning?"),
        choices=choices("leads"),
        validators=[Optional()],
    )
    publish_on_verification = BooleanField(_l("Publicera direkt när vi är granskade"))
