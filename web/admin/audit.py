"""Admin: the audit log, filtered by action, actor, subject and date range, paged.

An admin with a unit (the unit's manager) sees the events of that unit's people only; an admin
without one sees everything."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from models import AuditEvent, Participant, Session, User
from web.admin.blueprint import bp
from web.choices import option

PAGE_SIZE = 50


class AuditFilter(FlaskForm):
    class Meta:
        csrf = False

    action = StringField(_l("Händelse (början av namnet)"), validators=[Optional(), Length(max=60)])
    actor = StringField(_l("Vem (e-post)"), validators=[Optional(), Length(max=254)])
    subject_type = SelectField(_l("Gäller"), validators=[Optional()])
    subject_id = IntegerField(_l("Id"), validators=[Optional(), NumberRange(min=1)])
    date_from = DateField(_l("Från och med"), validators=[Optional()])
    date_to = DateField(_l("Till och med"), validators=[Optional()])


def _day_start(d: Any) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


@bp.route("/audit")
def audit() -> Any:
    form = AuditFilter(request.args)
    types = Session.scalars(
        select(AuditEvent.subject_type).distinct().order_by(AuditEvent.subject_type)
    ).all()
    form.subject_type.choices = [option("", _l("Alla"))] + [option(t, t) for t in types if t]
    stmt = select(AuditEvent)
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
    if current_user.unit_id is not None:
        unit_users = select(User.id).where(User.unit_id == current_user.unit_id)
        unit_participants = select(Participant.id).where(
            Participant.unit_id == current_user.unit_id
        )
        stmt = stmt.where(
            or_(
                AuditEvent.actor_id.in_(unit_users),
                (AuditEvent.subject_type == "participants")
                & AuditEvent.subject_id.in_(unit_participants),
            )
        )
    if form.action.data:
        stmt = stmt.where(AuditEvent.action.startswith(form.action.data.strip()))
    if form.actor.data:
        stmt = stmt.where(
            AuditEvent.actor_id.in_(
                select(User.id).where(User.email.ilike(f"%{form.actor.data.strip()}%"))
            )
        )
    if form.subject_type.data:
        stmt = stmt.where(AuditEvent.subject_type == form.subject_type.data)
    if form.subject_id.data:
        stmt = stmt.where(AuditEvent.subject_id == form.subject_id.data)
    if form.date_from.data:
        stmt = stmt.where(AuditEvent.at >= _day_start(form.date_from.data))
    if form.date_to.data:
        stmt = stmt.where(AuditEvent.at < _day_start(form.date_to.data + timedelta(days=1)))
    total = Session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    rows = Session.scalars(
        stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    actors = {
        u.id: u
        for u in Session.scalars(
            select(User).where(User.id.in_({r.actor_id for r in rows if r.actor_id}))
        )
    }
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "admin/audit.html",
        form=form,
        rows=rows,
        actors=actors,
        page=page,
        pages=pages,
        total=total,
        args=args,
    )
