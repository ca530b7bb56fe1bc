"""Pages anyone can see: the front door, the accessibility statement, language choice."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user

from models import Session
from web import LANGUAGES, limiter
from web.access import home_url

bp = Blueprint("public", __name__)


@bp.route("/")
def index() -> object:
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/tillganglighet", methods=["GET", "POST"])
@limiter.limit(lambda: str(current_app.config["PUBLIC_FORM_RATE_LIMIT"]), methods=["POST"])
def accessibility() -> object:
    from web.accessibility import statement  # the statement and its report form

    return statement()


@bp.route("/language", methods=["POST"])
def language() -> object:
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        return render_template("error.html", code=400, message=gettext("Okänt språk.")), 400
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.locale = lang
        Session.commit()
    target = request.form.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    return redirect(target)


@bp.route("/healthz")
def healthz() -> object:
    from sqlalchemy import text

    Session.execute(text("SELECT 1"))
    return {"status": "ok"}
