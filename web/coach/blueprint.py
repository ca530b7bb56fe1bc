"""Coach pages: the URL table and the role gate. Handlers live in the modules imported below."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("coach", __name__, url_prefix="/coach")
gate(bp, {"coach"})

# The view modules register their routes on `bp` when imported.
from web.coach import (  # noqa: E402,F401
    employers,  # noqa: F401
    participants,  # noqa: F401
    placements,  # noqa: F401
    plan,  # noqa: F401
    progression,  # noqa: F401
    suggestions,  # noqa: F401
    views,  # noqa: F401
)
