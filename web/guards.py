"""Input every page refuses before any view sees it.

A NUL character cannot be stored in PostgreSQL text (it would be a server error deep in a
commit) and has no business in a form or a query string, so any request carrying one gets a 400.
Installed app-wide by the app factory (`web.create_app`).
"""

from __future__ import annotations

from flask import Flask, abort, request


def refuse_nul() -> None:
    values = [*request.args.values(), *request.args.keys()]
    if request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        values += [
            *request.form.keys(),
            *(v for k in request.form for v in request.form.getlist(k)),
        ]
    if any("\x00" in v for v in values):
        abort(400)


def install(app: Flask) -> None:
    app.before_request(refuse_nul)
