"""Participant home: a few big links in plain words, with what is waiting for me."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select

from models import Match, Participant, Session
from services import access, messages
from web.participant.blueprint import bp


def me() -> Participant:
    """The signed-in participant's own row (`access.own_participant`)."""
    return access.own_participant(current_user)


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
    shown = messages.for_participant(current_user)
    page = render_template(
        "participant/home.html",
        participant=participant,
        waiting=waiting or 0,
        has_proposals=has_page("participant.proposals"),
        has_assessment=has_page("participant.assessment"),
        messages=shown,
    )
    messages.mark_shown(current_user, shown)  # shown in full: the coach sees them as read
    return page
