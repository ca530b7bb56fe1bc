"""Coach: plan, start, follow up and end a placement with its outcome (services.placements)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import Match
from services import access, agreements, employer_response, placements
from services.placements import END_REASONS, OUTCOME_LABELS
from services.workflow import STATUS_LABELS, NotAllowed, WorkflowError
from web import agreement, supervisor
from web.coach.blueprint import bp
from web.coach.workflow_forms import EndForm, NoteForm, PlanForm, WeekForm


def _page(m: Match, status: int = 200, **forms: Any) -> Any:
    placement = placements.for_match(m)
    plan_form = forms.get("plan_form") or PlanForm(formdata=None)
    if placement is None and plan_form.start_on.data is None:
        plan_form.supervisor_name.data = m.offer.supervisor_name
    return render_template(
        "coach/placement.html",
        m=m,
        placement=placement,
        notes=placements.notes(placement) if placement else [],
        attendance=placements.attendance(placement) if placement else (0, 0),
        plan_form=plan_form,
        note_form=forms.get("note_form") or NoteForm(formdata=None),
        end_form=forms.get("end_form") or EndForm(formdata=None),
        week_form=forms.get("week_form") or WeekForm(formdata=None),
        weeks=placements.weeks(placement) if placement else [],
        hours_done=placements.hours_done(placement) if placement else 0,
        response=employer_response.stats(m.offer.employer_id),
        status_labels=STATUS_LABELS,
        outcome_labels=OUTCOME_LABELS,
        end_reasons=END_REASONS,
        agreement=agreements.current(placement) if placement else None,
        agreement_ok=agreements.ready_to_start(placement) if placement else False,
    ), status


def _back(m: Match) -> Any:
    return redirect(url_for("coach.placement", match_id=m.id))


@bp.route("/placements/<int:match_id>")
def placement(match_id: int) -> Any:
    return _page(access.placement_match(current_user, match_id))


def _run(m: Match, fn: Any, done: str, form_name: str, form: Any) -> Any:
    try:
        fn()
    except NotAllowed:
        abort(404)
    except WorkflowError as err:
        flash(str(err), "error")
        return _page(m, 409, **{form_name: form})
    flash(done)
    return _back(m)


@bp.post("/placements/<int:match_id>/plan")
def placement_plan(match_id: int) -> Any:
    m = access.placement_match(current_user, match_id)
    form = PlanForm()
    if not form.validate_on_submit():
        return _page(m, 400, plan_form=form)
    hours = float(form.hours_per_week.data) if form.hours_per_week.data is not None else None
    return _run(
        m,
        lambda: placements.plan(
            m, current_user, form.start_on.data, form.end_on.data, hours, form.supervisor_name.data
        ),
        _("Praktiken är planerad."),
        "plan_form",
        form,
    )


@bp.post("/placements/<int:match_id>/start")
def placement_start(match_id: int) -> Any:
    p = access.placement(current_user, match_id)
    m = p.match
    return _run(
        m, lambda: placements.start(p, current_user), _("Praktiken har startat."), "note_form", None
    )


@bp.post("/placements/<int:match_id>/note")
def placement_note(match_id: int) -> Any:
    p = access.placement(current_user, match_id)
    m = p.match
    form = NoteForm()
    if not form.validate_on_submit():
        return _page(m, 400, note_form=form)
    return _run(
        m,
        lambda: placements.add_note(
            p, current_user, form.note.data or "", form.days_expected.data, form.days_attended.data
        ),
        _("Anteckningen är sparad."),
        "note_form",
        form,
    )


@bp.post("/placements/<int:match_id>/end")
def placement_end(match_id: int) -> Any:
    p = access.placement(current_user, match_id)
    m = p.match
    form = EndForm()
    if not form.validate_on_submit():
        return _page(m, 400, end_form=form)
    return _run(
        m,
        lambda: placements.end(
            p,
            current_user,
            form.outcome.data,
            form.outcome_on.data,
            early=bool(form.early.data),
            record_exit=bool(form.record_exit.data),
            reason=form.reason.data or None,
        ),
        _("Praktiken är avslutad och resultatet sparat."),
        "end_form",
        form,
    )


@bp.post("/placements/<int:match_id>/week")
def placement_week(match_id: int) -> Any:
    p = access.placement(current_user, match_id)
    form = WeekForm()
    if not form.validate_on_submit():
        return _page(p.match, 400, week_form=form)
    return _run(
        p.match,
        lambda: record_week_from(form, p),
        _("Veckans timmar är sparade."),
        "week_form",
        form,
    )


def record_week_from(form: WeekForm, p: Any) -> Any:
    """Save a WeekForm (the coach's page and the employer's card share it)."""
    planned = form.hours_planned.data
    return placements.record_week(
        p,
        current_user,
        form.day.data,
        float(form.hours_done.data),
        float(planned) if planned is not None else None,
        version=form.version.data,
    )


# The placement agreement pages (web.agreement), behind this portal's role gate.
agreement.register(bp, writer=True)
supervisor.register_globals(bp)

from web.coach import follow_ups  # noqa: E402,F401  (registers /coach/follow-ups)
