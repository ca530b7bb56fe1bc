"""Admin: planning rounds for a unit's manager and a region's coordinator. The views are the
coach's (`web.coach.planning`), registered here behind the admin gate; they build their links
for this blueprint, and a manager's or coordinator's approval refers the lines to the coaches.
An installation admin (no unit) has no unit to plan for: 404."""

from __future__ import annotations

from web.admin.blueprint import bp
from web.coach import planning as views

bp.add_url_rule("/planning", view_func=views.planning_rounds, methods=["GET", "POST"])
bp.add_url_rule("/planning/<int:round_id>", view_func=views.planning_round)
bp.add_url_rule(
    "/planning/<int:round_id>/approve", view_func=views.planning_approve, methods=["POST"]
)
bp.add_url_rule(
    "/planning/<int:round_id>/lines/<int:line_id>",
    view_func=views.planning_line,
    methods=["GET", "POST"],
)
