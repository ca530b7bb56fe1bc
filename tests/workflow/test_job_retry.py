"""Job bodies are retried when SQLite reports a lock, and only then."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from services import retry


def _flaky(fails: int, message: str = "database is locked"):
    calls = []

    def body() -> str:
        calls.append(1)
        if len(calls) <= fails:
            raise OperationalError("UPDATE ...", {}, Exception(message))
        return "ok"

    return body, calls


def test_lock_is_retried_on_sqlite_only(db, monkeypatch):
    monkeypatch.setattr(retry.time, "sleep", lambda _s: None)
    body, calls = _flaky(2)
    if db.get_bind().dialect.name == "sqlite":
        assert retry.on_sqlite_lock(body) == "ok" and len(calls) == 3
    else:
        with pytest.raises(OperationalError):
            retry.on_sqlite_lock(body)
        assert len(calls) == 1


def test_other_errors_and_endless_locks_are_raised(db, monkeypatch):
    monkeypatch.setattr(retry.time, "sleep", lambda _s: None)
    body, calls = _flaky(1, "disk I/O error")
    with pytest.raises(OperationalError):
        retry.on_sqlite_lock(body)
    assert len(calls) == 1
    body, calls = _flaky(99)
    with pytest.raises(OperationalError):
        retry.on_sqlite_lock(body)
    expected = retry.ATTEMPTS if db.get_bind().dialect.name == "sqlite" else 1
    assert len(calls) == expected
