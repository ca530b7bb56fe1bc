"""Public employer registration: reachable without an account, outside the employer gate.

Registered by the app factory as its own small blueprint, because the employer blueprint's gate
sends anyone not signed in as an employer to the login page.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from services import accounts, employers
from services.validation import Invalid
from web.access import home_url
from web.auth import start_session
from web.employer.forms import RegistrationForm
from web.forms import apply_errors

bp = Blueprint("signup", __name__)


def workplace_data(form: object) -> employers.WorkplaceData:
    return employers.WorkplaceData(
        name=form.name.data or "",  # type: ignore[attr-defined]
        street=form.street.data or "",  # type: ignore[attr-defined]
        postal_code=form.postal_code.data or "",  # type: ignore[attr-defined]
        city=form.city.data or "",  # type: ignore[attr-defined]
        municipality=form.municipality.data or "",  # type: ignore[attr-defined]
        accessibility=list(form.accessibility.data or []),  # type: ignore[attr-defined]
        public_transport=form.public_transport.data or "",  # type: ignore[attr-defined]
    )


@bp.route("/employer/register", methods=["GET", "POST"])
def register() -> object:
    if current_user.is_authenticated:  # registering would sign this account out
        return redirect(home_url(current_user))
    form = RegistrationForm()
    status = 200
    if form.validate_on_submit():
        data = employers.Registration(
            name=form.org_name.data or "",
            org_number=form.org_number.data or "",
            contact_name=form.contact_name.data or "",
            contact_email=form.contact_email.data or "",
            contact_phone=form.contact_phone.data or "",
            password=form.password.data or "",
            description=form.description.data or "",
            workplace=workplace_data(form),
            publish_on_verification=bool(form.publish_on_verification.data),
        )
        try:
            employers.register(data, ip=request.remote_addr or "")
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            # The same answer whether the address was new or already had an account (then its
            # owner got an e-mail instead): the account goes live from the e-mailed link.
            return redirect(url_for("signup.sent"))
    elif request.method == "POST":
        status = 400
    return render_template("employer/register.html", form=form), status


@bp.route("/employer/register/sent")
def sent() -> object:
    return render_template("employer/register_sent.html")


@bp.route("/employer/register/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> object:
    """The link from the registration e-mail: one button confirms the address and logs in."""

    links = accounts.link_settings()
    if accounts.user_for_link(token, "confirm", links) is None:
        return render_template("auth/link_invalid.html"), 400
    form = FlaskForm()
    if form.validate_on_submit():
        user = accounts.confirm_account(token, ip=request.remote_addr or "")
        if user is None:
            return render_template("auth/link_invalid.html"), 400
        start_session(user)
        flash(
            _l(
                "Tack! Organisationen är registrerad. En coach granskar den innan era platser "
                "kan publiceras."
            ),
            "info",
        )
        return redirect(url_for("employer.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("employer/register_confirm.html", form=form), status
