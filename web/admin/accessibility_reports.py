"""Admin: the accessibility problems people reported, and closing them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from services import feedback
from web.admin.blueprint import bp


@bp.route("/accessibility-reports")
def accessibility_reports() -> str:
    return render_template("admin/accessibility_reports.html", reports=feedback.open_reports())


@bp.route("/accessibility-reports/<int:report_id>/close", methods=["POST"])
def accessibility_report_close(report_id: int) -> object:
    if feedback.close(current_user, report_id) is None:
        abort(404)
    flash(_l("Rapporten är markerad som åtgärdad."), "info")
    return redirect(url_for("admin.accessibility_reports")), 303
