"""Coach home (with the rapid-start indicators) and caseload."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from models import Participant
from services import access, rapid_start, suggestion_queue
from web.coach.blueprint import bp


def get_participant_or_404(participant_id: int) -> Participant:
    """Kept for the pages that import it by this name; the rule is `services.access`."""
    return access.participant(current_user, participant_id)


@bp.route("/")
def home() -> str:
    """The rapid-start figures (counted in SQL) and one page of the coach's caseload."""
    page = request.args.get("page", 1, type=int) or 1
    return render_template(
        "coach/home.html",
        indicators=rapid_start.for_coach(current_user.id, current_user.unit_id, page=page),
        goal_weeks=(rapid_start.GOAL_DAYS // 7, rapid_start.LATEST_DAYS // 7),
        suggested_count=suggestion_queue.count(
            current_user, suggestion_queue.QueueFilter(mine=True)
        ),
        suggested_cap=suggestion_queue.COUNT_CAP,
    )
