"""Report pages for coaches (own caseload) and admins (their unit, or every unit)."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("reports", __name__, url_prefix="/reports")
gate(bp, {"coach", "admin"})

from web.reports import esf, views  # noqa: E402,F401  (registers the routes)
