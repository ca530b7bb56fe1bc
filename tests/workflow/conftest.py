"""Workflow test fixtures."""

from __future__ import annotations

import pytest

from services import queue


@pytest.fixture(autouse=True)
def _no_leftover_jobs():
    """Jobs a test queued but did not run must not run in the next test (sync mode keeps them
    per thread)."""
    queue.dispatcher.ready_list().clear()
    yield
    queue.dispatcher.ready_list().clear()


# The shared browser fixtures (live server on a seeded SQLite database, Debian's chromium).
from tests.browser.conftest import (  # noqa: E402,F401
    browser,
    context,
    live_server,
    live_url,
    page,
    phone_page,
)
