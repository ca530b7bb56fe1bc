"""Coach: their own work phone, shown to their participants and to the employers of their
candidates (services.accounts.set_phone)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from services import accounts
from services.validation import Invalid
from web.coach.blueprint import bp
from web.forms import apply_errors


class PhoneForm(FlaskForm):
    phone = StringField(_l("Jobbtelefon"), validators=[Optional(), Length(max=40)])


@bp.route("/profile", methods=["GET", "POST"])
def profile() -> Any:
    user = current_user._get_current_object()
    form = PhoneForm(phone=user.phone) if request.method == "GET" else PhoneForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                accounts.set_phone(user, form.phone.data or "", ip=request.remote_addr or "")
            except Invalid as exc:
                apply_errors(form, exc)
            else:
                flash(_("Telefonnumret är sparat."), "success")
                return redirect(url_for("coach.profile")), 303
        status = 400
    return render_template("coach/profile.html", form=form, user=user), status
