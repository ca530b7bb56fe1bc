"""Every setting, read from the environment in this one place.

The README's settings table is generated from `SETTINGS` (see `flask --app web settings`), so the
two cannot drift apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see check()
# The same public development keys as models.crypto uses before the app configures it.
DEV_PERSONNUMMER_KEY = "ZGV2LW9ubHktcGVyc29ubnVtbWVyLWtleS0zMmJ5dGU="
DEV_PERSONNUMMER_HASH_KEY = "dev-only-personnummer-hash-key"

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "APP_ENV", "development", "`production` turns on the production checks and secure cookies."
    ),
    Setting(
        "SECRET_KEY",
        DEFAULT_SECRET_KEY,
        "Signs sessions and CSRF tokens. Must be set in production.",
    ),
    Setting(
        "DATABASE_URL",
        f"sqlite:///{ROOT / 'instance' / 'platsmatch.sqlite3'}",
        "SQLAlchemy URL; `postgresql+psycopg://user@host/db` in production.",
    ),
    Setting(
        "REDIS_URL", "", "Redis for rq jobs. Unset: jobs run in-process in a background thread."
    ),
    Setting(
        "JOBS_MODE",
        "",
        "`rq`, `thread` or `sync`; empty chooses `rq` when REDIS_URL is set, else `thread`.",
    ),
    Setting(
        "RQ_QUEUE", "platsmatch", "Name of the rq queue the web app sends to and the worker reads."
    ),
    Setting("JOB_TIMEOUT", "600", "Seconds before a job is stopped."),
    Setting(
        "MAIL_SERVER", "", "SMTP host. Unset: e-mails are written to MAIL_FILE instead of sent."
    ),
    Setting("MAIL_PORT", "587", "SMTP port."),
    Setting("MAIL_USERNAME", "", "SMTP user."),
    Setting("MAIL_PASSWORD", "", "SMTP password."),
    Setting("MAIL_USE_TLS", "true", "STARTTLS on the SMTP connection."),
    Setting("MAIL_FROM", "noreply@platsmatch.local", "Sender address of e-mails."),
    Setting(
        "MAIL_FILE",
        str(ROOT / "instance" / "outbox.log"),
        "Where e-mails go when no SMTP server is set.",
    ),
    Setting(
        "GEOCODER",
        "",
        "`nominatim` to geocode street addresses with geopy; unset: offline municipality coordinates.",
    ),
    Setting(
        "GEOCODER_USER_AGENT",
        "platsmatch",
        "User agent sent to the geocoder (Nominatim requires one).",
    ),
    Setting(
        "TAXONOMY_DIR",
        "",
        "Folder of JobTech Taxonomy export files, used instead of the built-in taxonomy.",
    ),
    Setting(
        "SUGGESTIONS_PER_PARTICIPANT",
        "20",
        "How many suggestions the engine keeps per participant.",
    ),
    Setting(
        "EXPOSURE_MULTIPLE",
        "3",
        "An offer is suggested to at most this many participants per open slot in caseload runs.",
    ),
    Setting(
        "LOGIN_MAX_FAILURES",
        "5",
        "Failed logins for one e-mail from one address before that pair is refused for a while.",
    ),
    Setting(
        "LOGIN_LOCK_MINUTES",
        "15",
        "Window of the login throttles: failures counted, and logins refused, for this long.",
    ),
    Setting(
        "LOGIN_ADDRESS_MAX_FAILURES",
        "30",
        "Failed logins from one IP address (any e-mail) before it is refused for a while.",
    ),
    Setting(
        "LOGIN_ACCOUNT_MAX_FAILURES",
        "50",
        "Failed logins for one e-mail from all addresses before it is refused for a while; "
        "the owner lifts it with a password-reset link.",
    ),
    Setting(
        "SESSION_IDLE_MINUTES", "30", "A login ends after this many minutes without a request."
    ),
    Setting("SESSION_MAX_HOURS", "12", "A login ends this many hours after it began, used or not."),
    Setting(
        "PUBLIC_URL",
        "http://127.0.0.1:5000",
        "Address of the site as users reach it; links in e-mails (password reset, invitation) "
        "start with it, never with the Host of a request.",
    ),
    Setting(
        "PASSWORD_LINK_MINUTES",
        "60",
        "A password-reset link works once, for this many minutes.",
    ),
    Setting(
        "INVITATION_LINK_DAYS",
        "7",
        "An invitation (set-your-password) link from an admin works once, for this many days.",
    ),
    Setting(
        "PUBLIC_FORM_RATE_LIMIT",
        "10 per hour",
        "Posts per IP address to the forms anyone can send (accessibility report, password reset).",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "",
        "Where rate-limit counters live; empty: REDIS_URL when set, else memory (one process).",
    ),
    Setting(
        "PERSONNUMMER_KEYS",
        DEV_PERSONNUMMER_KEY,
        "Fernet keys (comma-separated, newest first) that encrypt personnummer at rest; "
        'see "Keys". Must be set in production.',
    ),
    Setting(
        "PERSONNUMMER_HASH_KEY",
        DEV_PERSONNUMMER_HASH_KEY,
        "Key of the HMAC-SHA256 by which a personnummer is found. Must be set in production.",
    ),
    Setting(
        "RETENTION_MONTHS",
        "24",
        "Months after exit before a participant is anonymised, for units without their own period.",
    ),
    Setting(
        "IMPORT_MAX_BYTES",
        "10000000",
        "Largest import file (CSV, XLSX, JSON Lines, job ads) accepted, in bytes.",
    ),
    Setting(
        "API_RATE_LIMIT",
        "120 per minute",
        "Calls each API token may make (Flask-Limiter notation); REDIS_URL shares the count.",
    ),
    Setting(
        "API_TOKEN_MAX_DAYS",
        "365",
        "Longest lifetime, in days, an admin may give an API token.",
    ),
    Setting("PORT", "5000", "Port `make run` serves on."),
    Setting(
        "EMPLOYER_REMINDER_DAYS",
        "3",
        "Working days a candidate may wait for the employer's answer before a reminder (a unit may set its own); the coach is told after twice as many.",
    ),
)


class ConfigError(RuntimeError):
    pass


def _env(name: str, environ: dict[str, str]) -> str:
    """The value from the environment, or the documented default when unset or empty."""
    default = next(s.default for s in SETTINGS if s.name == name)
    return (environ.get(name) or "").strip() or default


def _number(name: str, raw: str, kind: type) -> int | float:
    """A numeric setting, or a ConfigError that names it (never a bare traceback at start-up)."""
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a {kind.__name__}, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}")
    return value


def load(environ: dict[str, str] | None = None) -> dict[str, object]:
    """Build the Flask config mapping from the environment (or a given mapping, for tests)."""
    env = dict(os.environ if environ is None else environ)
    get = lambda name: _env(name, env)  # noqa: E731
    production = get("APP_ENV") == "production"
    redis_url = env.get("REDIS_URL", "").strip()
    jobs_mode = (env.get("JOBS_MODE") or "").strip() or ("rq" if redis_url else "thread")
    db_url = get("DATABASE_URL")
    if db_url.startswith("postgresql://"):
        db_url = "postgresql+psycopg://" + db_url[len("postgresql://") :]
    return {
        "APP_ENV": get("APP_ENV"),
        "SECRET_KEY": get("SECRET_KEY"),
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "JOBS_MODE": jobs_mode,
        "RQ_QUEUE": get("RQ_QUEUE"),
        "JOB_TIMEOUT": _number("JOB_TIMEOUT", get("JOB_TIMEOUT"), int),
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": _number("MAIL_PORT", get("MAIL_PORT"), int),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": get("MAIL_USE_TLS").lower() in ("1", "true", "yes"),
        "MAIL_FROM": get("MAIL_FROM"),
        "MAIL_FILE": get("MAIL_FILE"),
        "GEOCODER": env.get("GEOCODER", ""),
        "GEOCODER_USER_AGENT": get("GEOCODER_USER_AGENT"),
        "TAXONOMY_DIR": env.get("TAXONOMY_DIR", ""),
        "SUGGESTIONS_PER_PARTICIPANT": _number(
            "SUGGESTIONS_PER_PARTICIPANT", get("SUGGESTIONS_PER_PARTICIPANT"), int
        ),
        "EXPOSURE_MULTIPLE": _number("EXPOSURE_MULTIPLE", get("EXPOSURE_MULTIPLE"), float),
        "LOGIN_MAX_FAILURES": _number("LOGIN_MAX_FAILURES", get("LOGIN_MAX_FAILURES"), int),
        "LOGIN_LOCK_MINUTES": _number("LOGIN_LOCK_MINUTES", get("LOGIN_LOCK_MINUTES"), int),
        "PERSONNUMMER_KEYS": get("PERSONNUMMER_KEYS"),
        "PERSONNUMMER_HASH_KEY": get("PERSONNUMMER_HASH_KEY"),
        "RETENTION_MONTHS": _number("RETENTION_MONTHS", get("RETENTION_MONTHS"), int),
        "LOGIN_ADDRESS_MAX_FAILURES": _number(
            "LOGIN_ADDRESS_MAX_FAILURES", get("LOGIN_ADDRESS_MAX_FAILURES"), int
        ),
        "LOGIN_ACCOUNT_MAX_FAILURES": _number(
            "LOGIN_ACCOUNT_MAX_FAILURES", get("LOGIN_ACCOUNT_MAX_FAILURES"), int
        ),
        "SESSION_IDLE_MINUTES": _number("SESSION_IDLE_MINUTES", get("SESSION_IDLE_MINUTES"), int),
        "SESSION_MAX_HOURS": _number("SESSION_MAX_HOURS", get("SESSION_MAX_HOURS"), float),
        "PERMANENT_SESSION_LIFETIME": int(
            _number("SESSION_MAX_HOURS", get("SESSION_MAX_HOURS"), float) * 3600
        ),
        "RATELIMIT_STORAGE_URI": (env.get("RATELIMIT_STORAGE_URI") or "").strip()
        or (redis_url or "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "PUBLIC_FORM_RATE_LIMIT": get("PUBLIC_FORM_RATE_LIMIT"),
        "PUBLIC_URL": get("PUBLIC_URL").rstrip("/"),
        "EMPLOYER_REMINDER_DAYS": _number(
            "EMPLOYER_REMINDER_DAYS", get("EMPLOYER_REMINDER_DAYS"), int
        ),
        "PASSWORD_LINK_MINUTES": _number(
            "PASSWORD_LINK_MINUTES", get("PASSWORD_LINK_MINUTES"), int
        ),
        "INVITATION_LINK_DAYS": _number("INVITATION_LINK_DAYS", get("INVITATION_LINK_DAYS"), int),
        "IMPORT_MAX_BYTES": _number("IMPORT_MAX_BYTES", get("IMPORT_MAX_BYTES"), int),
        "API_RATE_LIMIT": get("API_RATE_LIMIT"),
        "API_TOKEN_MAX_DAYS": _number("API_TOKEN_MAX_DAYS", get("API_TOKEN_MAX_DAYS"), int),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "sv",
        # Times are stored in UTC and shown in Swedish local time (winter and summer time).
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "web" / "translations"),
    }


def check(config: dict[str, object]) -> None:
    """Refuse to start a production instance on development defaults."""
    if config.get("APP_ENV") != "production":
        return
    key = str(config.get("SECRET_KEY") or "")
    if key == DEFAULT_SECRET_KEY or len(key) < 32:
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    keys = str(config.get("PERSONNUMMER_KEYS") or "")
    if DEV_PERSONNUMMER_KEY in keys.split(","):
        raise ConfigError(
            "PERSONNUMMER_KEYS must be set in production (and must not hold the development key): "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    if str(config.get("PERSONNUMMER_HASH_KEY")) == DEV_PERSONNUMMER_HASH_KEY:
        raise ConfigError(
            "PERSONNUMMER_HASH_KEY must be set in production "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if not str(config.get("PUBLIC_URL") or "").startswith("https://"):
        raise ConfigError(
            "PUBLIC_URL must be set to the site's https:// address in production: the links "
            "in password-reset and invitation e-mails start with it."
        )
    if str(config.get("JOBS_MODE")) == "sync":
        raise ConfigError("JOBS_MODE=sync is for tests only; use rq in production.")
