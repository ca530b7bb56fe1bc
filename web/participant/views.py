"""Participant home: the workplaces proposed to me."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from models import Match, Participant, Session
from web.participant.blueprint import bp

VISIBLE_TO_PARTICIPANT = (
    "proposed",
    "interested",
    "declined",
    "accepted",
    "employer_declined",
    "placement_planned",
    "ongoing",
    "completed",
    "ended_early",
)


def me() -> Participant:
    participant = Session.scalar(select(Participant).where(Participant.user_id == current_user.id))
    if participant is None:
        abort(404)
    return participant


@bp.route("/")
def home() -> str:
    participant = me()
    proposals = Session.scalars(
        select(Match)
        .where(Match.participant_id == participant.id, Match.status.in_(VISIBLE_TO_PARTICIPANT))
        .order_by(Match.proposed_at.desc())
    ).all()
    return render_template("participant/home.html", participant=participant, proposals=proposals)
