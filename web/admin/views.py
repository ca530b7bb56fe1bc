"""Admin home: units and accounts at a glance."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from models import Employer, Offer, Participant, Session, Unit, User
from web.admin.blueprint import bp


@bp.route("/")
def home() -> str:
    counts = {
        "units": Session.scalar(select(func.count(Unit.id))),
        "users": Session.scalar(select(func.count(User.id))),
        "employers": Session.scalar(select(func.count(Employer.id))),
        "offers": Session.scalar(select(func.count(Offer.id))),
        "participants": Session.scalar(select(func.count(Participant.id))),
    }
    units = Session.scalars(select(Unit).order_by(Unit.name)).all()
    return render_template("admin/home.html", counts=counts, units=units)
