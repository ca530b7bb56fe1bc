"""Reports too large to count during a request: built here, stored in the job's result."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.queue import progress
from services.reports.build import build
from services.reports.scope import Scope


def build_report(kind: str, scope: dict[str, Any], as_of: str) -> dict[str, Any]:
    """Takes plain values (the scope as JSON), so it runs the same on rq, a thread or in tests."""
    return build(kind, Scope.from_json(scope), date.fromisoformat(as_of), progress=progress)
