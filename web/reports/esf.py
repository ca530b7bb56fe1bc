"""The ESF/SCB export: a CSV per unit and period, for the unit's manager or an administrator."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import DataRequired, ValidationError

from models import Session, Unit
from services.reports import esf
from web.reports.blueprint import bp


class ExportForm(FlaskForm):
    unit_id = SelectField(_l("Enhet"), coerce=str, validators=[DataRequired()])
    start = DateField(_l("Från och med"), validators=[DataRequired()])
    end = DateField(_l("Till och med"), validators=[DataRequired()])

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("Slutdatumet kan inte vara före startdatumet."))


@bp.route("/esf", methods=["GET", "POST"])
def esf_export() -> Any:
    if current_user.role != "admin":
        abort(403)
    form = ExportForm()
    query = select(Unit).order_by(Unit.name)
    if current_user.unit_id is not None:
        query = query.where(Unit.id == current_user.unit_id)
    units = Session.scalars(query).all()
    form.unit_id.choices = [SelectChoice(str(u.id), u.name) for u in units]
    if request.method == "GET":
        today = date.today()
        form.start.data, form.end.data = date(today.year, 1, 1), today
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("reports/esf.html", form=form, units=units), status
    result = esf.export(
        current_user,
        int(form.unit_id.data),
        form.start.data,
        form.end.data,
        ip=request.remote_addr or "",
    )
    Session.commit()
    return Response(
        "\ufeff" + result.text,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )


@bp.route("/esf/units/<int:unit_id>/personnummer", methods=["POST"])
def esf_personnummer(unit_id: int) -> Any:
    """Turn the personnummer column on (with a reason) or off for one unit's exports."""
    if current_user.role != "admin":
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    enabled = request.form.get("enabled") == "1"
    try:
        esf.set_personnummer(current_user, unit_id, enabled, request.form.get("reason", ""))
    except ValueError:
        flash(_("Skriv varför enheten behöver personnummer i exporten."), "error")
        return redirect(url_for("reports.esf_export"))
    Session.commit()
    if enabled:
        flash(_("Personnummer tas nu med i enhetens export."), "success")
    else:
        flash(_("Personnummer tas inte längre med i enhetens export."), "success")
    return redirect(url_for("reports.esf_export"))
