"""Admin pages: the URL table and the role gate."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("admin", __name__, url_prefix="/admin")
gate(bp, {"admin"})

from web.admin import views  # noqa: E402,F401
from web.admin import indicators  # noqa: E402,F401  (indicator set)
from web.admin import audit  # noqa: E402,F401
from web.admin import accessibility_reports, employers  # noqa: E402,F401  (portals)
