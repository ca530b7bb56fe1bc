"""Accounts: password hashing, login with throttling, sessions that can be ended."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from models import OutboxEmail, Session, User, utcnow
from models.user import new_session_token
from services import audit, passwords, throttle
from services.outbox import send_outbox_email
from services.queue import enqueue
from services.validation import N_, Invalid, clean_phone

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


# --- choosing a password -----------------------------------------------------------------------

WRONG_CURRENT = N_("Det nuvarande lösenordet stämmer inte.")
TOO_MANY = N_("För många misslyckade försök. Vänta en stund och försök igen.")


def set_password(
    user: User, new: str, *, action: str, actor: User | None = None, ip: str = ""
) -> None:
    """Give the account a new password (checked by `services.passwords`): every session of the
    account ends, every reset or invitation link sent before dies (`link_token` is bound to the
    password), and the account's throttle is lifted. The caller commits."""
    passwords.check(new, email=user.email)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(user)
    audit.record(action, actor=actor or user, subject=user, ip=ip)


def change_password(
    user: User, current: str, new: str, *, limits: LoginLimits, ip: str = ""
) -> None:
    """The user changes their own password. A wrong current password counts as a failed login
    (someone at an unlocked screen cannot guess on for ever); every other session of the account
    ends (the caller starts a new one for this browser); the owner gets an e-mail about it."""
    pair = limits.rules()[0]
    key = throttle.email_key(user.email)
    if not throttle.allowed(pair, ip, key):
        raise Invalid({"current": TOO_MANY})
    if not check_password_hash(user.password_hash, current):
        throttle.fail(pair, ip, key)
        audit.record("password.change_failed", actor=user, subject=user, ip=ip)
        Session.commit()
        raise Invalid({"current": WRONG_CURRENT})
    set_password(user, new, action="password.changed", ip=ip)
    queue_mail(user, "password_changed", {})
    Session.commit()


# --- signed links: password reset and invitation ------------------------------------------------

LINK_PURPOSES = ("reset", "invite", "confirm")


@dataclass(frozen=True)
class LinkSettings:
    secret: str
    base_url: str
    reset_minutes: int = 60
    invite_days: int = 7

    def max_age(self, purpose: str) -> int:
        return self.reset_minutes * 60 if purpose == "reset" else self.invite_days * 86400


