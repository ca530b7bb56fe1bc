"""Employer home: the organisation's state (verified or not), its offers and workplaces."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from models import Employer, Session
from services import employers, offers
from web.employer.blueprint import bp
from web.employer.forms import OrganisationForm


def my_employer() -> Employer:
    employer = Session.get(Employer, current_user.employer_id or 0)
    if employer is None:
        abort(404)
    return employer


@bp.route("/")
def home() -> str:
    employer = my_employer()
    mine = offers.offers_of(employer.id)
    return render_template(
        "employer/home.html",
        employer=employer,
        offers=mine,
        drafts=sum(1 for o in mine if o.status == "draft"),
        workplaces=employers.workplaces_of(employer.id),
    )


@bp.route("/organisation", methods=["GET", "POST"])
def organisation() -> object:
    employer = my_employer()
    form = OrganisationForm(
        data={
            "org_name": employer.name,
            "description": employer.description,
            "contact_name": employer.contact_name,
            "contact_phone": employer.contact_phone,
        }
    )
    status = 200
    if form.validate_on_submit():
        employers.update_profile(
            current_user,
            employers.Registration(
                name=form.org_name.data or "",
                org_number=employer.org_number,
                contact_name=form.contact_name.data or "",
                contact_email=employer.contact_email,
                password="",
                contact_phone=form.contact_phone.data or "",
                description=form.description.data or "",
            ),
        )
        flash(_l("Uppgifterna är sparade."), "info")
        return redirect(url_for("employer.home"))
    if form.is_submitted():
        status = 400
    return render_template("employer/organisation.html", form=form, employer=employer), status
