"""Who calls (a bearer token, or the signed-in session of a page), the one error shape, and the
audit of every call made with a token."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from flask import Blueprint as FlaskBlueprint
from flask import Flask, current_app, g, request
from flask_login import current_user
from flask_smorest import Blueprint
from flask_wtf.csrf import CSRFError
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException, NotFound

from models import Session
from services import access, api_tokens, audit
from services.access import AccessDenied
from services.validation import Invalid
from services.workflow import WorkflowError

log = logging.getLogger(__name__)

MAX_ID = 2**31 - 1
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "rate_limited",
    500: "server_error",
}


def error(status: int, message: str, field: str | None = None, code: str | None = None) -> Any:
    body = {
        "error": {"code": code or CODES.get(status, "error"), "message": message, "field": field}
    }
    headers = {"WWW-Authenticate": 'Bearer realm="platsmatch"'} if status == 401 else {}
    return body, status, headers


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def rate_key() -> str:
    """Each token has its own allowance; a page session its user's; otherwise the address."""
    secret = _bearer()
    if secret:
        return "t:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
    if current_user.is_authenticated:
        return f"u:{current_user.id}"
    return "ip:" + (request.remote_addr or "")


def api_user() -> Any:
    return g.api_user


class StrictBlueprint(Blueprint):
    """Query parameters the document does not list are refused (422), as the document says:
    webargs would otherwise drop them silently and answer as if they were not there."""

    ARGUMENTS_PARSER = FlaskParser(unknown=RAISE)


def blueprint(app: Flask) -> Blueprint:
    bp = StrictBlueprint(
        "api_v1",
        __name__,
        url_prefix="/api/v1",
        description="Employers, workplaces, offers, participants, suggestions, decisions, placements, figures.",
    )

    @bp.before_request
    def authenticate() -> Any:
        g.api_token = None
        g.api_user = None
        if any(isinstance(v, int) and v > MAX_ID for v in (request.view_args or {}).values()):
            return error(404, "Not found.")  # no row has such an id; the database would overflow
        secret = _bearer()
        if secret is not None:
            token = api_tokens.authenticate(secret)
            if token is None:
                return error(401, "The token is unknown, revoked or expired.")
            g.api_token, g.api_user = token, token.user
            _resolve_ids()
            return None
        if current_user.is_authenticated:
            # the pages' own JavaScript may call the API with the session; then CSRF applies
            unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
            if unsafe and current_app.config.get("WTF_CSRF_ENABLED", True):
                from web import csrf

                csrf.protect()
            g.api_user = current_user._get_current_object()
        else:
            return error(401, "Send an API token: Authorization: Bearer <token>.")
        _resolve_ids()
        return None

    @bp.after_request
    def audit_call(response: Any) -> Any:
        token = g.get("api_token")
        if token is not None:
            try:
                if response.status_code >= 400:
                    Session.rollback()
                api_tokens.touch(token)
                audit.record(
                    "api.call",
                    actor=token.user,
                    subject=token,
                    details={
                        "method": request.method,
                        "path": request.path[:300],
                        "status": response.status_code,
                    },
                    ip=request.remote_addr or "",
                )
                Session.commit()
            except Exception:  # noqa: BLE001 - an answer already made is not turned into a 500
                log.exception("could not audit API call")
                Session.rollback()
        return response

    @bp.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Any:
        Session.rollback()
        status = err.code or 500
        data = getattr(err, "data", None) or {}
        if status == 422 and data.get("messages"):
            location, fields = next(iter(data["messages"].items()))
            field, messages = (
                next(iter(fields.items())) if isinstance(fields, dict) else (location, fields)
            )
            text = messages if isinstance(messages, str) else _first(messages)
            return error(422, f"{location}.{field}: {text}", str(field))
        if status == 429:
            return error(429, f"Too many calls: {err.description}")
        message = err.description or err.name
        if isinstance(err, CSRFError):
            message = "A signed-in page call needs its CSRF token (X-CSRFToken)."
        return error(status, str(message))

    # By code too: the app's own handlers by code (its error pages) come before any by class.
    for status in CODES:
        if status != 500:
            bp.register_error_handler(status, http_error)

    @bp.errorhandler(AccessDenied)
    def access_denied(err: AccessDenied) -> Any:
        Session.rollback()
        return error(err.status, "Not found." if err.secret else "Not allowed.")

    @bp.errorhandler(PermissionError)
    def permission_error(_err: PermissionError) -> Any:
        Session.rollback()
        return error(403, "Not allowed.")

    @bp.errorhandler(LookupError)
    def lookup_error(err: LookupError) -> Any:
        if isinstance(err, KeyError | IndexError):
            raise err
        Session.rollback()
        return error(404, "Not found.")

    @bp.errorhandler(WorkflowError)
    def workflow_error(err: WorkflowError) -> Any:
        Session.rollback()
        return error(409, str(err.message) % err.params if err.params else str(err.message))

    @bp.errorhandler(Invalid)
    def invalid(err: Invalid) -> Any:
        Session.rollback()
        field, message = next(iter(err.errors.items()))
        return error(422, _translated(message), field)

    @bp.errorhandler(500)
    def server_error(_err: Any) -> Any:
        Session.rollback()
        return error(500, "Something went wrong on our side; it has been logged.")

    def unknown(rest: str) -> Any:
        """Anything under /api/v1 that is not an operation: 405 when the path exists with
        another method, else 404, in the API's error shape."""
        adapter = current_app.url_map.bind("localhost")
        allowed: list[str] = []
        found: dict[str, Any] = {}
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            try:
                endpoint, args = adapter.match(request.path, method=method)
            except HTTPException:
                continue
            if endpoint not in ("api_v1.unknown", "api_v1.root"):
                allowed.append(method)
                found = args
        if allowed:
            for name, value in found.items():  # a row the caller cannot see: 404 before 405
                if name in RESOLVERS:
                    RESOLVERS[name](g.api_user, value)
            body, status, headers = error(405, f"Use {', '.join(allowed)}.")
            return body, status, {**headers, "Allow": ", ".join(allowed)}
        raise NotFound("No such operation.")

    # Flask's own add_url_rule: these catch-alls are not operations of the document
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    FlaskBlueprint.add_url_rule(bp, "/<path:rest>", "unknown", unknown, methods=methods)
    FlaskBlueprint.add_url_rule(bp, "/", "root", unknown, defaults={"rest": ""}, methods=methods)
    return bp


RESOLVERS = {
    "participant_id": access.participant,
    "match_id": access.match,
    "offer_id": access.offer,
}


def _resolve_ids() -> None:
    """Every id in the URL goes through `services.access` before the body is even read, so a
    row of another unit answers 404 whatever else is wrong with the call (no existence oracle)."""
    from web.api.v1.resources import check_role

    check_role(request.endpoint or "", request.method, g.api_user)
    for name, value in (request.view_args or {}).items():
        resolver = RESOLVERS.get(name)
        if resolver is not None:
            resolver(g.api_user, value)


def _first(messages: Any) -> str:
    while isinstance(messages, list | dict):
        if not messages:
            return "invalid"
        messages = messages[0] if isinstance(messages, list) else next(iter(messages.values()))
    return str(messages)


def _translated(message: str) -> str:
    from flask_babel import gettext

    return gettext(message)
