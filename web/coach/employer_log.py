"""Coach: the employers the unit works with, each with its shared contact log and, for the
unit's own employers, how each offer is shared with other units (`services.sharing`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from models import Employer, Offer, Session, Unit
from services import access, contact_log, sharing
from services.validation import Invalid
from web.choices import option
from web.coach.blueprint import bp
from web.forms import CheckboxesField, apply_errors

CHANNEL_LABELS = {
    "phone": _l("Telefon"),
    "email": _l("E-post"),
    "meeting": _l("Möte"),
    "visit": _l("Besök på arbetsplatsen"),
    "other": _l("Annat"),
}
SHARING_LABELS = {
    "unit": _l("Bara vår enhet"),
    "partners": _l("Vår enhet och utvalda samarbetsenheter"),
    "region": _l("Alla enheter i regionen"),
}


class ContactForm(FlaskForm):
    contacted_on = DateField(_l("Datum"), validators=[InputRequired()])
    channel = SelectField(
        _l("Hur"), choices=[option(k, v) for k, v in CHANNEL_LABELS.items()], default="phone"
    )
    person = StringField(_l("Vem ni talade med"), validators=[Optional(), Length(max=200)])
    subject = TextAreaField(_l("Vad gällde det?"), validators=[DataRequired(), Length(max=2000)])


class SharingForm(FlaskForm):
    sharing = SelectField(
        _l("Vilka får använda platsen"),
        choices=[option(k, v) for k, v in SHARING_LABELS.items()],
    )
    partner_units = CheckboxesField(_l("Samarbetsenheter"), choices=[])
    seen = HiddenField()


def _sharing_form(offer: Offer, units: list[Unit], formdata: Any = None) -> SharingForm:
    form = SharingForm(formdata=formdata, prefix=f"o{offer.id}")
    form.partner_units.choices = [option(str(u.id), u.name) for u in units]
    setting, partners = sharing.current_sharing(offer)
    if formdata is None:
        form.sharing.data = setting
        form.partner_units.data = [str(u) for u in partners]
    form.seen.data = f"{setting}:{','.join(str(u) for u in partners)}"
    return form


def _seen(value: str | None) -> tuple[str, tuple[int, ...]] | None:
    setting, _sep, partners = (value or "").partition(":")
    try:
        return setting, tuple(int(u) for u in partners.split(",") if u)
    except ValueError:
        return None


@bp.route("/employers")
def employers() -> str:
    rows = Session.scalars(
        sharing.employers_shared_with(current_user.unit_id).order_by(Employer.name)
    ).all()
    return render_template("coach/employers.html", employers=rows)


def _page(employer: Employer, contact: ContactForm | None = None, failed: Any = None) -> str:
    own = employer.home_unit_id == current_user.unit_id
    offers = Session.scalars(
        sharing.offers_usable_by(current_user.unit_id)
        .options(joinedload(Offer.workplace))
        .where(Offer.employer_id == employer.id, Offer.status != "closed")
        .order_by(Offer.title, Offer.id)
    ).all()
    others = Session.scalars(
        select(Unit).where(Unit.id != current_user.unit_id).order_by(Unit.name)
    ).all()
    forms = {}
    if own:
        for o in offers:
            forms[o.id] = failed if failed is not None and failed.offer_id == o.id else None
            forms[o.id] = forms[o.id] or _sharing_form(o, list(others))
    if contact is None:
        contact = ContactForm()
        contact.contacted_on.data = date.today()
    home = Session.get(Unit, employer.home_unit_id) if employer.home_unit_id else None
    return render_template(
        "coach/employer.html",
        employer=employer,
        home=home,
        own=own,
        offers=offers,
        sharing_forms=forms,
        sharing_labels=SHARING_LABELS,
        contact_form=contact,
        entries=contact_log.entries(employer),
        channel_labels=CHANNEL_LABELS,
    )


@bp.route("/employers/<int:employer_id>")
def employer(employer_id: int) -> str:
    return _page(access.shared_employer(current_user, employer_id))


@bp.route("/employers/<int:employer_id>/contacts", methods=["POST"])
def employer_contact(employer_id: int) -> Any:
    found = access.shared_employer(current_user, employer_id)
    form = ContactForm()
    if form.validate_on_submit():
        data = contact_log.ContactData(
            contacted_on=form.contacted_on.data,
            channel=form.channel.data,
            person=form.person.data or "",
            subject=form.subject.data or "",
        )
        try:
            contact_log.add(current_user, found, data)
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash(_l("Kontakten är sparad i loggen."), "info")
            return redirect(url_for("coach.employer", employer_id=found.id) + "#log-h"), 303
    return _page(found, contact=form), 400


@bp.route("/offers/<int:offer_id>/sharing", methods=["POST"])
def offer_sharing(offer_id: int) -> Any:
    offer = access.offer_to_share(current_user, offer_id)
    others = Session.scalars(
        select(Unit).where(Unit.id != current_user.unit_id).order_by(Unit.name)
    ).all()
    form = SharingForm(prefix=f"o{offer.id}")
    form.partner_units.choices = [option(str(u.id), u.name) for u in others]
    status = 400
    if form.validate_on_submit():
        try:
            sharing.set_sharing(
                current_user,
                offer,
                form.sharing.data,
                [int(u) for u in form.partner_units.data or []],
                seen=_seen(form.seen.data),
            )
        except Invalid as exc:
            apply_errors(form, exc)
            status = 409 if isinstance(exc, sharing.StaleSharing) else 400
        else:
            flash(_l("Delningen av %(title)s är sparad.", title=offer.title), "info")
            return redirect(url_for("coach.employer", employer_id=offer.employer_id)), 303
    form.offer_id = offer.id  # type: ignore[attr-defined]
    setting, partners = sharing.current_sharing(offer)
    form.seen.data = f"{setting}:{','.join(str(u) for u in partners)}"
    employer = Session.get(Employer, offer.employer_id)
    return _page(employer, failed=form), status  # type: ignore[arg-type]
