"""Coach: write to a participant, and see everything the participant was sent (by any of the
unit's coaches, and the app's own notices), with the time and whether it has been read."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from services import access, messages, privacy
from services.validation import Invalid
from web.coach.blueprint import bp
from web.forms import apply_errors


class MessageForm(FlaskForm):
    text = TextAreaField(
        _l("Meddelande"),
        validators=[DataRequired(_l("Skriv ett meddelande.")), Length(max=messages.TEXT_MAX)],
    )


@bp.route("/participants/<int:participant_id>/messages", methods=["GET", "POST"])
def messages_page(participant_id: int) -> Any:
    p = access.participant(current_user, participant_id)
    if not messages.may_send(current_user, p):
        abort(404)
    form = MessageForm() if request.method == "POST" else MessageForm(formdata=None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                messages.send(current_user, p, form.text.data or "")
            except Invalid as exc:
                apply_errors(form, exc)
            else:
                flash(_("Meddelandet är skickat."), "success")
                return redirect(url_for("coach.messages_page", participant_id=p.id)), 303
        status = 400
    return render_template(
        "coach/messages.html",
        p=p,
        name=privacy.display_name(current_user, p),
        form=form,
        sent=messages.sent_to(p),
        message_kind=messages.KIND,
    ), status
