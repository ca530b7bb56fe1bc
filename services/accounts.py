"""Accounts: password hashing, login with throttling, sessions that can be ended."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from models import Session, User, utcnow
from models.user import new_session_token
from services import audit, throttle

# A valid hash to compare against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-password")


def hash_password(password: str) -> str:
    """scrypt, werkzeug's default: memory-hard and salted."""
    return generate_password_hash(password)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked: bool = False


@dataclass(frozen=True)
class LoginLimits:
    """Failures allowed within `minutes`: per e-mail from one address, per address, per e-mail."""

    pair: int = 5
    address: int = 30
    account: int = 50
    minutes: int = 15

    def rules(self) -> tuple[throttle.Rule, throttle.Rule, throttle.Rule]:
        return (
            throttle.Rule("login-pair", self.pair, self.minutes),
            throttle.Rule("login-address", self.address, self.minutes),
            throttle.Rule("login-account", self.account, self.minutes),
        )


def authenticate(email: str, password: str, *, limits: LoginLimits, ip: str = "") -> LoginResult:
    """Check a login, throttled so that nobody can lock the owner out.

    Failures are counted per e-mail *and address* (someone elsewhere guessing does not lock the
    owner's own browser), per address (one client trying many accounts), and per e-mail over
    every address with a much higher bound, which the owner lifts with a password-reset link.
    Known and unknown e-mails, right and wrong passwords go through the same steps (one password
    hash check, one audit row), so neither the answer nor its time tells whether an account
    exists; the caller shows one message for every failure.
    """
    db = Session()
    key = throttle.email_key(email)
    pair, per_address, per_account = limits.rules()
    user = db.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    known = user is not None and user.active
    if not (
        throttle.allowed(pair, ip, key)
        and throttle.allowed(per_address, ip)
        and throttle.allowed(per_account, key)
    ):
        check_password_hash(_DUMMY_HASH, password)
        audit.record("login.locked", subject=user if known else None, ip=ip)
        db.commit()
        return LoginResult(None, locked=True)
    ok = check_password_hash(user.password_hash if known else _DUMMY_HASH, password)  # type: ignore[union-attr]
    if not (known and ok):
        for rule, parts in ((pair, (ip, key)), (per_address, (ip,)), (per_account, (key,))):
            throttle.fail(rule, *parts)
        if known:
            user.failed_logins += 1  # type: ignore[union-attr]
            audit.record("login.failed", subject=user, ip=ip)
        else:
            audit.record("login.failed", details={"email": email[:254]}, ip=ip)
        db.commit()
        return LoginResult(None)
    assert user is not None
    now = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if not user.session_token:  # an account from before session tokens
        user.session_token = new_session_token()
    throttle.clear(pair, ip, key)
    audit.record("login.ok", actor=user, subject=user, ip=ip)
    db.commit()
    return LoginResult(user)


def unlock(email: str, *, limits: LoginLimits) -> None:
    """Lift the per-account throttle (a password reset, an admin's unlock)."""
    throttle.clear(limits.rules()[2], throttle.email_key(email))


def user_for_session(session_id: str) -> User | None:
    """The user a session cookie names (`User.get_id`: id and session token), or None when the
    token no longer matches: ended by a logout or a password change, or the account is off."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token or len(user_id) > 18:
        return None
    user = Session.get(User, int(user_id))
    if user is None or not user.active or not user.session_token:
        return None
    return user if hmac.compare_digest(token, user.session_token) else None


def end_sessions(user: User) -> None:
    """End every session of the account (the caller commits): a copied cookie stops working."""
    user.session_token = new_session_token()
