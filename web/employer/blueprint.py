"""Employer pages: the URL table and the role gate."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("employer", __name__, url_prefix="/employer")
gate(bp, {"employer"})

# The view modules register their routes on `bp` when imported.
from web.employer import (  # noqa: E402,F401
    candidates,  # noqa: F401
    offers,  # noqa: F401
    views,  # noqa: F401
    workplaces,  # noqa: F401
)
