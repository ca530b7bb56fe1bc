"""Participant: my plan and placements, what the unit knows about me, asking for a correction.

The person sees everything the unit holds about them, their own health notes and personnummer
included; those are read through `services.privacy.reveal` like every other read, so the log
shows the person looked at their own data.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from models import Activity, Placement, Session
from services import participants, privacy
from services.validation import Invalid
from web import subject_access
from web.forms import apply_errors
from web.participant.blueprint import bp
from web.participant.views import me


class CorrectionForm(FlaskForm):
    message = TextAreaField(
        _l("Vad är fel, och vad ska det stå i stället?"),
        validators=[DataRequired(_l("Skriv vad som är fel.")), Length(max=2000)],
    )


@bp.route("/plan")
def plan() -> str:
    participant = me()
    activities = Session.scalars(
        select(Activity)
        .where(Activity.participant_id == participant.id)
        .order_by(Activity.start_on, Activity.id)
    ).all()
    placements = Session.scalars(
        select(Placement)
        .where(Placement.participant_id == participant.id)
        .order_by(Placement.start_on.desc(), Placement.id.desc())
    ).all()
    return render_template(
        "participant/plan.html",
        participant=participant,
        activities=activities,
        placements=placements,
    )


@bp.route("/my-data")
def my_data() -> str:
    participant = me()
    own = privacy.reveal(current_user, participant, ip=request.remote_addr or "")
    Session.commit()
    return render_template(
        "participant/my_data.html",
        p=participant,
        own=own,
        corrections=participants.corrections_for(participant.id),
    )


@bp.route("/my-data/export.<fmt>")
def my_data_export(fmt: str) -> object:
    """The person's own copy of everything the unit holds (a subject access request, art. 15)."""
    return subject_access.respond(me(), fmt, url_for("participant.my_data"))


@bp.route("/my-data/correction", methods=["GET", "POST"])
def correction() -> object:
    participant = me()
    form = CorrectionForm()
    status = 200
    if form.validate_on_submit():
        try:
            participants.request_correction(participant, current_user, form.message.data or "")
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            flash(_l("Tack! Din coach har fått din begäran."), "info")
            return redirect(url_for("participant.my_data"))
    elif form.is_submitted():
        status = 400
    return render_template("participant/correction.html", form=form), status
