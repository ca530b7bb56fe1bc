"""Coach pages: the blueprint and its role gate. The package imports the handler modules."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("coach", __name__, url_prefix="/coach")
gate(bp, {"coach"})
