"""Admin: accounts. List with filters, create (an invitation e-mail with a set-password link),
deactivate, reactivate, unlock, resend the invitation; the rules are `services.account_admin`."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from services import account_admin
from services.validation import Invalid
from web.admin.blueprint import bp
from web.auth import login_limits
from web.choices import option
from web.forms import apply_errors

ROLE_LABELS = {
    "admin": _l("Administratör"),
    "coach": _l("Coach"),
    "employer": _l("Arbetsgivare"),
    "participant": _l("Deltagare"),
}
STATUS_LABELS = {
    "active": _l("Aktiva"),
    "inactive": _l("Avstängda"),
    "locked": _l("Låsta efter för många felaktiga inloggningar"),
    "invited": _l("Inbjudna, inget eget lösenord än"),
}


class AccountFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Sök namn eller e-post"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Roll"), validators=[Optional()])
    unit_id = SelectField(_l("Enhet"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])


class NewAccountForm(FlaskForm):
    role = SelectField(_l("Roll"), validators=[DataRequired()])
    unit_id = SelectField(_l("Enhet"), validators=[Optional()])
    name = StringField(_l("Namn"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-postadress"), validators=[DataRequired(), Length(max=254)])
    locale = SelectField(
        _l("Språk i inbjudan"),
        choices=[option("sv", "Svenska"), option("en", "English")],
        validators=[DataRequired()],
    )


class CoordinatorForm(FlaskForm):
    region_id = SelectField(_l("Samordnar regionen"), validators=[Optional()])
    seen_region_id = HiddenField()


def _coordinator_form(user: Any, formdata: Any = None) -> CoordinatorForm | None:
    """Only an installation admin appoints coordinators, and only a unit's manager can be one."""
    if current_user.unit_id is not None or user.role != "admin" or user.unit_id is None:
        return None
    from services import units

    form = CoordinatorForm(formdata=formdata)
    form.region_id.choices = [option("", _l("Ingen region"))] + [
        option(str(r.id), r.name) for r in units.regions()
    ]
    if formdata is None:
        form.region_id.data = str(user.coordinates_region_id or "")
    form.seen_region_id.data = str(user.coordinates_region_id or "")
    return form


def _unit_choices(everyone: str | None) -> list[Any]:
    units = account_admin.units_for(current_user)
    first = [option("", everyone)] if everyone is not None else []
    return first + [option(str(u.id), u.name) for u in units]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@bp.route("/accounts")
def accounts() -> Any:
    form = AccountFilterForm(request.args)
    form.role.choices = [option("", _l("Alla roller"))] + [
        option(k, v) for k, v in ROLE_LABELS.items()
    ]
    form.unit_id.choices = _unit_choices(_l("Alla enheter"))
    form.status.choices = [option("", _l("Alla"))] + [
        option(k, v) for k, v in STATUS_LABELS.items()
    ]
    if request.args and not form.validate():
        return render_template("admin/accounts.html", form=form, rows=[], roles=ROLE_LABELS), 400
    rows = account_admin.search(
        current_user,
        account_admin.AccountFilter(
            role=form.role.data or "",
            unit_id=_int(form.unit_id.data),
            status=form.status.data or "",
            q=form.q.data or "",
        ),
        login_limits(),
    )
    return render_template("admin/accounts.html", form=form, rows=rows, roles=ROLE_LABELS)


@bp.route("/accounts/new", methods=["GET", "POST"])
def account_new() -> Any:
    form = NewAccountForm()
    form.role.choices = [option(r, ROLE_LABELS[r]) for r in account_admin.CREATABLE_ROLES]
    form.unit_id.choices = _unit_choices(
        None if current_user.unit_id is not None else _l("Ingen enhet (hela installationen)")
    )
    status = 200
    if form.validate_on_submit():
        try:
            user = account_admin.create(
                current_user,
                account_admin.NewAccount(
                    role=form.role.data or "",
                    name=form.name.data or "",
                    email=form.email.data or "",
                    unit_id=_int(form.unit_id.data),
                    locale=form.locale.data or "sv",
                ),
                ip=request.remote_addr or "",
            )
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            flash(
                _("Kontot är skapat och en inbjudan är skickad till %(email)s.", email=user.email),
                "info",
            )
            return redirect(url_for("admin.account", user_id=user.id))
    elif request.method == "POST":
        status = 400
    return render_template("admin/account_new.html", form=form), status


