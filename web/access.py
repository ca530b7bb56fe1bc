"""The one role gate each audience's blueprint installs in `before_request`."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

HOME_ENDPOINT = {
    "admin": "admin.home",
    "coach": "coach.home",
    "employer": "employer.home",
    "participant": "participant.home",
}


def gate(bp: Blueprint, roles: Iterable[str]) -> None:
    allowed = frozenset(roles)

    @bp.before_request
    def _require_role() -> object:
        if not current_user.is_authenticated:
            if request.path.startswith("/api/"):
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if current_user.role not in allowed:
            abort(403)
        return None


def home_url(user: object) -> str:
    return url_for(HOME_ENDPOINT.get(getattr(user, "role", ""), "public.index"))
