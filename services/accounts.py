"""Accounts: password hashing, login with throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from models import Session, User, utcnow
from services import audit

# A valid hash to compare against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-password")


def hash_password(password: str) -> str:
    """scrypt, werkzeug's default: memory-hard and salted."""
    return generate_password_hash(password)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked: bool = False


def authenticate(
    email: str, password: str, *, max_failures: int, lock_minutes: int, ip: str = ""
) -> LoginResult:
    """Check a login; count failures per account and lock it for a while after too many.

    The caller shows one message for every failure, so nobody learns which part was wrong.
    """
    db = Session()
    user = db.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    now = utcnow()
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        audit.record("login.failed", details={"email": email[:254]}, ip=ip)
        db.commit()
        return LoginResult(None)
    if user.locked_until is not None and user.locked_until > now:
        audit.record("login.locked", actor=None, subject=user, ip=ip)
        db.commit()
        return LoginResult(None, locked=True)
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
        audit.record("login.failed", subject=user, ip=ip)
        db.commit()
        return LoginResult(None, locked=user.locked_until is not None and user.locked_until > now)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login.ok", actor=user, subject=user, ip=ip)
    db.commit()
    return LoginResult(user)
