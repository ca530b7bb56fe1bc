"""Workflow test fixtures."""

from __future__ import annotations

import pytest

import jobs.queue


@pytest.fixture(autouse=True)
def _no_leftover_jobs():
    """Jobs a test queued but did not run must not run in the next test (sync mode keeps them
    per thread)."""
    jobs.queue.dispatcher.ready_list().clear()
    yield
    jobs.queue.dispatcher.ready_list().clear()
