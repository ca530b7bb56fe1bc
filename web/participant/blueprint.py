"""Participant portal: the URL table and the role gate."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("participant", __name__, url_prefix="/me")
gate(bp, {"participant"})

# The view modules register their routes on `bp` when imported.
from web.participant import (  # noqa: E402,F401
    assessment,  # noqa: F401
    mydata,  # noqa: F401
    proposals,  # noqa: F401
    views,  # noqa: F401
)
