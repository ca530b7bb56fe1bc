"""Admin: a unit's settings (default commuting limit, region) and the regions."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from services import access, units
from services.validation import Invalid
from web.admin.blueprint import bp
from web.choices import option
from web.forms import apply_errors, optional_int


class UnitSettingsForm(FlaskForm):
    default_max_commute_km = DecimalField(
        _l("Längsta resväg i km (enhetens standard)"),
        places=0,
        validators=[InputRequired(), NumberRange(1, units.MAX_COMMUTE_KM)],
    )
    region_id = SelectField(_l("Region"), choices=[], validators=[Optional()])
    seen_km = HiddenField()
    seen_region_id = HiddenField()


class RegionForm(FlaskForm):
    name = StringField(_l("Regionens namn"), validators=[DataRequired(), Length(max=200)])


def _number(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return -1.0  # matches no stored value: answered as a concurrent edit


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit_settings(unit_id: int) -> Any:
    unit = access.unit_settings(current_user, unit_id)
    form = UnitSettingsForm()
    installation = current_user.unit_id is None
    form.region_id.choices = [option("", _l("Ingen region"))] + [
        option(str(r.id), r.name) for r in units.regions()
    ]
    status = 200
    if request.method == "GET":
        form.default_max_commute_km.data = unit.default_max_commute_km
        form.region_id.data = str(unit.region_id or "")
    if form.validate_on_submit():
        try:
            units.update_settings(
                current_user,
                unit,
                default_max_commute_km=float(form.default_max_commute_km.data),
                seen_km=_number(form.seen_km.data),
                region_id=optional_int(form.region_id.data) if installation else None,
                seen_region_id=optional_int(form.seen_region_id.data),
            )
        except Invalid as exc:
            apply_errors(form, exc)
            status = 409 if isinstance(exc, units.Stale) else 400
        else:
            flash(_l("Inställningarna är sparade. Förslagen uppdateras i bakgrunden."), "info")
            return redirect(url_for("admin.unit_settings", unit_id=unit.id)), 303
    elif form.is_submitted():
        status = 400
    # What the stored values are now: a rejected stale edit shows what holds.
    form.seen_km.data = str(unit.default_max_commute_km)
    form.seen_region_id.data = str(unit.region_id or "")
    return render_template(
        "admin/unit.html", unit=unit, form=form, installation=installation
    ), status


@bp.route("/regions", methods=["GET", "POST"])
def regions() -> Any:
    form = RegionForm()
    status = 200
    if current_user.unit_id is None and form.validate_on_submit():
        try:
            units.create_region(current_user, form.name.data or "")
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            flash(_l("Regionen är sparad."), "info")
            return redirect(url_for("admin.regions")), 303
    elif form.is_submitted():
        status = 403 if current_user.unit_id is not None else 400
    return render_template(
        "admin/regions.html",
        form=form,
        regions=units.regions(),
        units=units.units(),
        installation=current_user.unit_id is None,
    ), status
