"""axe-core over every page each demo role can reach, the public pages, and forms in their error
state: no WCAG 2.1 A/AA violation anywhere. At phone width (375 px) every page of every role is
also checked for sideways scrolling and for a date or time broken across two lines.

The crawl starts at each account's home and follows same-site links (GET only), at most a few
pages per URL shape (`/coach/participants/{id}` is one shape), so every template is checked
without visiting all hundred participants.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import login_as, logout

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PER_SHAPE = 2
MAX_PAGES = 60
SKIP = re.compile(r"^/(static|api)/|/logout$|\.(csv|xlsx|json|pdf|svg|png)$")
ACCOUNTS = ("coach@demo.test", "employer@demo.test", "participant@demo.test", "admin@demo.test")


# What the page measures at phone width: how far it is wider than the window, and every date
# or time ("2026-12-07", "2026-12-07 kl. 14.00", "14:00") in visible text whose characters sit on
# more than one line. A Range over the date's characters gives one box per line it is on.
LAYOUT_JS = r"""() => {
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  const pattern = /\d{4}-\d{2}-\d{2}(?: (?:kl\. )?\d{2}[.:]\d{2})?|\b\d{2}[.:]\d{2}\b/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const wrapped = [];
  let dates = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, svg, option, textarea, .visually-hidden")) continue;
    for (const m of node.data.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const boxes = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (!boxes.length) continue;
      dates += 1;
      const lines = new Set(boxes.map((r) => Math.round(r.top)));
      if (lines.size > 1) wrapped.push(`${m[0]} in ${parent.outerHTML.slice(0, 120)}`);
    }
  }
  return {overflow, dates, wrapped};
}"""


def layout(page) -> dict:  # type: ignore[no-untyped-def]
    """{"overflow": px wider than the window, "dates": how many seen, "wrapped": [dates]}."""
    return page.evaluate(LAYOUT_JS)


class Checker:
    """Runs axe on the current page and keeps every violation with where it was found; with
    `layout=True` (phone width) also a page wider than the window and a date broken in two."""

    def __init__(self, layout: bool = False) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.layout = layout
        self.pages: list[str] = []
        self.problems: list[str] = []

    def check(self, page, where: str) -> None:  # type: ignore[no-untyped-def]
        # A click that navigates changes page.url when the new document is committed, before it
        # has loaded; axe run then would meet a document without an element (seen once in CI).
        page.wait_for_load_state("load")
        results = self.axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        self.pages.append(where)
        if self.layout:
            found = layout(page)
            if found["overflow"] > 1:
                self.problems.append(f"{where}: {found['overflow']} px wider than the phone")
            for text in found["wrapped"]:
                self.problems.append(f"{where}: a date is broken across two lines: {text}")
        for v in results.response.get("violations", []):
            targets = "; ".join(
                ",".join(map(str, node.get("target", []))) for node in v.get("nodes", [])[:5]
            )
            self.problems.append(
                f"{where}: {v['id']} ({v.get('impact')}): {v['help']} -> {targets}"
            )

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"{len(self.problems)} axe violation(s) on {len(self.pages)} pages:\n"
            + "\n".join(self.problems)
        )


def shape(path: str) -> str:
    return re.sub(r"/\d+", "/{id}", path)


def crawl(page, live_url: str, checker: Checker, start: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Breadth-first over same-site links from `start`; returns the paths visited."""
    seen_shapes: dict[str, int] = {}
    queue: deque[str] = deque([start])
    visited: list[str] = []
    queued = {start}
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        key = shape(urlsplit(path).path) + ("?" if urlsplit(path).query else "")
        if seen_shapes.get(key, 0) >= PER_SHAPE:
            continue
        probe = page.context.request.get(live_url + path, max_redirects=0)
        content_type = probe.headers.get("content-type", "")
        if probe.status >= 300 or not content_type.startswith("text/html"):
            continue
        seen_shapes[key] = seen_shapes.get(key, 0) + 1
        page.goto(path)
        visited.append(path)
        checker.check(page, path)
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            absolute = urljoin(live_url + path, href)
            parts = urlsplit(absolute)
            if parts.netloc != urlsplit(live_url).netloc or SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in queued:
                queued.add(target)
                queue.append(target)
    return visited


