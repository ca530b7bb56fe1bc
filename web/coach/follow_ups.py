"""Coach: outcome follow-ups after exit (90 days, 6 and 12 months) and their count by gender."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from services import access
from services import follow_ups as service
from services.follow_ups import SITUATIONS, STEPS
from services.workflow import NotAllowed, WorkflowError
from web.choices import option
from web.coach.blueprint import bp


class FollowUpForm(FlaskForm):
    situation = SelectField(
        _l("Situation"),
        choices=[option("", _l("Välj"))] + [option(k, v) for k, v in SITUATIONS.items()],
        validators=[InputRequired(_l("Välj en situation."))],
    )
    note = TextAreaField(_l("Anteckning (valfritt)"), validators=[Optional(), Length(max=2000)])


def _page(status: int = 200, errors: dict[str, Any] | None = None) -> Any:
    unit_id = current_user.unit_id
    items = service.due(unit_id)
    forms = {
        (d.participant.id, d.step): FollowUpForm(
            prefix=f"f{d.participant.id}-{d.step}", formdata=None
        )
        for d in items
    }
    for key, form in (errors or {}).items():
        forms[key] = form
    return render_template(
        "coach/follow_ups.html",
        items=items,
        forms=forms,
        steps=STEPS,
        situations=SITUATIONS,
        report=service.report(unit_id),
    ), status


@bp.route("/follow-ups")
def follow_ups() -> Any:
    return _page()


@bp.post("/follow-ups/<int:participant_id>/<step>")
def follow_up_record(participant_id: int, step: str) -> Any:
    participant = access.participant(current_user, participant_id)
    if step not in STEPS:
        raise access.AccessDenied(f"follow-up step {step}")
    form = FollowUpForm(prefix=f"f{participant_id}-{step}")
    if not form.validate_on_submit():
        return _page(400, {(participant_id, step): form})
    try:
        service.record(participant, current_user, step, form.situation.data, form.note.data or "")
    except NotAllowed as err:
        raise access.AccessDenied("follow-up") from err
    except WorkflowError as err:
        flash(str(err), "error")
        return _page(409)
    flash(_("Uppföljningen är sparad."))
    return redirect(url_for("coach.follow_ups"))
