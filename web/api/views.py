"""Small JSON endpoints the pages poll."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from models import JobRun, Session
from web.api.blueprint import bp


@bp.route("/me")
def me() -> dict[str, object]:
    return {"id": current_user.id, "role": current_user.role, "name": current_user.name}


@bp.route("/jobs/<job_id>")
def job(job_id: str) -> dict[str, object]:
    """Progress of a background job; only the person who started it (or an admin) may see it."""
    run = Session.get(JobRun, job_id[:64])
    if run is None or (run.requested_by_id != current_user.id and current_user.role != "admin"):
        abort(404)
    return {
        "id": run.id,
        "title": run.title,
        "status": run.status,
        "progress": run.progress,
        "message": run.message,
    }
