"""Employer: the participants proposed to one of my offers who said yes, shown only as
`privacy.employer_view()` allows, and my answer (accept / decline with a comment)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from models import Match, Offer, Session
from services import placements, privacy, workflow
from services.workflow import NotAllowed, WorkflowError
from web.choices import option
from web.coach.workflow_forms import NoteForm
from web.employer.blueprint import bp

# An employer hears of a participant only once the participant has said yes.
VISIBLE_TO_EMPLOYER = (
    "interested",
    "accepted",
    "employer_declined",
    "placement_planned",
    "ongoing",
    "completed",
    "ended_early",
)
EMPLOYER_STATUS = {
    "interested": _l("Intresserad – väntar på ert svar"),
    "accepted": _l("Ni har tackat ja"),
    "employer_declined": _l("Ni har tackat nej"),
    "placement_planned": _l("Praktiken är planerad"),
    "ongoing": _l("Praktiken pågår"),
    "completed": _l("Praktiken är avslutad"),
    "ended_early": _l("Praktiken avslutades i förtid"),
}


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Ert svar"),
        choices=[option("accept", _l("Tacka ja")), option("decline", _l("Tacka nej"))],
        validators=[InputRequired(_l("Välj ja eller nej."))],
    )
    comment = TextAreaField(
        _l("Kommentar till coachen (valfritt)"), validators=[Optional(), Length(max=2000)]
    )


def _offer_or_404(offer_id: int) -> Offer:
    offer = Session.get(Offer, offer_id)
    if offer is None or offer.employer_id != current_user.employer_id:
        abort(404)
    return offer


def _candidate_or_404(match_id: int) -> Match:
    m = Session.get(Match, match_id)
    if (
        m is None
        or m.offer.employer_id != current_user.employer_id
        or m.status not in VISIBLE_TO_EMPLOYER
    ):
        abort(404)
    return m


@bp.route("/offers/<int:offer_id>/candidates")
def candidates(offer_id: int) -> Any:
    offer = _offer_or_404(offer_id)
    rows = Session.scalars(
        select(Match)
        .where(Match.offer_id == offer.id, Match.status.in_(VISIBLE_TO_EMPLOYER))
        .order_by(Match.participant_answered_at.desc().nulls_last(), Match.id)
    ).all()
    people = [
        (m, privacy.employer_view(m.participant), _form_for(m), _note_form_for(m)) for m in rows
    ]
    return render_template(
        "employer/candidates.html", offer=offer, people=people, labels=EMPLOYER_STATUS
    ), 200


def _form_for(m: Match) -> DecisionForm:
    return DecisionForm(prefix=f"c{m.id}", formdata=None)


def _note_form_for(m: Match) -> NoteForm | None:
    if m.status not in ("placement_planned", "ongoing"):
        return None
    return NoteForm(prefix=f"n{m.id}", formdata=None)


@bp.post("/candidates/<int:match_id>/note")
def candidate_note(match_id: int) -> Any:
    """The supervisor's follow-up note with attendance, on a placement at this employer."""
    m = _candidate_or_404(match_id)
    placement = placements.for_match(m)
    if placement is None:
        abort(404)
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
    m = _candidate_or_404(match_id)
    form = DecisionForm(prefix=f"c{m.id}")
    back = url_for("employer.candidates", offer_id=m.offer_id)
    if not form.validate_on_submit():
        flash("; ".join(str(e) for errs in form.errors.values() for e in errs), "error")
        return candidates(m.offer_id)[0], 400
    accept = form.decision.data == "accept"
    try:
        workflow.employer_answer(m, current_user, accept, form.comment.data or "")
    except NotAllowed:
        abort(404)
    except WorkflowError as err:
        flash(str(err), "error")
        return candidates(m.offer_id)[0], 409
    flash(_("Tack! Coachen har fått ert svar."))
    return redirect(back)
