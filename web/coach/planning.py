"""Planning rounds (start, watch, review, change lines, approve). Thin: each POST calls one
function of `services.planning`; access through `services.access`.

The same views serve coaches (`/coach/planning`) and a unit's manager or a region's coordinator
(`/admin/planning`, registered by `web.admin.planning`); links are built for the blueprint of
the request. A coach's approval sends through the workflow; a manager's or coordinator's refers
the lines to the participants' coaches (`planning.refer_lines`)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DecimalField, HiddenField, RadioField, SelectField
from wtforms.validators import InputRequired, NumberRange

from models import JobRun, Session, Unit
from services import access, planning, privacy, workflow
from services.planning import EXPOSURE_RANGE
from services.workflow import NotAllowed, WorkflowError
from web.choices import option
from web.coach.blueprint import bp
from web.coach.suggestions import rendered

SCOPE_LABELS = {
    "caseload": _l("Mina deltagare"),
    "unit": _l("Hela enheten"),
    "region": _l("Regionen: alla enheters deltagare, platser som delas med hela regionen"),
}
LINE_STATUS_LABELS = {
    "proposed": _l("Förslag"),
    "approved": _l("Godkänd och skickad"),
    "referred": _l("Skickad till coachen"),
}
MODE_LABELS = {
    "stable": _l("Stabil: ingen deltagare och plats skulle hellre ha valt varandra"),
    "optimal": _l("Bästa totala matchning: högsta summan av poäng"),
}
NONE_LABELS = {
    "no_feasible": _l("Ingen ledig plats passar deltagarens villkor."),
    "taken": _l("Platserna som passar gick till andra med bättre matchning."),
    "no_location": _l("Adressen saknas, så avståndet kan inte räknas ut."),
    "changed": _l("Platsen togs bort från raden."),
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


def _leader() -> bool:
    """A unit's manager or a region's coordinator (an admin with a unit), not a coach."""
    return current_user.role == "admin"


def _scopes() -> list[str]:
    if not _leader():
        return ["caseload", "unit"]
    return ["unit"] + (["region"] if current_user.coordinates_region_id is not None else [])


def _start_form() -> StartForm:
    scopes = _scopes()
    form = StartForm(scope=scopes[0])
    form.scope.choices = [option(k, SCOPE_LABELS[k]) for k in scopes]
    return form


def _url(endpoint: str, **values: Any) -> str:
    return url_for(f"{request.blueprint}.{endpoint}", **values)


def _rounds_page(form: StartForm, status: int = 200) -> Any:
    rounds = Session.scalars(access.planning_rounds(current_user).limit(20)).all()
    return (
        render_template(
            "coach/planning.html",
            ep=request.blueprint,
            leader=_leader(),
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
    if _leader() and current_user.unit_id is None:
        abort(404)  # an installation admin has no unit to plan for
    form = _start_form()
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
    return redirect(_url("planning_round", round_id=rnd.id))


def _who(rnd: Any) -> Any:
    """How a line names its participant. A region's coordinator reads a number and the unit,
    not the name: the background of another municipality's participant stays with that unit
    (secrecy), and the coordinator does not need it to share out slots."""
    if rnd.scope != "region":  # a protected identity's name only for their own coach
        return lambda p: privacy.display_name(current_user, p)
    names = {
        u.id: u.name for u in Session.scalars(select(Unit).where(Unit.region_id == rnd.region_id))
    }
    return lambda p: _("Deltagare nr %(id)s, %(unit)s", id=p.id, unit=names.get(p.unit_id, ""))


def _round_page(rnd: Any, status: int = 200) -> Any:
    job = Session.get(JobRun, rnd.job_id) if rnd.job_id else None
    lines = planning.round_lines(rnd) if rnd.status == "ready" else []
    return (
        render_template(
            "coach/planning_round.html",
            ep=request.blueprint,
            leader=_leader(),
            may_change=_may_change(rnd),
            who=_who(rnd),
            match_labels=workflow.STATUS_LABELS,
            line_status_labels=LINE_STATUS_LABELS,
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
    act = planning.refer_lines if _leader() else planning.approve_lines
    try:
        sent, refused = act(rnd, None if everything else chosen, current_user)
    except NotAllowed:
        flash(_("Omgången är inte klar att godkänna."), "error")
        return _round_page(rnd, 409)
    if sent and _leader():
        flash(
            ngettext(
                "%(num)s förslag är skickat till deltagarens coach, som avgör.",
                "%(num)s förslag är skickade till deltagarnas coacher, som avgör.",
                sent,
            )
        )
    elif sent:
        flash(
            ngettext(
                "%(num)s förslag är godkänt och skickat till deltagaren.",
                "%(num)s förslag är godkända och skickade till deltagarna.",
                sent,
            )
        )
    who = _who(rnd)
    for line, message in refused:
        flash(f"{who(line.participant)}: {message}", "error")
    if refused:
        return _round_page(rnd, 409)
    return redirect(_url("planning_round", round_id=rnd.id))


def _may_change(rnd: Any) -> bool:
    """Coaches change lines of the rounds they may open; a manager or coordinator those they
    lead (`planning.leads`)."""
    return not _leader() or planning.leads(current_user, rnd)


def _line_page(rnd: Any, line: Any, form: LineForm, status: int = 200) -> Any:
    return (
        render_template(
            "coach/planning_line.html",
            ep=request.blueprint,
            who=_who(rnd),
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
    if not _may_change(rnd):
        abort(404)
    try:
        line = planning.line_of(rnd, line_id)
    except LookupError:
        abort(404)
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
    return redirect(_url("planning_round", round_id=rnd.id) + f"#line-{line.id}")
