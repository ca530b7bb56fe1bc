"""The coach's day in a real browser: clicks from login to an approved suggestion and to a saved
journal note (counted, at most three each from the home page), and axe plus no sideways
scrolling on the participant hub, the queue, and the self-assessment's confirmation, at desktop
and phone sizes.

Before issue 12 (measured in a browser on the demo of commit 083322f, the code just before the
issue's merge): an approved suggestion took 2 clicks from home, one participant at a time (the
participant's "Förslag" link, then "Godkänn och skicka till deltagaren"); the caseload-wide list
had no approve button; a journal note could not be saved at all (/journal was a 404). After: 2
clicks from home through the caseload-wide list (the home figure, then "Godkänn"), and 3 to a
saved journal note (participant, "Anteckningar", "Spara anteckningen")."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login_as
from tests.browser.test_axe import Checker


class Clicks:
    """Counts the clicks a person makes after the home page has loaded."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page, self.count = page, 0

    def click(self, locator) -> None:  # type: ignore[no-untyped-def]
        locator.click()
        self.page.wait_for_load_state()
        self.count += 1


def test_login_to_an_approved_suggestion_in_at_most_three_clicks(page) -> None:
    login_as(page, "coach@demo.test")
    clicks = Clicks(page)
    clicks.click(page.get_by_role("link", name=re.compile("nya förslag att ta ställning till")))
    row = page.locator("main table tbody tr").first
    title = row.locator("td").nth(2).inner_text()
    clicks.click(row.get_by_role("button", name=re.compile("^Godkänn")))
    assert "förslag är godkänt och skickat" in page.locator(".flash").first.inner_text()
    print(
        f"login -> approved suggestion: {clicks.count} clicks (before: 2, one participant at a time)"
    )
    assert clicks.count <= 3
    # Undo puts the demo back as it was (and shows that undo works in the browser).
    page.get_by_role("button", name="Ångra").click()
    page.wait_for_load_state()
    assert "beslut är ångrat" in page.locator(".flash").first.inner_text()
    assert title.split(" ")[0] in page.locator("main table").inner_text()


def test_login_to_a_saved_journal_note_in_at_most_three_clicks(page) -> None:
    login_as(page, "coach@demo.test")
    clicks = Clicks(page)
    clicks.click(page.locator("main table a[href^='/coach/participants/']").first)
    clicks.click(
        page.get_by_role("navigation", name="Delar av deltagarens sida").get_by_role(
            "link", name="Anteckningar"
        )
    )
    page.get_by_label("Anteckning", exact=True).fill("Ringde och bokade ett möte om CV:t.")
    clicks.click(page.get_by_role("button", name="Spara anteckningen"))
    assert "Anteckningen är sparad." in page.locator(".flash").first.inner_text()
    assert "Ringde och bokade ett möte om CV:t." in page.locator("ol.journal").inner_text()
    print(f"login -> saved journal note: {clicks.count} clicks (before: not possible)")
    assert clicks.count <= 3


def _hub_pages(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto("/coach/participants")
    href = page.locator("main table a[href^='/coach/participants/']").first.get_attribute("href")
    base = href.rstrip("/")
    return [
        "/coach/",
        "/coach/suggestions",
        "/coach/participants?flag=no_approved",
        base,
        base + "/suggestions",
        base + "/plan",
        base + "/progression",
        base + "/placements",
        base + "/journal",
        base + "/meetings",
    ]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_hub_pages_pass_axe_without_sideways_scrolling(page, phone_page, size) -> None:
    p = phone_page if size == "phone" else page
    login_as(p, "coach@demo.test")
    checker = Checker()
    wide = []
    for path in _hub_pages(p):
        p.goto(path)
        checker.check(p, f"{path} ({size})")
        overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            wide.append(f"{path}: {overflow}px")
    # Forms in their error state: an empty note, a meeting without a time.
    p.goto(_hub_pages(p)[-2])
    p.get_by_role("button", name="Spara anteckningen").click()
    p.wait_for_load_state()
    checker.check(p, f"journal errors ({size})")
    p.goto(_hub_pages(p)[-1])
    p.get_by_role("button", name="Spara mötet").click()
    p.wait_for_load_state()
    checker.check(p, f"meeting errors ({size})")
    assert not wide, f"pages wider than the window: {wide}"
    checker.assert_clean()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_self_assessment_confirmation(page, phone_page, size) -> None:
    p = phone_page if size == "phone" else page
    login_as(p, "participant@demo.test")
    p.goto("/me/assessment")
    first = p.locator("fieldset.scale").first
    tops = {round(box["y"]) for box in (lbl.bounding_box() for lbl in first.locator("label").all())}
    assert len(tops) == 1, "the scale wraps over more than one row"
    first.locator("label").nth(3).click()
    p.get_by_role("button", name="Skicka mina svar").click()
    p.wait_for_load_state()
    assert p.url.endswith("/me/assessment/thanks")
    assert p.get_by_role("heading", level=1).inner_text().startswith("Tack")
    checker = Checker()
    checker.check(p, f"/me/assessment/thanks ({size})")
    assert p.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    checker.assert_clean()
