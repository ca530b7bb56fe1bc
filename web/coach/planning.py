"""Coach: planning rounds (start, watch, review, change lines, approve). Thin: each POST calls
one function of `services.planning`; access through `services.access`."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, RadioField, SelectField
from wtforms.validators import InputRequired, NumberRange

from models import JobRun, Session
from services import access, planning
from services.planning import EXPOSURE_RANGE
from services.workflow import NotAllowed, WorkflowError
from web.choices import option
from web.coach.blueprint import bp
from web.coach.suggestions import rendered

SCOPE_LABELS = {"caseload": _l("Mina deltagare"), "unit": _l("Hela enheten")}
MODE_LABELS = {
    "stable": _l("Stabil: ingen deltagare och plats skulle hellre ha valt varandra"),
    "optimal": _l("Bästa totala matchning: högsta summan av poäng"),
}
NONE_LABELS = {
    "no_feasible": _l("Ingen ledig plats passar deltagarens villkor."),
    "taken": _l("Platserna som passar gick till andra med bättre matchning."),
    "no_location": _l("Adressen saknas, så avståndet kan inte räknas ut."),
    "changed": _l("Coachen tog bort platsen från raden."),
}
GENDER_LABELS = {
    "woman": _l("Kvinnor"),
    "man": _l("Män"),
    "other": _l("Annat"),
    "not_stated": _l("Inte angivet"),
}
STATUS_LABELS = {
    "queued": _l("Väntar på att starta"),
    "running": _l("Räknar"),
    "ready": _l("Klar att granska"),
    "failed": _l("Misslyckades"),
}
NONE_CHOICE = 0


class StartForm(FlaskForm):
    scope = RadioField(
        _l("Vilka deltagare"),
        choices=[option(k, v) for k, v in SCOPE_LABELS.items()],
        default="caseload",
        validators=[InputRequired(_l("Välj vilka deltagare."))],
    )
    mode = RadioField(
        _l("Metod"),
        choices=[option(k, v) for k, v in MODE_LABELS.items()],
        default="stable",
        validators=[InputRequired(_l("Välj en metod."))],
    )
    exposure_multiple = DecimalField(
        _l("Tak: hur många deltagare per ledig plats som får konkurrera om den"),
        default=3,
        places=1,
        validators=[
            InputRequired(_l("Skriv ett tal.")),
            NumberRange(
                min=EXPOSURE_RANGE[0],
                max=EXPOSURE_RANGE[1],
                message=_l("Skriv ett tal mellan 1 och 20."),
            ),
        ],
    )


class LineForm(FlaskForm):
    offer_id = SelectField(_l("Plats"), coerce=int, validators=[InputRequired()])
    version = HiddenField()


class ApproveForm(FlaskForm):
    pass


def _rounds_page(form: StartForm, status: int = 200) -> Any:
    rounds = Session.scalars(access.planning_rounds(current_user).limit(20)).all()
    return (
        render_template(
            "coach/planning.html",
            form=form,
            rounds=rounds,
            scope_labels=SCOPE_LABELS,
            mode_labels=MODE_LABELS,
            status_labels=STATUS_LABELS,
        ),
        status,
    )


@bp.route("/planning", methods=["GET", "POST"])
def planning_rounds() -> Any:
    form = StartForm()
    if request.method == "GET":
        return _rounds_page(form)
    if not form.validate_on_submit():
        return _rounds_page(form, 400)
    try:
        rnd = planning.start_round(
            current_user,
            scope=form.scope.data,
            mode=form.mode.data,
            exposure_multiple=float(form.exposure_multiple.data),
        )
    except WorkflowError as err:
        flash(str(err), "error")
        return _rounds_page(form, 400)
    flash(_("Planeringsomgången är startad."))
    return redirect(url_for("coach.planning_round", round_id=rnd.id))


def _round_page(rnd: Any, status: int = 200) -> Any:
    job = Session.get(JobRun, rnd.job_id) if rnd.job_id else None
    lines = planning.round_lines(rnd) if rnd.status == "ready" else []
    return (
        render_template(
            "coach/planning_round.html",
            rnd=rnd,
            job=job,
            lines=lines,
            totals=planning.totals(rnd, lines) if lines else None,
            form=ApproveForm(),
            rendered=rendered,
            scope_labels=SCOPE_LABELS,
            mode_labels=MODE_LABELS,
            none_labels=NONE_LABELS,
            gender_labels=GENDER_LABELS,
            status_labels=STATUS_LABELS,
        ),
        status,
    )


@bp.route("/planning/<int:round_id>")
def planning_round(round_id: int) -> Any:
    return _round_page(access.planning_round(current_user, round_id))


@bp.post("/planning/<int:round_id>/approve")
def planning_approve(round_id: int) -> Any:
    rnd = access.planning_round(current_user, round_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        flash(_("Formuläret kunde inte läsas."), "error")
        return _round_page(rnd, 400)
    everything = request.form.get("which") == "all"
    try:
        chosen = [int(x) for x in request.form.getlist("line")]
    except ValueError:
        chosen = []
    if not everything and not chosen:
        flash(_("Välj minst en rad att godkänna."), "error")
        return _round_page(rnd, 400)
    try:
        sent, refused = planning.approve_lines(rnd, None if everything else chosen, current_user)
    except NotAllowed:
        flash(_("Omgången är inte klar att godkänna."), "error")
        return _round_page(rnd, 409)
    if sent:
        flash(
            ngettext(
                "%(num)s förslag är godkänt och skickat till deltagaren.",
                "%(num)s förslag är godkända och skickade till deltagarna.",
                sent,
            )
        )
    for line, message in refused:
        flash(f"{line.participant.display_name}: {message}", "error")
    if refused:
        return _round_page(rnd, 409)
    return redirect(url_for("coach.planning_round", round_id=rnd.id))


def _line_page(rnd: Any, line: Any, form: LineForm, status: int = 200) -> Any:
    return (
        render_template(
            "coach/planning_line.html",
            rnd=rnd,
            line=line,
            form=form,
            rendered=rendered,
            none_labels=NONE_LABELS,
        ),
        status,
    )


def _line_form(rnd: Any, line: Any, formdata: Any = None) -> LineForm:
    form = LineForm(formdata=formdata, offer_id=line.offer_id or NONE_CHOICE, version=line.version)
    form.offer_id.choices = [option(NONE_CHOICE, _("Ingen plats i den här omgången"))] + [
        option(o.id, f"{o.title} – {o.employer.name}, {o.workplace.municipality}")
        for o in planning.line_options(rnd, line)
    ]
    return form


@bp.route("/planning/<int:round_id>/lines/<int:line_id>", methods=["GET", "POST"])
def planning_line(round_id: int, line_id: int) -> Any:
    rnd = access.planning_round(current_user, round_id)
    line = planning.line_of(rnd, line_id)
    if request.method == "GET":
        return _line_page(rnd, line, _line_form(rnd, line))
    form = _line_form(rnd, line, request.form)
    if not form.validate_on_submit():
        return _line_page(rnd, line, form, 400)
    try:
        version = int(form.version.data or 0)
    except ValueError:
        version = -1
    offer_id = form.offer_id.data or None
    try:
        planning.change_line(rnd, line.id, offer_id, current_user, version)
    except WorkflowError as err:
        Session.rollback()
        form.offer_id.errors = [str(err)]
        return _line_page(rnd, planning.line_of(rnd, line_id), form, 409)
    flash(_("Raden är ändrad."))
    return redirect(url_for("coach.planning_round", round_id=rnd.id) + f"#line-{line.id}")
