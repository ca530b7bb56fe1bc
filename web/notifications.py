"""Notifications: every signed-in user's list, and the unread count shown in the navigation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from services import messages, notifications
from web.access import gate

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
gate(bp, {"admin", "coach", "employer", "participant"})
PAGE_SIZE = 30


@bp.app_context_processor
def _unread() -> dict[str, Any]:
    def unread_notifications() -> int:
        if not getattr(current_user, "is_authenticated", False):
            return 0
        return notifications.unread_count(current_user)

    return {"unread_notifications": unread_notifications}


@bp.route("/")
def index() -> str:
    page = max(1, request.args.get("page", 1, type=int) or 1)
    rows = notifications.for_user(current_user, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    html = render_template(
        "notifications.html",
        rows=[(n, notifications.render(n)) for n in rows[:PAGE_SIZE]],
        page=page,
        more=len(rows) > PAGE_SIZE,
    )
    messages.mark_shown(current_user, rows[:PAGE_SIZE])  # a coach's message, shown in full
    return html


@bp.post("/read")
def read_all() -> Any:
    notifications.mark_read(current_user)
    return redirect(url_for("notifications.index"))


@bp.post("/<int:notification_id>/open")
def open_one(notification_id: int) -> Any:
    """Mark one read and go to what it is about (only the user's own; others are 404)."""
    note = next(
        (n for n in notifications.for_user(current_user, limit=500) if n.id == notification_id),
        None,
    )
    if note is None:
        abort(404)
    notifications.mark_read(current_user, note.id)
    target = note.link if note.link.startswith("/") and not note.link.startswith("//") else ""
    return redirect(target or url_for("notifications.index"))
