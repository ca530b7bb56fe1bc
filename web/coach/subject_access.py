"""Coach: a participant's data export for a subject access request (JSON, HTML, PDF)."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from services import access
from web import subject_access
from web.coach.blueprint import bp


@bp.route("/participants/<int:participant_id>/export.<fmt>")
def participant_export(participant_id: int, fmt: str) -> object:
    # The export holds name and address: a protected identity's own coach only.
    p = access.participant(current_user, participant_id, identity=True)
    return subject_access.respond(
        p, fmt, url_for("coach.participant", participant_id=participant_id)
    )
