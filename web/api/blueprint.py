"""JSON API for signed-in users (typeahead, job progress). Same session login, CSRF-exempt GETs."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("api", __name__, url_prefix="/api")
gate(bp, {"admin", "coach", "employer", "participant"})

from web.api import views, vocab  # noqa: E402,F401
