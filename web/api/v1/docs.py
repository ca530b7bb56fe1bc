"""A readable page of the API, made from the same OpenAPI document (no script, no CDN)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template


def blueprint() -> Blueprint:
    bp = Blueprint("api_docs_page", __name__)

    @bp.route("/api/v1/docs")
    def page() -> Any:
        spec = current_app.extensions["api_v1"].spec.to_dict()
        operations = []
        for path, item in spec.get("paths", {}).items():
            for method, op in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    operations.append((path, method.upper(), op))
        return render_template("api/docs.html", spec=spec, operations=operations)

    return bp
