"""Coach pages: the URL table and the role gate. Handlers live in the modules imported below."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("coach", __name__, url_prefix="/coach")
gate(bp, {"coach"})

from web.coach import views  # noqa: E402,F401  (registers the routes)
from web.coach import plan, progression  # noqa: E402,F401  (plans and progression)
from web.coach import placements, suggestions  # noqa: E402,F401  (the match workflow)
from web.coach import employers, participants  # noqa: E402,F401  (profiles, employer review)
