"""Participant: the workplaces proposed to me, and my answer (yes, I am interested / no thanks)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from models import Match, Offer, Session
from services import access, workflow
from services.workflow import STATUS_LABELS, NotAllowed, WorkflowError
from web import agreement, supervisor
from web.choices import option
from web.participant.blueprint import bp

# What the participant reads about each state (their own words, not the coach's).
PARTICIPANT_STATUS = {
    "proposed": _l("Väntar på ditt svar"),
    "interested": _l("Du är intresserad – arbetsgivaren svarar"),
    "declined": _l("Du tackade nej"),
    "accepted": _l("Arbetsgivaren tackade ja – din coach planerar starten"),
    "employer_declined": _l("Arbetsgivaren tackade nej den här gången"),
    "placement_planned": _l("Praktiken är planerad"),
    "ongoing": _l("Praktiken pågår"),
    "completed": _l("Praktiken är avslutad"),
    "ended_early": _l("Praktiken avslutades"),
}
assert set(PARTICIPANT_STATUS) == workflow.PARTICIPANT_SEES


class AnswerForm(FlaskForm):
    answer = RadioField(
        _l("Ditt svar"),
        choices=[option("yes", _l("Ja, jag är intresserad")), option("no", _l("Nej tack"))],
        validators=[InputRequired(_l("Välj ja eller nej."))],
    )
    comment = TextAreaField(
        _l("Kommentar till din coach (valfritt)"), validators=[Optional(), Length(max=2000)]
    )


@bp.route("/proposals")
def proposals() -> Any:
    access.own_participant(current_user)  # an account without a profile has no page here
    rows = Session.scalars(
        access.visible_matches(current_user)
        .options(
            selectinload(Match.offer).selectinload(Offer.employer),
            selectinload(Match.offer).selectinload(Offer.workplace),
        )
        .order_by(Match.proposed_at.desc().nulls_last(), Match.id.desc())
    ).all()
    return render_template("participant/proposals.html", proposals=rows, labels=PARTICIPANT_STATUS)


@bp.route("/proposals/<int:match_id>", methods=["GET", "POST"])
def proposal(match_id: int) -> Any:
    m = access.match(current_user, match_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            workflow.answer(m, current_user, form.answer.data == "yes", form.comment.data or "")
        except NotAllowed:
            abort(404)
        except WorkflowError as err:
            flash(str(err), "error")
            return _render(m, AnswerForm(formdata=None), 409)
        flash(
            _("Tack! Ditt svar är skickat.")
            if form.answer.data == "yes"
            else _("Tack för ditt svar.")
        )
        return redirect(url_for("participant.proposals"))
    return _render(m, form, 400 if form.is_submitted() else 200)


def _render(m: Match, form: AnswerForm, status: int) -> Any:
    return render_template(
        "participant/proposal.html",
        m=m,
        form=form,
        labels=PARTICIPANT_STATUS,
        status_labels=STATUS_LABELS,
    ), status


# The placement agreement pages (web.agreement), behind this portal's role gate.
agreement.register(bp)
supervisor.register_participant(bp)
