"""Personnummer at rest: Fernet ciphertext under a key ring, and a keyed hash to find a person.

The database (and so every backup) holds only ciphertext (`EncryptedText`) and an HMAC-SHA256 of
the canonical number under a separate key (`lookup_hash`): equal numbers give equal hashes, so a
person can be found without decrypting every row, but the hash cannot be reversed without the key.

The keys come from the environment (`PERSONNUMMER_KEYS`, `PERSONNUMMER_HASH_KEY`, read in
`web.settings`) and are installed by the app factory with `configure()`. `PERSONNUMMER_KEYS` is a
comma-separated list: the first key encrypts, every key decrypts (`MultiFernet`), so a new key is
put in front, `flask rotate-keys` re-encrypts every row under it, and the old key is then removed.
Processes that never build the app (migrations run from tests, scripts) use the development keys,
which `web.settings.check` refuses in production.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

# Development-only keys: public, refused in production (web.settings.check).
DEV_KEY = "ZGV2LW9ubHktcGVyc29ubnVtbWVyLWtleS0zMmJ5dGU="
DEV_HASH_KEY = "dev-only-personnummer-hash-key"


class WrongKey(RuntimeError):
    """The configured keys cannot read a stored value (wrong or missing key)."""


@dataclass(frozen=True)
class KeyRing:
    fernet: MultiFernet
    hash_key: bytes
    key_count: int


_ring: KeyRing | None = None


def make_ring(keys: str | list[str], hash_key: str) -> KeyRing:
    """Build a key ring; raises ValueError naming the problem for a malformed key."""
    items = [k.strip() for k in (keys.split(",") if isinstance(keys, str) else keys) if k.strip()]
    if not items:
        raise ValueError("PERSONNUMMER_KEYS is empty")
    fernets = []
    for i, key in enumerate(items, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError):
            raise ValueError(
                f"PERSONNUMMER_KEYS key {i} is not a Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    if len(hash_key.strip()) < 16:
        raise ValueError("PERSONNUMMER_HASH_KEY must be at least 16 characters")
    return KeyRing(MultiFernet(fernets), hash_key.strip().encode(), len(fernets))


def configure(keys: str | list[str], hash_key: str) -> KeyRing:
    global _ring
    _ring = make_ring(keys, hash_key)
    return _ring


def current() -> KeyRing:
    global _ring
    if _ring is None:
        _ring = make_ring(DEV_KEY, DEV_HASH_KEY)
    return _ring


def encrypt(plain: str) -> str:
    return current().fernet.encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return current().fernet.decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError):
        raise WrongKey(
            "a personnummer cannot be decrypted with PERSONNUMMER_KEYS: the key it was "
            "encrypted with is missing"
        ) from None


def rotate(token: str) -> str:
    """The same plaintext under the first (newest) key."""
    try:
        return current().fernet.rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise WrongKey("a personnummer cannot be decrypted with PERSONNUMMER_KEYS") from None


def lookup_hash(canonical: str) -> str:
    """HMAC-SHA256 of the canonical number (YYYYMMDD-NNNN), hex: the only way to search for it."""
    return hmac.new(current().hash_key, canonical.encode(), hashlib.sha256).hexdigest()


def key_check() -> dict[str, str]:
    """Non-secret proof of which keys are in use, stored in a backup to detect a wrong key."""
    return {
        "token": encrypt("platsmatch-key-check"),
        "hash": lookup_hash("platsmatch-key-check"),
    }


def verify_key_check(check: dict[str, str]) -> list[str]:
    """What is wrong with the current keys for a backup's key check (empty: they fit)."""
    problems = []
    try:
        if decrypt(check["token"]) != "platsmatch-key-check":
            problems.append("PERSONNUMMER_KEYS")
    except WrongKey:
        problems.append("PERSONNUMMER_KEYS")
    if not hmac.compare_digest(lookup_hash("platsmatch-key-check"), check["hash"]):
        problems.append("PERSONNUMMER_HASH_KEY")
    return problems


class EncryptedText(TypeDecorator[str]):
    """Text encrypted on the way into the database and decrypted on the way out."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else decrypt(value)
