"""Coach home (with the rapid-start indicators) and caseload."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from models import Participant, Session
from services import access, rapid_start, suggestion_queue
from web.coach.blueprint import bp


def get_participant_or_404(participant_id: int) -> Participant:
    """Kept for the pages that import it by this name; the rule is `services.access`."""
    return access.participant(current_user, participant_id)


@bp.route("/")
def home() -> str:
    mine = Session.scalars(
        access.visible_participants(current_user)
        .where(Participant.coach_id == current_user.id, Participant.exited_on.is_(None))
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    return render_template(
        "coach/home.html",
        participants=mine,
        indicators=rapid_start.for_coach(current_user.id, current_user.unit_id),
        goal_weeks=(rapid_start.GOAL_DAYS // 7, rapid_start.LATEST_DAYS // 7),
        suggested_count=suggestion_queue.queue(
            current_user, suggestion_queue.QueueFilter(mine=True)
        ).total,
    )
