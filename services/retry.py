"""Retrying a job body when SQLite says "database is locked".

SQLite lets one writer at a time. A job that read in a transaction and then writes after another
connection committed (the web request that queued it, a caseload refresh) gets "database is
locked" at once, whatever the busy timeout. Rolling back and running the body again, with fresh
reads, is correct for our jobs because each is idempotent. PostgreSQL errors are not retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from models import Session

T = TypeVar("T")
ATTEMPTS = 6


def on_sqlite_lock(fn: Callable[[], T]) -> T:
    db = Session()
    for attempt in range(ATTEMPTS):
        try:
            return fn()
        except OperationalError as exc:
            db.rollback()
            last = attempt == ATTEMPTS - 1
            if db.get_bind().dialect.name != "sqlite" or "locked" not in str(exc) or last:
                raise
            time.sleep(0.1 * 2**attempt)
    raise AssertionError("unreachable")
