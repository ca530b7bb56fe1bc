"""The accessibility statement (tillgänglighetsredogörelse) and its report-a-problem form.

The form works signed in or not and without JavaScript; a report is stored, logged, and listed
for admins (`/admin/accessibility-reports`).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from services import feedback
from services.validation import Invalid
from web.forms import apply_errors


class ReportForm(FlaskForm):
    page = StringField(
        _l("Vilken sida gäller det? (valfritt)"), validators=[Optional(), Length(max=500)]
    )
    message = TextAreaField(
        _l("Beskriv problemet"),
        validators=[DataRequired(_l("Beskriv problemet.")), Length(max=4000)],
    )
    contact = StringField(
        _l("Din e-post eller telefon om du vill ha svar (valfritt)"),
        validators=[Optional(), Length(max=254)],
    )


def statement() -> object:
    form = ReportForm()
    if request.method == "GET":
        form.page.data = request.args.get("page", "")[:500]
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object() if current_user.is_authenticated else None
        try:
            feedback.report(
                form.message.data or "",
                page=form.page.data or "",
                contact=form.contact.data or "",
                user=user,
            )
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            flash(
                _l("Tack för din rapport! Vi hör av oss om du har skrivit hur vi når dig."), "info"
            )
            return redirect(url_for("public.accessibility"))
    elif request.method == "POST":
        status = 400
    return render_template("accessibility.html", form=form), status
