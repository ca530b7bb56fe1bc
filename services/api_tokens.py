"""API tokens: an admin creates and revokes them; the API finds the user a token acts as.

A token is a random secret shown once; only its sha256 is stored, so a copy of the database
does not hand out access. A personal token acts as an existing user; an integration token acts
as an account made for it (no password: it cannot log in to the pages). Either way the user's
role and unit are copied onto the token, and a token whose user has since changed role or unit,
been deactivated, or whose time is up, is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from models import ApiToken, Session, Unit, User, utcnow
from services import audit
from services.access import AccessDenied
from services.validation import N_, Invalid

INTEGRATION_ROLES = ("coach", "admin")
# An integration account has no password: no password hashes to this, so it cannot log in.
NO_PASSWORD = "!"  # noqa: S105


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _require_admin(actor: User) -> None:
    if actor.role != "admin":
        raise AccessDenied("tokens are made by administrators", secret=False)


def visible_tokens(actor: User) -> list[ApiToken]:
    _require_admin(actor)
    query = select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
    if actor.unit_id is not None:
        query = query.where(ApiToken.unit_id == actor.unit_id)
    return list(Session.scalars(query))


def users_for_tokens(actor: User) -> list[User]:
    """The people an admin may make a personal token for: their unit's, or everyone's."""
    _require_admin(actor)
    query = (
        select(User)
        .where(User.active.is_(True), User.password_hash != NO_PASSWORD)
        .order_by(User.name)
    )
    if actor.unit_id is not None:
        query = query.where(User.unit_id == actor.unit_id)
    return list(Session.scalars(query))


def create(
    actor: User,
    *,
    name: str,
    kind: str,
    days: int,
    max_days: int = 365,
    user_id: int | None = None,
    role: str = "",
    unit_id: int | None = None,
) -> tuple[ApiToken, str]:
    """Make a token; return it and its secret (the only time the secret exists in clear)."""
    _require_admin(actor)
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())[:200]
    if not name:
        errors["name"] = N_("Ge nyckeln ett namn, till exempel systemet som ska använda den.")
    if not 1 <= days <= max_days:
        errors["days"] = N_("Antal dagar ska vara mellan 1 och det högsta tillåtna.")
    db = Session()
    if kind == "user":
        user = db.get(User, user_id) if user_id else None
        if user is None or user not in users_for_tokens(actor):
            errors["user_id"] = N_("Välj en användare.")
    elif kind == "integration":
        user = None
        unit = db.get(Unit, unit_id) if unit_id else None
        if role not in INTEGRATION_ROLES:
            errors["role"] = N_("Välj en roll.")
        elif unit_id is not None and unit is None:
            errors["unit_id"] = N_("Välj en enhet.")
        elif actor.unit_id is not None and unit_id != actor.unit_id:
            errors["unit_id"] = N_("Du kan bara skapa nycklar för din egen enhet.")
        elif role == "coach" and unit is None:
            errors["unit_id"] = N_("En coach hör till en enhet. Välj en enhet.")
    else:
        errors["kind"] = N_("Välj typ av nyckel.")
    if errors:
        raise Invalid(errors)
    if user is None:
        user = User(
            email=f"integration-{secrets.token_hex(6)}@api.invalid",
            password_hash=NO_PASSWORD,
            name=name,
            role=role,
            unit_id=unit_id,
        )
        db.add(user)
        db.flush()
    secret = "pm_" + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        kind=kind,
        token_hash=hash_secret(secret),
        prefix=secret[:10],
        user_id=user.id,
        role=user.role,
        unit_id=user.unit_id,
        expires_at=utcnow() + timedelta(days=days),
        created_by_id=actor.id,
    )
    db.add(token)
    db.flush()
    audit.record(
        "api_token.created",
        actor=actor,
        subject=token,
        details={
            "kind": kind,
            "user_id": user.id,
            "role": user.role,
            "unit_id": user.unit_id,
            "days": days,
        },
    )
    db.commit()
    return token, secret


def revoke(actor: User, token_id: int) -> ApiToken:
    _require_admin(actor)
    token = Session.get(ApiToken, token_id)
    if token is None or (actor.unit_id is not None and token.unit_id != actor.unit_id):
        raise AccessDenied(f"token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by_id = actor.id
        audit.record("api_token.revoked", actor=actor, subject=token)
        Session.commit()
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The live token for this secret, or None (unknown, revoked, expired, user changed)."""
    if not secret or len(secret) > 200:
        return None
    token = Session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow():
        return None
    user = token.user
    if not user.active or user.role != token.role or user.unit_id != token.unit_id:
        return None
    return token


def touch(token: ApiToken) -> None:
    """Note when a token was last used (at most once a minute, to spare the database)."""
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
