"""Participant home: a few big links in plain words, with what is waiting for me."""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select

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
    """The signed-in participant's own row; there is no way to ask for anyone else's."""
    participant = Session.scalar(select(Participant).where(Participant.user_id == current_user.id))
    if participant is None:
        abort(404)
    return participant


def has_page(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


@bp.route("/")
def home() -> str:
    participant = me()
    waiting = Session.scalar(
        select(func.count(Match.id)).where(
            Match.participant_id == participant.id, Match.status == "proposed"
        )
    )
    return render_template(
        "participant/home.html",
        participant=participant,
        waiting=waiting or 0,
        has_proposals=has_page("participant.proposals"),
        has_assessment=has_page("participant.assessment"),
    )
