"""Counting failures per key over a moving window (login, password reset), on the `limits`
library that Flask-Limiter is built on: in memory by default, in Redis when the app sets it.

Keys hold no e-mail address in clear: an address is hashed with a key of the app's own.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter


@dataclass
class _State:
    limiter: MovingWindowRateLimiter
    pepper: bytes


log = logging.getLogger(__name__)
_state = _State(MovingWindowRateLimiter(MemoryStorage()), b"")


def configure(uri: str, pepper: str) -> None:
    """Called by the app factory: `memory://` or a `redis://` URL."""
    store: Storage = storage_from_string(uri or "memory://")
    _state.limiter = MovingWindowRateLimiter(store)
    _state.pepper = pepper.encode()


def email_key(email: str) -> str:
    return hmac.new(_state.pepper, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    minutes: int

    def item(self) -> RateLimitItemPerMinute:
        return RateLimitItemPerMinute(max(1, self.limit), max(1, self.minutes))


def allowed(rule: Rule, *key: str) -> bool:
    """True while the key has fewer than `limit` failures in the window."""
    try:
        return _state.limiter.test(rule.item(), rule.name, *key)
    except Exception:  # noqa: BLE001 - the store is down: do not turn every login into a 500
        return True


def fail(rule: Rule, *key: str) -> None:
    try:
        _state.limiter.hit(rule.item(), rule.name, *key)
    except Exception as exc:  # noqa: BLE001
        log.warning("throttle store unavailable: %r", exc)


def clear(rule: Rule, *key: str) -> None:
    try:
        _state.limiter.clear(rule.item(), rule.name, *key)
    except Exception as exc:  # noqa: BLE001
        log.warning("throttle store unavailable: %r", exc)
