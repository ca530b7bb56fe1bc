"""Coach home (with the rapid-start indicators) and caseload."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from models import Participant, Session
from services import rapid_start
from web.coach.blueprint import bp


def caseload_query():
    """A coach sees the participants of their own unit (the caseload is theirs; colleagues' too,
    because a unit covers for absent coaches)."""
    return select(Participant).where(Participant.unit_id == current_user.unit_id)


def get_participant_or_404(participant_id: int) -> Participant:
    participant = Session.get(Participant, participant_id)
    if participant is None or participant.unit_id != current_user.unit_id:
        abort(404)
    return participant


@bp.route("/")
def home() -> str:
    mine = Session.scalars(
        caseload_query()
        .where(Participant.coach_id == current_user.id, Participant.exited_on.is_(None))
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    return render_template(
        "coach/home.html",
        participants=mine,
        indicators=rapid_start.for_coach(current_user.id, current_user.unit_id),
        goal_weeks=(rapid_start.GOAL_DAYS // 7, rapid_start.LATEST_DAYS // 7),
    )
