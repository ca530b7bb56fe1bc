"""Employer home: the offers of the contact's own employer."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from models import Offer, Session
from web.employer.blueprint import bp


@bp.route("/")
def home() -> str:
    offers = Session.scalars(
        select(Offer).where(Offer.employer_id == current_user.employer_id).order_by(Offer.title)
    ).all()
    return render_template("employer/home.html", offers=offers, employer=current_user.employer)