def _fingerprint(user: User) -> str:
    """Changes whenever the password does (a used link, a later change), so a link works once."""
    changed = user.password_changed_at.isoformat() if user.password_changed_at else ""
    material = f"{user.id}|{user.password_hash}|{changed}|{int(bool(user.active))}"
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def _serializer(links: LinkSettings, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(links.secret, salt=f"platsmatch.account-link.{purpose}")


def link_token(user: User, purpose: str, links: LinkSettings) -> str:
    if purpose not in LINK_PURPOSES:
        raise ValueError(purpose)
    return _serializer(links, purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_link(token: str, purpose: str, links: LinkSettings) -> User | None:
    """The account a link was made for, or None when the link is forged, too old, already used
    (the password has changed since) or the account is deactivated. A "confirm" link (a new
    employer's registration) is for an account not yet in use, and for nothing else."""
    if purpose not in LINK_PURPOSES or not token or len(token) > 500:
        return None
    try:
        data = _serializer(links, purpose).loads(token, max_age=links.max_age(purpose))
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if not 0 < data["u"] < 2**31 or not isinstance(data.get("f"), str):
        return None
    user = Session.get(User, data["u"])
    if user is None:
        return None
    if purpose == "confirm":
        if user.active or user.last_login_at is not None or user.password_changed_at is not None:
            return None
    elif not user.active:
        return None
    return user if hmac.compare_digest(data["f"], _fingerprint(user)) else None


def confirm_account(token: str, *, ip: str = "") -> User | None:
    """A new account's owner opens the link sent to the address: the address is theirs, the
    account goes live. The link dies with it (`password_changed_at` is set)."""
    user = user_for_link(token, "confirm", link_settings())
    if user is None:
        return None
    user.active = True
    user.password_changed_at = utcnow()
    end_sessions(user)
    audit.record("account.confirmed", actor=user, subject=user, ip=ip)
    Session.commit()
    return user


def link_url(user: User, purpose: str, links: LinkSettings) -> str:
    """The absolute link for the e-mail: on the configured PUBLIC_URL, never on the Host header
    of the request (which whoever asks for a reset controls)."""
    from services.notifications import path_for

    endpoint = "signup.confirm" if purpose == "confirm" else "auth.reset_password"
    path = path_for(endpoint, token=link_token(user, purpose, links))
    return links.base_url.rstrip("/") + path


def request_reset(email: str, *, ip: str = "") -> None:
    """Someone asks for a reset link. Known or unknown address, the same work is done here (one
    lookup, one queued job, one audit row) and the caller shows the same answer; the job sends
    the link only when the address has an active account."""
    db = Session()
    address = (email or "").strip().lower()[:254]
    user = db.scalar(select(User).where(func.lower(User.email) == address))
    known = user is not None and user.active
    enqueue(send_reset_link, user.id if known else 0, title="E-post")  # type: ignore[union-attr]
    audit.record(
        "password.reset_requested",
        subject=user if known else None,
        details={} if known else {"email": address},
        ip=ip,
    )
    db.commit()


def send_reset_link(user_id: int) -> dict[str, str]:
    """Background task: put the reset e-mail in the outbox (nothing for an unknown address)."""
    user = Session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        return {"status": "no_account"}
    links = link_settings()
    queue_mail(
        user,
        "password_reset",
        {"url": link_url(user, "reset", links), "minutes": str(links.reset_minutes)},
    )
    Session.commit()
    return {"status": "queued"}


def reset_password(token: str, new: str, *, limits: LoginLimits, ip: str = "") -> User | None:
    """Set a new password from a reset or invitation link; None when the link is not valid.
    Ends every session and lifts the login throttle on the account (the owner's way out of a
    lock someone else caused)."""
    links = link_settings()
    purpose = "reset"
    user = user_for_link(token, "reset", links)
    if user is None:
        purpose, user = "invite", user_for_link(token, "invite", links)
    if user is None:
        return None
    set_password(user, new, action=f"password.{purpose}_used", ip=ip)
    unlock(user.email, limits=limits)
    Session.commit()
    return user


def link_settings() -> LinkSettings:
    from flask import current_app

    config = current_app.config
    return LinkSettings(
        secret=str(config["SECRET_KEY"]),
        base_url=str(config["PUBLIC_URL"]),
        reset_minutes=int(config["PASSWORD_LINK_MINUTES"]),
        invite_days=int(config["INVITATION_LINK_DAYS"]),
    )


# --- e-mails about the account -------------------------------------------------------------------


def queue_mail(user: User, template: str, params: dict[str, str], *, to: str = "") -> OutboxEmail:
    """An e-mail about the account (`email/account_<template>.<lang>.txt`, first line the
    subject) into the outbox, sent after commit. Each is its own mail: no de-duplication."""
    from flask import current_app

    lang = user.locale if user.locale in ("sv", "en") else "sv"
    template_obj = current_app.jinja_env.get_template(f"email/account_{template}.{lang}.txt")
    text = template_obj.render(user=user, p=params).strip()
    subject, _, body = text.partition("\n")
    mail = OutboxEmail(
        dedupe_key=f"account:{template}:{user.id}:{secrets.token_hex(8)}",
        to_address=to or user.email,
        subject=subject.strip(),
        body=body.strip() + "\n",
    )
    db = Session()
    db.add(mail)
    db.flush()
    enqueue(send_outbox_email, mail.id, title="E-post", retries=3)
    return mail


PHONE_ROLES = ("coach", "admin")


def set_phone(user: User, phone: str, *, actor: User | None = None, ip: str = "") -> User:
    """A coach's work phone (shown to their participants and to the employers of their
    candidates), set by the coach or an administrator; loosely checked; audited."""
    if user.role not in PHONE_ROLES:
        raise Invalid({"phone": N_("Bara coacher och chefer har ett jobbtelefonnummer här.")})
    value = clean_phone(phone)
    if value != user.phone:
        user.phone = value
        audit.record("account.phone", actor=actor or user, subject=user, ip=ip)
        Session.commit()
    return user
