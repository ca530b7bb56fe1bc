"""Login and logout, and the checks every request makes on a login (idle time, maximum age)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
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
            limits=login_limits(),
            ip=request.remote_addr or "",
        )
        if result.user is not None:
            start_session(result.user)
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
        user = current_user._get_current_object()
        accounts.end_sessions(user)  # a copy of this cookie stops working too
        audit.record("logout", actor=user, subject=user)
        Session.commit()
    end_session()
    flash(_l("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))


def login_limits() -> accounts.LoginLimits:
    cfg = current_app.config
    return accounts.LoginLimits(
        pair=cfg["LOGIN_MAX_FAILURES"],
        address=cfg["LOGIN_ADDRESS_MAX_FAILURES"],
        account=cfg["LOGIN_ACCOUNT_MAX_FAILURES"],
        minutes=cfg["LOGIN_LOCK_MINUTES"],
    )


def start_session(user: Any) -> None:
    """Log in on a fresh session: nothing from before the login is kept (session fixation), and
    the CSRF token is a new one."""
    lang = session.get("lang")
    session.clear()
    g.pop("csrf_token", None)
    if lang:
        session["lang"] = lang
    login_user(user)
    session.permanent = True
    session["auth_at"] = session["seen_at"] = int(time.time())


def end_session() -> None:
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def install_session_checks(app: Flask) -> None:
    """End a login that has been idle too long or has lived past its maximum age."""

    @app.before_request
    def _check_session_age() -> Any:
        if "_user_id" not in session:
            return None
        now = int(time.time())
        started = int(session.get("auth_at") or 0)
        seen = int(session.get("seen_at") or started)
        idle = app.config["SESSION_IDLE_MINUTES"] * 60
        max_age = app.config["SESSION_MAX_HOURS"] * 3600
        if now - started > max_age or now - seen > idle:
            end_session()
            g.pop("_login_user", None)
            if request.path.startswith("/api/"):
                return None  # the API answers its own 401
            flash(_l("Du har varit inaktiv en stund och är utloggad. Logga in igen."), "info")
            return None
        if now - seen >= 30:  # do not rewrite the cookie on every request
            session["seen_at"] = now
        return None
