"""Login and logout, password change and reset, and the checks every request makes on a login
(idle time, maximum age, a password that must be replaced first)."""

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
from wtforms.validators import DataRequired, EqualTo, Length

from models import Session
from services import accounts, audit, passwords
from services.validation import Invalid
from web import limiter
from web.access import home_url
from web.forms import apply_errors

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(), Length(max=200)])


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            _l("Nytt lösenord"),
            validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)],
            description=_l(
                "Minst 10 tecken. Ett långt lösenord av några vanliga ord är lätt att minnas."
            ),
        ),
        PasswordField(
            _l("Nytt lösenord igen"),
            validators=[
                DataRequired(),
                EqualTo("new_password", message=_l("Lösenorden är inte lika.")),
            ],
        ),
    )


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Nuvarande lösenord"), validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)]
    )
    new_password, new_password_again = _new_password_fields()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    new_password, new_password_again = _new_password_fields()


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


# Pages a user who must replace their password may still open.
OPEN_WHILE_CHANGING = frozenset(
    {"auth.change_password", "auth.logout", "static", "public.language", "public.accessibility"}
)


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> object:
    """Every role's own password. A one-time or invited password must be replaced here first."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_password(
                user,
                form.current.data or "",
                form.new_password.data or "",
                limits=login_limits(),
                ip=request.remote_addr or "",
            )
        except Invalid as exc:
            apply_errors(form, _on_form(exc))
            status = 400
        else:
            start_session(user)  # the other sessions ended; this browser goes on, on a new one
            flash(_l("Ditt lösenord är ändrat. Andra inloggningar är avslutade."), "info")
            return redirect(home_url(user))
    elif request.method == "POST":
        status = 400
    return render_template(
        "auth/change_password.html", form=form, forced=user.must_change_password
    ), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: str(current_app.config["PUBLIC_FORM_RATE_LIMIT"]), methods=["POST"])
def forgot_password() -> object:
    """The "Glömt lösenord?" form: the same answer whether the address has an account or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_reset(form.email.data or "", ip=request.remote_addr or "")
        return render_template("auth/forgot_sent.html")
    status = 400 if request.method == "POST" else 200
    return render_template("auth/forgot_password.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: str(current_app.config["PUBLIC_FORM_RATE_LIMIT"]), methods=["POST"])
def reset_password(token: str) -> object:
    """The link from a reset or invitation e-mail: choose a password, then log in with it."""
    links = accounts.link_settings()
    user = accounts.user_for_link(token, "reset", links) or accounts.user_for_link(
        token, "invite", links
    )
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = ResetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            done = accounts.reset_password(
                token,
                form.new_password.data or "",
                limits=login_limits(),
                ip=request.remote_addr or "",
            )
        except Invalid as exc:
            apply_errors(form, _on_form(exc))
            status = 400
        else:
            if done is None:
                return render_template("auth/link_invalid.html"), 400
            if current_user.is_authenticated:
                end_session()
            flash(_l("Ditt lösenord är sparat. Logga in med det nya lösenordet."), "info")
            return redirect(url_for("auth.login"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/reset_password.html", form=form, email=user.email), status


def _on_form(exc: Invalid) -> Invalid:
    """The password rule speaks of the field `password`; these forms call it `new_password`."""
    return Invalid({("new_password" if k == "password" else k): v for k, v in exc.errors.items()})


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

    @app.before_request
    def _password_first() -> Any:
        """A password someone else chose (one-time, invitation) is replaced before anything."""
        if not current_user.is_authenticated or not current_user.must_change_password:
            return None
        if request.endpoint in OPEN_WHILE_CHANGING:
            return None
        if request.path.startswith("/api/"):
            return {"error": "password change required"}, 403
        return redirect(url_for("auth.change_password"))
