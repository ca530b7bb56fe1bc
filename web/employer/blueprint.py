"""Employer pages: the URL table and the role gate."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("employer", __name__, url_prefix="/employer")
gate(bp, {"employer"})

from web.employer import offers, views, workplaces  # noqa: E402,F401
from web.employer import candidates  # noqa: E402,F401  (the match workflow)
