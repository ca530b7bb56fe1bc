"""Participant portal: the blueprint and its role gate. The package imports the handler modules."""

from flask import Blueprint

from web.access import gate

bp = Blueprint("participant", __name__, url_prefix="/me")
gate(bp, {"participant"})
