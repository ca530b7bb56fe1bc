"""Admin: the audit log, filtered by action, actor, subject and date range, paged
(`services.audit.search`, which also keeps a unit's manager to the unit's people)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from services import audit as audit_log
from web.admin.blueprint import bp
from web.choices import option


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField(_l("Händelse (början av namnet)"), validators=[Optional(), Length(max=60)])
    actor = StringField(_l("Vem (e-post)"), validators=[Optional(), Length(max=254)])
    subject_type = SelectField(_l("Gäller"), validators=[Optional()])
    subject_id = IntegerField(_l("Id"), validators=[Optional(), NumberRange(min=1)])
    date_from = DateField(_l("Från och med"), validators=[Optional()])
    date_to = DateField(_l("Till och med"), validators=[Optional()])


@bp.route("/audit")
def audit() -> Any:
    form = AuditFilterForm(request.args)
    form.subject_type.choices = [option("", _l("Alla"))] + [
        option(t, t) for t in audit_log.subject_types()
    ]
    valid = form.validate() if request.args else True
    if (
        valid
        and form.date_from.data
        and form.date_to.data
        and form.date_to.data < form.date_from.data
    ):
        form.date_to.errors = [_l("Slutdatum kan inte vara före startdatum.")]
        valid = False
    if not valid:
        return render_template(
            "admin/audit.html", form=form, rows=[], page=1, pages=1, total=0
        ), 400
    result = audit_log.search(
        current_user,
        audit_log.AuditFilter(
            action=form.action.data or "",
            actor_email=form.actor.data or "",
            subject_type=form.subject_type.data or "",
            subject_id=form.subject_id.data,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            page=request.args.get("page", 1, type=int) or 1,
        ),
    )
    return render_template(
        "admin/audit.html",
        form=form,
        rows=result.rows,
        actors=result.actors,
        page=result.page,
        pages=result.pages,
        total=result.total,
        args={k: v for k, v in request.args.items() if k != "page"},
    )
