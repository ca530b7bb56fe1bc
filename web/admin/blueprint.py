"""Admin pages: the URL table and the role gate."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("admin", __name__, url_prefix="/admin")
gate(bp, {"admin"})

# The view modules register their routes on `bp` when imported.
from web.admin import (  # noqa: E402,F401
    accessibility_reports,  # noqa: F401
    accounts,  # noqa: F401
    api_tokens,  # noqa: F401
    audit,  # noqa: F401
    employers,  # noqa: F401
    imports,  # noqa: F401
    indicators,  # noqa: F401
    planning,  # noqa: F401
    refresh,  # noqa: F401
    units,  # noqa: F401
    views,  # noqa: F401
)
