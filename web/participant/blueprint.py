"""Participant portal: the URL table and the role gate."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("participant", __name__, url_prefix="/me")
gate(bp, {"participant"})

from web.participant import views  # noqa: E402,F401
from web.participant import assessment  # noqa: E402,F401  (self-assessment)
from web.participant import proposals  # noqa: E402,F401  (the match workflow)
from web.participant import mydata  # noqa: E402,F401  (plan, my data, corrections)
