"""Login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from models import Session
from services import accounts, audit
from web.access import home_url

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> object:
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = accounts.authenticate(
            form.email.data or "",
            form.password.data or "",
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
            ip=request.remote_addr or "",
        )
        if result.user is not None:
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")) or home_url(result.user))
        if result.locked:
            flash(_l("För många misslyckade försök. Vänta en stund och försök igen."), "error")
            status = 429
        else:
            flash(_l("Fel e-postadress eller lösenord."), "error")
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> object:
    if current_user.is_authenticated:
        audit.record(
            "logout",
            actor=current_user._get_current_object(),
            subject=current_user._get_current_object(),
        )
        Session.commit()
    logout_user()
    flash(_l("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))
