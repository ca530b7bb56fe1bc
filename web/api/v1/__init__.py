"""The integration API `/api/v1`: JSON over HTTPS with a bearer token, described by an OpenAPI 3
document generated from the code (flask-smorest: marshmallow schemas + apispec).

Everything an API call may see or do is decided by the same services and `services.access` as
the pages, acting as the token's user. Errors have one shape, `{"error": {"code", "message",
"field"}}`, answered here inside the API's own blueprint so the pages keep their own error pages.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_limiter import Limiter
from flask_smorest import Api as SmorestApi

from web.api.v1.schemas import ErrorSchema

PREFIX = "/api/v1"


class Api(SmorestApi):
    """flask-smorest's Api, with our error schema in the document and without its app-wide
    error handler (the API blueprint answers its own errors, the pages theirs)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        return None


def init_app(app: Flask) -> None:
    from web import csrf
    from web.api.v1 import base, docs, resources

    app.config.update(
        API_TITLE="Platsmatch API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        RATELIMIT_STORAGE_URI=app.config.get("REDIS_URL") or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
    )
    api = Api()
    limiter = Limiter(
        key_func=base.rate_key, default_limits=[], storage_uri=app.config["RATELIMIT_STORAGE_URI"]
    )
    spec: dict[str, Any] = {
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "info": {"description": "See /api/v1/docs and docs/api.md."},
    }
    api.init_app(app, spec_kwargs=spec)
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "An API token from an admin"},
    )
    limiter.init_app(app)
    bp = base.blueprint(app)
    resources.register(bp)
    csrf.exempt(bp)  # a token is not a cookie; a session caller is checked in base.authenticate
    limiter.limit(lambda: app.config["API_RATE_LIMIT"], key_func=base.rate_key)(bp)
    api.register_blueprint(bp)
    app.register_blueprint(docs.blueprint())
    app.extensions["api_v1"] = api
