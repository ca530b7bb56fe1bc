"""Input every page refuses before any view sees it.

A NUL character cannot be stored in PostgreSQL text (it would be a server error deep in a
commit) and has no business in a form, a query string or a JSON body, so any request carrying one gets a
400.
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
    if request.method in ("POST", "PUT", "PATCH") and request.is_json:
        raw = request.get_data(cache=True)  # the API reads the same cached bytes afterwards
        if b"\\u0000" in raw or b"\x00" in raw:
            abort(400, "Text may not contain the NUL character (\\u0000).")


def install(app: Flask) -> None:
    app.before_request(refuse_nul)
