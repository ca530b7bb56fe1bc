"""The Flask application: `create_app()` builds it; importing this package does nothing else."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, render_template, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.routing import IntegerConverter

from web import settings

csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
# Rate limits on the forms anyone can post (storage: RATELIMIT_STORAGE_URI, see settings).
limiter = Limiter(key_func=get_remote_address, default_limits=[])

LANGUAGES = ("sv", "en")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    import models
    from services import queue

    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings.load())
    if test_config:
        app.config.update(test_config)
    settings.check(app.config)
    try:
        models.crypto.configure(
            app.config["PERSONNUMMER_KEYS"], app.config["PERSONNUMMER_HASH_KEY"]
        )
    except ValueError as exc:
        raise settings.ConfigError(str(exc)) from None
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)

    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        from pathlib import Path

        Path(app.config["DATABASE_URL"].removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    if not app.config.get("TESTING_ENGINE_CONFIGURED"):
        models.configure(app.config["DATABASE_URL"])

    queue.configure(
        mode=app.config["JOBS_MODE"],
        redis_url=app.config["REDIS_URL"],
        queue_name=app.config["RQ_QUEUE"],
        timeout=app.config["JOB_TIMEOUT"],
        wrap=lambda fn: _in_app_context(app, fn),
    )

    csrf.init_app(app)
    limiter.init_app(app)
    from services import throttle

    throttle.configure(str(app.config["RATELIMIT_STORAGE_URI"]), str(app.config["SECRET_KEY"]))
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_user(user_id: str) -> models.User | None:
        from services import accounts

        return accounts.user_for_session(user_id)

    # Ids in URLs stay within the database's integer: a larger one is a plain 404, never a
    # PostgreSQL "integer out of range" error. Set before any blueprint adds its rules.
    app.url_map.converters["int"] = DatabaseIntConverter

    from web import choices, filters, guards
    from web.admin.blueprint import bp as admin_bp
    from web.api.blueprint import bp as api_bp
    from web.auth import bp as auth_bp
    from web.auth import install_session_checks
    from web.cli import register_cli
    from web.coach.blueprint import bp as coach_bp
    from web.employer.blueprint import bp as employer_bp
    from web.employer.signup import bp as signup_bp
    from web.participant.blueprint import bp as participant_bp
    from web.public import bp as public_bp
    from web.reports.blueprint import bp as reports_bp

    install_session_checks(app)
    for bp in (public_bp, auth_bp, coach_bp, employer_bp, participant_bp, admin_bp, api_bp):
        app.register_blueprint(bp)
    app.register_blueprint(reports_bp)  # coach and admin reports (issue 7)
    app.register_blueprint(signup_bp)  # public employer registration, outside the employer gate
    from web.supervisor import bp as supervisor_bp

    app.register_blueprint(supervisor_bp)  # supervisors' one-time assessment links (issue 13)
    from web.notifications import bp as notifications_bp

    app.register_blueprint(notifications_bp)  # every role's notifications (issue 5)
    from web.api import v1 as api_v1

    api_v1.init_app(app)  # the integration API /api/v1 with its OpenAPI document (issue 15)
    guards.install(app)  # app-wide: every request, before any blueprint's role gate
    filters.register(app)
    choices.register(app)
    register_cli(app)

    @app.before_request
    def _forget_unsent_jobs() -> None:
        queue.not_sent().clear()

    @app.before_request
    def _remember_language() -> None:
        lang = request.args.get("lang")
        if lang in LANGUAGES:
            session["lang"] = lang

    @app.after_request
    def _security_headers(response: Any) -> Any:
        return security_headers(app, response)

    @app.teardown_request
    def _run_sync_jobs(exc: BaseException | None) -> None:
        if exc is None and app.config["JOBS_MODE"] == "sync":
            queue.run_ready()

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        models.Session.remove()

    @app.errorhandler(CSRFError)
    def _csrf_error(err: CSRFError) -> Any:
        # flask-wtf's own description is English ("The CSRF token is missing."): say it in
        # the reader's words instead.
        from flask_babel import gettext

        message = gettext("Sidan har varit öppen för länge. Ladda om sidan och försök igen.")
        return render_template("error.html", code=400, message=message), 400

    for code in (400, 401, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page(code))
    _refusals(app)

    return app


def _refusals(app: Flask) -> None:
    """A refusal raised below a view is answered like `abort()`: `AccessDenied` (services.access)
    by its own status, any other PermissionError 403 and LookupError 404, never a 500. KeyError and
    IndexError are LookupErrors too, but out of a view they are bugs: they stay server errors."""
    from werkzeug.exceptions import Forbidden, NotFound

    from services.access import AccessDenied

    def refused(err: Exception, secret: bool) -> Any:
        logging.getLogger("web.access").info("refused %s %s: %r", request.method, request.path, err)
        return _error_page(404 if secret else 403)(NotFound() if secret else Forbidden())

    @app.errorhandler(AccessDenied)
    def _access_denied(err: AccessDenied) -> Any:
        return refused(err, err.secret)

    @app.errorhandler(PermissionError)
    def _permission_error(err: PermissionError) -> Any:
        return refused(err, secret=False)

    @app.errorhandler(LookupError)
    def _lookup_error(err: LookupError) -> Any:
        if isinstance(err, KeyError | IndexError):
            raise err
        return refused(err, secret=True)


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def security_headers(app: Flask, response: Any) -> Any:
    """On every answer, error pages included. Nothing but static files may be cached: the
    pages carry personal data, and a shared or back-button cache must not keep them."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Content-Security-Policy", CSP)
    if app.config.get("APP_ENV") == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` limited to the range of a database integer column."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


# The last resort when the error page itself cannot be rendered (the database connection is
# gone and the page's header needs the user): branded, in both languages, no database needed.
PLAIN_ERROR = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Platsmatch</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main id="main" class="wrap"><h1>Platsmatch: Något gick fel ({code})</h1>
<p>Försök igen om en liten stund.</p>
<p lang="en">Something went wrong. Please try again in a moment.</p>
<p><a href="/">Till startsidan</a></p></main></body></html>
"""


def _error_page(code: int) -> Any:
    log = logging.getLogger("web.errors")

    def handler(err: Any) -> Any:
        if code == 500:
            import models

            try:
                models.Session.rollback()
            except Exception as exc:  # noqa: BLE001 - the connection may be gone
                log.warning("rollback after a server error failed: %r", exc)
            try:
                models.Session.remove()
            except Exception as exc:  # noqa: BLE001
                log.warning("closing the session after a server error failed: %r", exc)
        if request.path.startswith("/api/"):
            # One error body everywhere under /api, the integration API's, also for what no
            # API view handled (a URL no route matches, an id past the database range, ...).
            from web.api.v1.base import error as api_error

            return api_error(code, str(getattr(err, "description", "") or code))
        # Werkzeug's default descriptions are English: the page then says it in its own words.
        message = getattr(err, "description", "") or ""
        if message == getattr(type(err), "description", None):
            message = ""
        try:
            return render_template("error.html", code=code, message=message), code
        except Exception as exc:  # noqa: BLE001 - never let the error page be the error
            log.error("error page %s could not be rendered: %r", code, exc)
            return Response(PLAIN_ERROR.format(code=code), code, mimetype="text/html")

    return handler


def _in_app_context(app: Flask, fn: Any) -> Any:
    import models

    with app.app_context():
        try:
            return fn()
        finally:
            models.Session.remove()


def select_locale() -> str:
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in LANGUAGES:
        return user_locale
    chosen = session.get("lang") if request else None
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(LANGUAGES) if request else None
    return best or "sv"


def current_lang() -> str:
    return g.get("lang_override") or select_locale()
