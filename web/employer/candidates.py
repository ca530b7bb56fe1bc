"""Employer: the participants proposed to one of my offers who said yes, shown only as
`privacy.employer_view()` allows, and my answer (accept / decline with a comment)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import Length, Optional

from models import Match
from services import access, employer_response, placements, workflow
from services.employer_response import DECLINE_REASONS
from services.workflow import NotAllowed, WorkflowError
from web import agreement, supervisor
from web.choices import option
from web.coach.workflow_forms import NoteForm, WeekForm
from web.employer.blueprint import bp

# What the employer reads about each state it sees (`workflow.EMPLOYER_SEES`).
EMPLOYER_STATUS = {
    "interested": _l("Intresserad – väntar på ert svar"),
    "accepted": _l("Ni har tackat ja"),
    "employer_declined": _l("Ni har tackat nej"),
    "placement_planned": _l("Praktiken är planerad"),
    "ongoing": _l("Praktiken pågår"),
    "completed": _l("Praktiken är avslutad"),
    "ended_early": _l("Praktiken avslutades i förtid"),
}
assert set(EMPLOYER_STATUS) == workflow.EMPLOYER_SEES


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Ert svar"),
        choices=[option("accept", _l("Tacka ja")), option("decline", _l("Tacka nej"))],
        validators=[Optional()],
    )
    # A decline button per listed reason: one click says no and why.
    reason = RadioField(
        _l("Skäl"),
        choices=[option(code, label) for code, label in DECLINE_REASONS.items()],
        validators=[Optional()],
    )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        if not super().validate(extra_validators):
            return False
        if not self.decision.data and not self.reason.data:
            self.decision.errors = [_l("Välj ja eller nej.")]
            return False
        return True

    comment = TextAreaField(
        _l("Kommentar till coachen (valfritt)"), validators=[Optional(), Length(max=2000)]
    )


@bp.route("/offers/<int:offer_id>/candidates")
def candidates(offer_id: int) -> Any:
    offer, rows = access.candidates(current_user, offer_id)
    people = [(m, view, _form_for(m), _note_form_for(m)) for m, view in rows]
    week_forms = {m.id: _week_form_for(m) for m, _view in rows}
    return render_template(
        "employer/candidates.html",
        offer=offer,
        people=people,
        labels=EMPLOYER_STATUS,
        waiting={m.id: employer_response.waiting_days(m) for m, _view in rows},
        decline_reasons=DECLINE_REASONS,
        week_forms=week_forms,
    ), 200


def _form_for(m: Match) -> DecisionForm:
    return DecisionForm(prefix=f"c{m.id}", formdata=None)


def _week_form_for(m: Match) -> WeekForm | None:
    if m.status not in ("ongoing", "completed", "ended_early"):
        return None
    return WeekForm(prefix=f"w{m.id}", formdata=None)


@bp.post("/candidates/<int:match_id>/week")
def candidate_week(match_id: int) -> Any:
    """The supervisor's hours for one week of a placement at this employer."""
    placement = access.placement(current_user, match_id)
    m = placement.match
    form = WeekForm(prefix=f"w{m.id}")
    if not form.validate_on_submit():
        flash("; ".join(str(e) for errs in form.errors.values() for e in errs), "error")
        return candidates(m.offer_id)[0], 400
    planned = form.hours_planned.data
    try:
        placements.record_week(
            placement,
            current_user,
            form.day.data,
            float(form.hours_done.data),
            float(planned) if planned is not None else None,
            version=form.version.data,
        )
    except NotAllowed:
        abort(404)
    except WorkflowError as err:
        flash(str(err), "error")
        return candidates(m.offer_id)[0], 409
    flash(_("Veckans timmar är sparade."))
    return redirect(url_for("employer.candidates", offer_id=m.offer_id))


def _note_form_for(m: Match) -> NoteForm | None:
    if m.status not in ("placement_planned", "ongoing"):
        return None
    return NoteForm(prefix=f"n{m.id}", formdata=None)


@bp.post("/candidates/<int:match_id>/note")
def candidate_note(match_id: int) -> Any:
    """The supervisor's follow-up note with attendance, on a placement at this employer."""
    placement = access.placement(current_user, match_id)
    m = placement.match
    form = NoteForm(prefix=f"n{m.id}")
    if not form.validate_on_submit():
        flash("; ".join(str(e) for errs in form.errors.values() for e in errs), "error")
        return candidates(m.offer_id)[0], 400
    try:
        placements.add_note(
            placement,
            current_user,
            form.note.data or "",
            form.days_expected.data,
            form.days_attended.data,
        )
    except NotAllowed:
        abort(404)
    except WorkflowError as err:
        flash(str(err), "error")
        return candidates(m.offer_id)[0], 409
    flash(_("Anteckningen är sparad."))
    return redirect(url_for("employer.candidates", offer_id=m.offer_id))


@bp.post("/candidates/<int:match_id>/answer")
def candidate_answer(match_id: int) -> Any:
    m = access.match(current_user, match_id)
    form = DecisionForm(prefix=f"c{m.id}")
    back = url_for("employer.candidates", offer_id=m.offer_id)
    if not form.validate_on_submit():
        flash("; ".join(str(e) for errs in form.errors.values() for e in errs), "error")
        return candidates(m.offer_id)[0], 400
    accept = form.decision.data == "accept"
    reason = None if accept else (form.reason.data or None)
    try:
        workflow.employer_answer(m, current_user, accept, form.comment.data or "", reason)
    except NotAllowed:
        abort(404)
    except WorkflowError as err:
        flash(str(err), "error")
        return candidates(m.offer_id)[0], 409
    flash(_("Tack! Coachen har fått ert svar."))
    return redirect(back)


# The placement agreement pages (web.agreement), behind this portal's role gate.
agreement.register(bp)
supervisor.register_employer(bp)