def submit_main_form(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("email", ACCOUNTS)
def test_every_page_of_each_role_has_no_wcag_violation(
    page, phone_page, live_url: str, email: str, size: str
) -> None:
    """Does axe find nothing on any page a demo account can reach from its home, at desktop
    and at phone width? On the phone: does any page scroll sideways, or break a date in two?"""
    p = phone_page if size == "phone" else page
    checker = Checker(layout=size == "phone")
    login_as(p, email)
    start = urlsplit(p.url).path
    visited = crawl(p, live_url, checker, start)
    assert len(visited) >= 4, visited
    print(f"{email} ({size}): {len(visited)} pages checked: {' '.join(visited)}")
    checker.assert_clean()


def test_the_checker_does_catch_a_violation(page) -> None:
    """Would this suite notice a real problem (an input without a label, low contrast)?"""
    checker = Checker()
    page.goto("/login")
    page.evaluate(
        "() => { const i = document.createElement('input'); i.type = 'text';"
        " document.querySelector('main').appendChild(i); }"
    )
    checker.check(page, "/login (broken on purpose)")
    assert any(": label " in p for p in checker.problems), checker.problems


def test_account_link_pages(page) -> None:
    """The pages around e-mailed links: sent, and a link that no longer works."""
    checker = Checker()
    for path in ("/employer/register/sent", "/password/reset/x", "/employer/register/confirm/x"):
        page.goto(path)
        checker.check(page, path)
    page.goto("/password/forgot")
    page.fill("[name=email]", "nobody@demo.test")
    submit_main_form(page)
    checker.check(page, "/password/forgot (sent)")
    checker.assert_clean()


def test_public_pages_and_their_error_states(page) -> None:
    """Login, registration and the accessibility statement, empty and with errors."""
    checker = Checker()
    for path in ("/login", "/employer/register", "/tillganglighet", "/password/forgot"):
        page.goto(path)
        checker.check(page, path)
        submit_main_form(page)
        assert page.locator(".error, .flash-error").count() >= 1, path
        checker.check(page, f"{path} (errors)")
    checker.assert_clean()


@pytest.mark.parametrize(
    ("email", "path", "fill"),
    [
        (
            "employer@demo.test",
            "/employer/offers/new",
            {"title": "", "hours_min": "70", "capacity": "-3"},
        ),
        ("employer@demo.test", "/employer/workplaces/new", {"postal_code": "12"}),
        ("employer@demo.test", "/employer/organisation", {"org_name": ""}),
        ("coach@demo.test", "/coach/participants/new", {"personnummer": "19850101-0000"}),
        ("participant@demo.test", "/me/my-data/correction", {}),
        ("coach@demo.test", "/account/password", {"new_password": "kort"}),
        ("admin@demo.test", "/admin/accounts/new", {"email": "x"}),
    ],
)
def test_form_error_states(page, email: str, path: str, fill: dict[str, str]) -> None:
    """Are the forms accessible with their error messages showing?"""
    checker = Checker()
    login_as(page, email)
    page.goto(path)
    for name, value in fill.items():
        page.fill(f"[name={name}]", value)
    submit_main_form(page)
    assert page.locator(".error").count() >= 1
    checker.check(page, f"{path} (errors)")
    checker.assert_clean()


def test_revealed_profile_and_sensitive_form(page) -> None:
    """Are the logged reveal of health fields and the sensitive-data form accessible?"""
    checker = Checker()
    login_as(page, "coach@demo.test")
    page.goto("/coach/participants")
    page.locator("main table a").first.click()
    page.get_by_role("button", name="Visa känsliga uppgifter").click()
    checker.check(page, "profile (revealed)")
    page.get_by_role("button", name="Ändra känsliga uppgifter").click()
    checker.check(page, "sensitive form")
    checker.assert_clean()


def test_pages_in_english(page) -> None:
    """Is the English version of a page as clean as the Swedish one?

    The choice is saved on the account, so the test switches back to Swedish however it ends:
    the other browser tests read coach@demo.test's pages in Swedish.
    """
    checker = Checker()
    login_as(page, "coach@demo.test")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    try:
        for path in ("/coach/participants", "/coach/participants/new", "/tillganglighet"):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == "en"
            checker.check(page, f"{path} (en)")
    finally:
        page.goto("/coach/participants")
        page.get_by_role("button", name="Svenska").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "sv"
    checker.assert_clean()


def test_participant_pages_on_a_phone(phone_page, live_url: str) -> None:
    """On a phone-sized window: no violations, and no page scrolls sideways."""
    checker = Checker()
    login_as(phone_page, "participant@demo.test")
    visited = crawl(phone_page, live_url, checker, urlsplit(phone_page.url).path)
    wide = []
    for path in visited:
        phone_page.goto(path)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            wide.append(f"{path}: {overflow}px")
    assert not wide, f"pages wider than the phone: {wide}"
    checker.assert_clean()


@pytest.mark.parametrize(
    ("email", "path", "button"),
    [
        ("participant@demo.test", "/me/assessment", "Skicka mina svar"),
        ("admin@demo.test", "/admin/indicators/new", "Spara"),
        ("coach@demo.test", "plan", "Lägg till"),
    ],
)
def test_other_forms_error_states(page, email: str, path: str, button: str) -> None:
    """The self-assessment, indicator and plan forms, submitted empty."""
    checker = Checker()
    login_as(page, email)
    if path == "plan":
        page.goto("/coach/participants")
        page.locator("main table a").first.click()
        page.goto(page.url.rstrip("/") + "/plan")
    else:
        page.goto(path)
    page.get_by_role("button", name=button, exact=True).last.click()
    page.wait_for_load_state()
    assert page.locator(".error, .flash-error").count() >= 1
    checker.check(page, f"{path} (errors)")
    checker.assert_clean()


def test_region_pages_at_desktop_and_phone_width(page, phone_page) -> None:
    """The coach's employer list, an employer with its contact log and offer sharing (and the
    contact form with errors), the unit settings and the regions pages: clean at both widths?"""
    checker = Checker()
    wide: list[str] = []

    def check(p, where: str) -> None:  # type: ignore[no-untyped-def]
        checker.check(p, where)
        if p.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 1:
            wide.append(where)

    for p, width in ((page, "desktop"), (phone_page, "phone")):
        login_as(p, "coach@demo.test")
        p.goto("/coach/employers")
        check(p, f"/coach/employers ({width})")
        p.locator("main table a").first.click()
        p.wait_for_load_state()
        assert p.locator("select[name$=sharing]").count() >= 1
        check(p, f"employer page ({width})")
        p.fill("textarea[name=subject]", "")
        p.get_by_role("button", name="Spara kontakten").click()
        p.wait_for_load_state()
        assert p.locator(".error").count() >= 1
        check(p, f"employer contact form (errors, {width})")
        logout(p)
        login_as(p, "admin@demo.test")
        p.goto("/admin/")
        p.locator("main ul a[href*='/admin/units/']").first.click()
        p.wait_for_load_state()
        check(p, f"unit settings ({width})")
        p.fill("input[name=default_max_commute_km]", "0")
        p.get_by_role("button", name="Spara", exact=True).click()
        p.wait_for_load_state()
        assert p.locator(".error").count() >= 1
        check(p, f"unit settings (errors, {width})")
        p.goto("/admin/regions")
        check(p, f"/admin/regions ({width})")
    assert not wide, f"pages wider than the window: {wide}"


def test_account_pages_on_a_phone(phone_page) -> None:
    """The password and account pages on a phone: no violations, nothing scrolls sideways
    (the accounts table may: it sits in the page's own table scroller, like other lists)."""
    checker = Checker()
    wide = []
    pages = ["/password/forgot", "/password/reset/x", "/employer/register/sent"]
    for path in pages:
        phone_page.goto(path)
        checker.check(phone_page, f"{path} (phone)")
        if phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 1:
            wide.append(path)
    login_as(phone_page, "admin@demo.test")
    for path in ("/account/password", "/admin/accounts", "/admin/accounts/new"):
        phone_page.goto(path)
        checker.check(phone_page, f"{path} (phone)")
        if phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 1:
            wide.append(path)
    phone_page.goto("/admin/accounts")
    phone_page.locator("table a").first.click()
    phone_page.wait_for_load_state()
    checker.check(phone_page, "/admin/accounts/<id> (phone)")
    assert not wide, f"pages wider than the phone: {wide}"
    checker.assert_clean()