@bp.route("/accounts/<int:user_id>")
def account(user_id: int) -> Any:
    from services import access

    user = access.account(current_user, user_id)
    return _account_page(user)


_DEFAULT = object()


def _account_page(
    user: Any, *, phone: Any = None, coordinator: Any = _DEFAULT, status: int = 200
) -> Any:
    """The account page with its two small forms (work phone, region coordination); a form
    given here is the one just submitted (with its errors), the other is shown fresh."""
    if phone is None:
        phone = PhoneForm(formdata=None, phone=user.phone)
    if coordinator is _DEFAULT:
        coordinator = _coordinator_form(user)
    return render_template(
        "admin/account.html",
        user=user,
        roles=ROLE_LABELS,
        locked=account_admin.is_locked(user, login_limits()),
        phone_form=phone,
        coordinator=coordinator,
    ), status


@bp.route("/accounts/<int:user_id>/coordinator", methods=["POST"])
def account_coordinator(user_id: int) -> Any:
    """An installation admin makes a unit's manager a region's coordinator (or none)."""
    from services import access

    user = access.account(current_user, user_id)
    form = _coordinator_form(user, request.form)
    if form is None:
        return _account_page(user, coordinator=None, status=403)
    seen = _int(request.form.get("seen_region_id"))
    if not form.validate_on_submit():
        return _account_page(user, coordinator=form, status=400)
    try:
        account_admin.set_coordinator(
            current_user,
            user.id,
            _int(form.region_id.data),
            seen=seen,
            ip=request.remote_addr or "",
        )
    except Invalid as exc:
        apply_errors(form, exc)
        status = 409 if isinstance(exc, account_admin.StaleCoordinator) else 400
        form.seen_region_id.data = str(user.coordinates_region_id or "")
        return _account_page(user, coordinator=form, status=status)
    flash(_("Samordningen är sparad."), "info")
    return redirect(url_for("admin.account", user_id=user.id)), 303


def _act(user_id: int, done: Any, message: str) -> Any:
    try:
        done()
    except Invalid as exc:
        for text in exc.errors.values():
            flash(_(text), "error")
        return redirect(url_for("admin.account", user_id=user_id)), 303
    flash(message, "info")
    return redirect(url_for("admin.account", user_id=user_id)), 303


@bp.route("/accounts/<int:user_id>/deactivate", methods=["POST"])
def account_deactivate(user_id: int) -> Any:
    ip = request.remote_addr or ""
    return _act(
        user_id,
        lambda: account_admin.set_active(current_user, user_id, False, ip=ip),
        _("Kontot är avstängt. Alla inloggningar är avslutade."),
    )


@bp.route("/accounts/<int:user_id>/reactivate", methods=["POST"])
def account_reactivate(user_id: int) -> Any:
    ip = request.remote_addr or ""
    return _act(
        user_id,
        lambda: account_admin.set_active(current_user, user_id, True, ip=ip),
        _("Kontot är aktivt igen."),
    )


@bp.route("/accounts/<int:user_id>/unlock", methods=["POST"])
def account_unlock(user_id: int) -> Any:
    ip = request.remote_addr or ""
    return _act(
        user_id,
        lambda: account_admin.unlock(current_user, user_id, login_limits(), ip=ip),
        _("Kontot är upplåst. Personen kan logga in igen."),
    )


@bp.route("/accounts/<int:user_id>/invite", methods=["POST"])
def account_invite(user_id: int) -> Any:
    ip = request.remote_addr or ""
    return _act(
        user_id,
        lambda: account_admin.resend_invitation(current_user, user_id, ip=ip),
        _("En ny inbjudan är skickad."),
    )


class PhoneForm(FlaskForm):
    phone = StringField(_l("Jobbtelefon"), validators=[Optional(), Length(max=40)])


@bp.route("/accounts/<int:user_id>/phone", methods=["POST"])
def account_phone(user_id: int) -> Any:
    from services import access

    user = access.account(current_user, user_id)
    form = PhoneForm()
    if form.validate_on_submit():
        try:
            account_admin.set_phone(
                current_user, user.id, form.phone.data or "", ip=request.remote_addr or ""
            )
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash(_("Telefonnumret är sparat."), "info")
            return redirect(url_for("admin.account", user_id=user.id)), 303
    return _account_page(user, phone=form, status=400)
