"""Admin: API tokens for people and integrations; made and revoked here, the secret shown once."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from models import Session, Unit
from services import api_tokens
from services.validation import Invalid
from web.admin.blueprint import bp


class TokenForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(_l("Ge nyckeln ett namn."))])
    kind = SelectField(
        _l("Typ"),
        choices=[
            SelectChoice("user", _l("Personlig: agerar som en användare")),
            SelectChoice("integration", _l("Integration: ett eget konto")),
        ],
    )
    user_id = SelectField(_l("Användare (personlig nyckel)"), coerce=int, validate_choice=False)
    role = SelectField(
        _l("Roll (integration)"),
        choices=[SelectChoice("coach", _l("Coach")), SelectChoice("admin", _l("Administratör"))],
    )
    unit_id = SelectField(_l("Enhet (integration)"), coerce=int, validate_choice=False)
    days = IntegerField(
        _l("Antal dagar nyckeln gäller"),
        default=90,
        validators=[InputRequired(_l("Skriv antal dagar.")), NumberRange(min=1, max=3650)],
    )


def _fill_choices(form: TokenForm) -> None:
    form.user_id.choices = [SelectChoice(0, _("Välj"))] + [
        SelectChoice(u.id, f"{u.name} ({u.email})")
        for u in api_tokens.users_for_tokens(current_user)
    ]
    units = select(Unit).order_by(Unit.name)
    if current_user.unit_id is not None:
        units = units.where(Unit.id == current_user.unit_id)
    choices = (
        []
        if current_user.unit_id is not None
        else [SelectChoice(0, _("Ingen (hela installationen)"))]
    )
    form.unit_id.choices = choices + [SelectChoice(u.id, u.name) for u in Session.scalars(units)]


@bp.route("/api-tokens", methods=["GET", "POST"])
def api_tokens_page() -> Any:
    form = TokenForm()
    _fill_choices(form)
    secret = None
    if form.validate_on_submit():
        try:
            token, secret = api_tokens.create(
                current_user,
                name=form.name.data or "",
                kind=form.kind.data,
                days=form.days.data,
                max_days=current_app.config["API_TOKEN_MAX_DAYS"],
                user_id=form.user_id.data or None,
                role=form.role.data,
                unit_id=form.unit_id.data or None,
            )
        except Invalid as exc:
            for name, message in exc.errors.items():
                field = getattr(form, name, form.name)
                field.errors = [*field.errors, _(message)]
        else:
            flash(
                _(
                    "Nyckeln %(name)s är skapad. Kopiera den nu: den visas bara en gång.",
                    name=token.name,
                ),
                "info",
            )
    status = 400 if form.errors else 200
    return render_template(
        "admin/api_tokens.html",
        form=form,
        secret=secret,
        tokens=api_tokens.visible_tokens(current_user),
    ), status


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["POST"])
def api_token_revoke(token_id: int) -> Any:
    token = api_tokens.revoke(current_user, token_id)
    flash(_("Nyckeln %(name)s är återkallad.", name=token.name), "info")
    return redirect(url_for("admin.api_tokens_page")), 303
