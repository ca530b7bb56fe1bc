"""Browser fixtures: a live server on a fresh seeded SQLite database, and Debian's chromium.

Every test here is marked `browser`. Where /usr/bin/chromium is missing the tests skip with a
reason (fail under CI=true). The server is one process for the whole session (see `server.py`);
tests that change data create their own rows (new employer, new participant), so they do not
depend on each other's order.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo1234"  # noqa: S105 - the documented demo password
STARTUP_SECONDS = 180
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


class LiveServer:
    """The running server: its base URL and the database URL it serves."""

    def __init__(self, url: str, database_url: str, process: subprocess.Popen[str]) -> None:
        self.url = url
        self.database_url = database_url
        self.process = process


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Start the app in its own process on a fresh database and wait for `READY <port>`."""
    if not CHROMIUM.exists():
        unavailable(f"Debian's chromium ({CHROMIUM})")
    tmp = tmp_path_factory.mktemp("live")
    database_url = f"sqlite:///{tmp / 'live.sqlite3'}"
    env = os.environ | {
        "JOBS_MODE": "thread",
        "MAIL_FILE": str(tmp / "outbox.log"),
        "APP_ENV": "development",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    log = (tmp / "server.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.browser.server", database_url],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    port = _wait_ready(process, tmp / "server.log")
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", database_url, process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()
        log.close()


def _wait_ready(process: subprocess.Popen[str], log_path: Path) -> int:
    found: list[int] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("READY "):
                found.append(int(line.split()[1]))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(STARTUP_SECONDS)
    if not found:
        process.kill()
        process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        pytest.fail(
            f"the live server did not start (exit code {process.returncode}, at most "
            f"{STARTUP_SECONDS} s):\n{tail}"
        )
    return found[0]


@pytest.fixture(scope="session")
def live_url(live_server: LiveServer) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser(live_server: LiveServer) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser, live_url: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser context (own cookies) per test, Swedish by default."""
    ctx = browser.new_context(base_url=live_url, locale="sv-SE")
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context):  # type: ignore[no-untyped-def]
    return context.new_page()


@pytest.fixture
def phone_page(browser, live_url: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A page in a phone-sized window with touch, for the participant's pages."""
    ctx = browser.new_context(
        base_url=live_url, locale="sv-SE", viewport=PHONE, is_mobile=True, has_touch=True
    )
    ctx.set_default_timeout(15_000)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


def login_as(page, email: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Log in through the real form and wait until we have left /login."""
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def logout(page) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
