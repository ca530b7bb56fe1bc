"""Browser fixtures: a live server on a fresh seeded SQLite database, and Debian's chromium.

Every test here is marked `browser`. Where /usr/bin/chromium is missing the tests skip with a
reason (fail under CI=true). The server is one process for the whole session (see `server.py`);
tests that change data create their own rows (new employer, new participant), so they do not
depend on each other's order.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
PHONE = {"width": 375, "height": 667}  # the narrowest phone still common (iPhone SE)


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


# One server and one browser per test process, however many conftests import these fixtures
# (tests/workflow re-exports them): a second Playwright in the same thread is an error.
_shared: dict[str, tuple[object, Callable[[], None]]] = {}
_users: dict[str, int] = {}


@contextmanager
def _shared_resource(key: str, start: Callable[[], tuple[object, Callable[[], None]]]):  # type: ignore[no-untyped-def]
    if key not in _shared:
        _shared[key] = start()
        _users[key] = 0
    _users[key] += 1
    try:
        yield _shared[key][0]
    finally:
        _users[key] -= 1
        if _users[key] == 0:
            _value, close = _shared.pop(key)
            close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Start the app in its own process on a fresh database and wait for `READY <port>`."""
    if not CHROMIUM.exists():
        unavailable(f"Debian's chromium ({CHROMIUM})")
    with _shared_resource("server", lambda: _start_server(tmp_path_factory)) as server:
        yield server  # type: ignore[misc]


def _start_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[LiveServer, Callable[[], None]]:
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
    try:
        port = _wait_ready(process, tmp / "server.log")
    except BaseException:
        log.close()
        raise

    def stop() -> None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()
        log.close()

    return LiveServer(f"http://127.0.0.1:{port}", database_url, process), stop


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
    with _shared_resource("browser", _start_browser) as chromium:
        yield chromium


def _start_browser() -> tuple[object, Callable[[], None]]:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except BaseException:
        playwright.stop()
        raise

    def stop() -> None:
        chromium.close()
        playwright.stop()

    return chromium, stop


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
    """Log in through the real form and wait until we have left /login.

    The live server runs jobs in a thread on SQLite, as `make run` does: a page can answer a
    server error while a background job holds the database (busy timeout). Then the login page
    is asked for again, at most three times, rather than failing on a missing form."""
    for _attempt in range(3):
        response = page.goto("/login")
        if response is not None and response.status < 500:
            if page.locator("input[name=email]").count():
                break
            # Still signed in: a response in flight when the cookies were cleared set the
            # session cookie again. Clear them once more.
            page.context.clear_cookies()
        page.wait_for_timeout(1000)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def start_planning_round(page, base: str, scope: str) -> str:  # type: ignore[no-untyped-def]
    """Start a planning round at `base` ("/coach/planning" or "/admin/planning") for the scope
    labelled `scope`, wait until its summary is there, and return the round's address."""
    from playwright.sync_api import Error as PlaywrightError

    page.goto(base)
    page.get_by_label(scope).check()
    page.get_by_role("button", name="Starta omgången").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/\d+$"))
    for _ in range(60):  # the job runs on the server's thread
        if page.locator("text=Sammanfattning").count():
            break
        page.wait_for_timeout(500)
        try:
            page.reload()
        except PlaywrightError:  # the page's own script reloaded it at the same moment
            page.wait_for_load_state()
    assert page.locator("text=Sammanfattning").count(), page.content()[:2000]
    return page.url


def tick_first_line_and_send(page, button: str) -> None:  # type: ignore[no-untyped-def]
    """With the keyboard only: focus the first line's checkbox, tick it with the space bar, tab
    to the button named `button` and press Enter (at most one tab per focusable element of the
    page: a button the keyboard never reaches fails the test instead of hanging it)."""
    box = page.locator("main input[name=line]").first
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    focusable = page.locator("a[href], button, input, select, textarea, [tabindex]").count()
    for _ in range(focusable + 1):
        page.keyboard.press("Tab")
        if button in page.evaluate("document.activeElement.textContent"):
            break
    else:
        raise AssertionError(f"{button!r} is not reached with the Tab key")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def logout(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("networkidle")  # no response may set the cookie again afterwards
    page.context.clear_cookies()
