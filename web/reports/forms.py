"""The report filters: period, unit (installation admins only), municipality, target group, level."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import Optional, ValidationError

from models import Participant, Session, Unit, User
from models.participant import TARGET_GROUPS
from web.choices import label
from web.reports.present import TARGET_GROUP_LABELS


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: filters change nothing

    start = DateField(_l("Från och med"), validators=[Optional()])
    end = DateField(_l("Till och med"), validators=[Optional()])
    unit_id = SelectField(_l("Enhet"), coerce=str, validators=[Optional()])
    municipality = SelectField(_l("Kommun"), coerce=str, validators=[Optional()])
    target_group = SelectField(_l("Målgrupp"), coerce=str, validators=[Optional()])
    support_level = SelectField(_l("Stödnivå"), coerce=str, validators=[Optional()])
    scope = SelectField(
        _l("Vilka deltagare"),
        choices=[
            SelectChoice("mine", _l("Min ärendelista")),
            SelectChoice("unit", _l("Hela enheten")),
        ],
        coerce=str,
        validators=[Optional()],
    )

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("Slutdatumet kan inte vara före startdatumet."))


def filter_form(user: User, args: object) -> FilterForm:
    form = FilterForm(formdata=args)
    everyone = str(_l("Alla"))
    units = Session.scalars(select(Unit).order_by(Unit.name)).all()
    form.unit_id.choices = _choices([("", everyone)] + [(str(u.id), u.name) for u in units])
    query = select(Participant.municipality).distinct().order_by(Participant.municipality)
    if user.unit_id is not None:
        query = query.where(Participant.unit_id == user.unit_id)
    form.municipality.choices = _choices(
        [("", everyone)] + [(m, m) for m in Session.scalars(query)]
    )
    form.target_group.choices = _choices(
        [("", everyone)] + [(t, str(TARGET_GROUP_LABELS.get(t, t))) for t in TARGET_GROUPS]
    )
    form.support_level.choices = _choices(
        [("", everyone)] + [(str(n), label(n, "support")) for n in (1, 2, 3)]
    )
    if not form.start.raw_data and not form.end.raw_data:
        today = date.today()
        form.start.data, form.end.data = date(today.year, 1, 1), today
    return form


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
