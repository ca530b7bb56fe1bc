"""The one rule for a new password, used wherever a password is chosen (change, reset,
invitation, employer registration): long enough, not the e-mail address, not a common one.

The common passwords are `data/passwords/common.txt` (see its README for the source). A password
counts as common when it is on the list once lower-cased, or once trailing digits and
punctuation are taken off ("Sommar2026!" is "sommar").
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from services.validation import N_, Invalid

MIN_LENGTH = 10
MAX_LENGTH = 200
COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "passwords" / "common.txt"

TOO_SHORT = N_("Lösenordet ska ha minst 10 tecken.")
TOO_LONG = N_("Lösenordet får ha högst 200 tecken.")
IS_EMAIL = N_("Lösenordet får inte vara din e-postadress.")
IS_COMMON = N_("Lösenordet är för vanligt och lätt att gissa. Välj ett annat.")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with COMMON_FILE.open(encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def is_common(password: str) -> bool:
    lowered = password.strip().lower()
    stripped = lowered.rstrip("0123456789!?.,-_#@*+ ")
    known = common_passwords()
    return lowered in known or (len(stripped) >= 4 and stripped in known)


def problem(password: str, *, email: str = "") -> str | None:
    """The first reason this password may not be chosen (a Swedish msgid), or None."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    address = email.strip().lower()
    lowered = password.strip().lower()
    if address and (lowered == address or lowered == address.partition("@")[0]):
        return IS_EMAIL
    if is_common(password):
        return IS_COMMON
    return None


def check(password: str, *, email: str = "", field: str = "password") -> None:
    """Raise `Invalid` on the form field `field` when the password may not be chosen."""
    message = problem(password, email=email)
    if message is not None:
        raise Invalid({field: message})
