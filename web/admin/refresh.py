"""Admin: the whole-installation suggestion refresh, fanned out over the workers in chunks,
and its progress on one page (`services.fanout`)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from models import RefreshRun, Session
from services import access, fanout
from web.admin.blueprint import bp

STATUS_LABELS = {
    "queued": _l("Väntar"),
    "running": _l("Pågår"),
    "done": _l("Klar"),
    "failed": _l("Misslyckades"),
}


class StartForm(FlaskForm):
    chunk_size = IntegerField(
        _l("Deltagare per del"),
        default=fanout.DEFAULT_CHUNK,
        validators=[
            InputRequired(_l("Skriv ett tal.")),
            NumberRange(min=50, max=50_000, message=_l("Skriv ett tal mellan 50 och 50 000.")),
        ],
    )


class ResumeForm(FlaskForm):
    workers_died = BooleanField(_l("Arbetsprocesserna har stannat: ta om delar som pågick"))


def _page(form: StartForm, status: int = 200) -> Any:
    runs = Session.scalars(select(RefreshRun).order_by(RefreshRun.id.desc()).limit(5)).all()
    return (
        render_template(
            "admin/refresh.html",
            form=form,
            runs=[fanout.progress_of(r) for r in runs],
            resume_form=ResumeForm(),
            status_labels=STATUS_LABELS,
        ),
        status,
    )


@bp.route("/refresh", methods=["GET", "POST"])
def refresh_all() -> Any:
    access.installation_admin(current_user)
    form = StartForm()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, 400)
    fanout.start_refresh(chunk_size=form.chunk_size.data, requested_by_id=current_user.id)
    flash(_("Uppdateringen är startad."))
    return redirect(url_for("admin.refresh_all"))


@bp.post("/refresh/<int:run_id>/resume")
def refresh_resume(run_id: int) -> Any:
    access.installation_admin(current_user)
    if Session.get(RefreshRun, run_id) is None:
        raise LookupError(f"refresh run {run_id}")
    form = ResumeForm()
    if not form.validate_on_submit():
        return _page(StartForm(formdata=None), 400)
    n = fanout.resume(run_id, workers_died=bool(form.workers_died.data))
    flash(ngettext("%(num)s del är skickad igen.", "%(num)s delar är skickade igen.", n))
    return redirect(url_for("admin.refresh_all"))
