"""Planning-round pages in the browser: axe at desktop and phone width, keyboard only.

The round pages exist only once a round has been started, so the crawl of test_axe cannot
reach them from the coach's home: this test starts one and checks every page of it.
"""

from __future__ import annotations

import re

from tests.browser.conftest import login_as, start_planning_round, tick_first_line_and_send
from tests.browser.test_axe import Checker


def _start_round(page) -> str:  # type: ignore[no-untyped-def]
    return start_planning_round(page, "/coach/planning", "Hela enheten")


def test_planning_pages_pass_axe_on_desktop_and_phone(page, phone_page) -> None:
    """Do the rounds list (also with errors), a round and a line page pass axe at both widths?"""
    checker = Checker()
    login_as(page, "coach@demo.test")
    page.goto("/coach/planning")
    checker.check(page, "/coach/planning")
    page.fill("[name=exposure_multiple]", "0")
    page.get_by_role("button", name="Starta omgången").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "/coach/planning (errors)")
    url = _start_round(page)
    checker.check(page, "round")
    page.locator("main a", has_text="Ändra raden för").first.click()
    checker.check(page, "line")
    login_as(phone_page, "coach@demo.test")
    for where in ("/coach/planning", url, page.url):
        phone_page.goto(where)
        checker.check(phone_page, f"{where} (phone)")
    checker.assert_clean()


def test_can_a_round_be_approved_with_the_keyboard_only(page) -> None:
    """Tab to a line's checkbox, tick it with the space bar, and approve with Enter."""
    login_as(page, "coach@demo.test")
    _start_round(page)
    tick_first_line_and_send(page, "Godkänn valda rader")
    flashes = page.locator(".flash").all_inner_texts()
    assert any(re.search("förslag är godkän(t|da) och skicka(t|de)", f) for f in flashes), flashes


def test_refresh_progress_page_passes_axe(page, phone_page) -> None:
    """Is the installation admin's refresh page clean, with its error state, at both widths?"""
    checker = Checker()
    login_as(page, "admin@demo.test")
    page.goto("/admin/refresh")
    checker.check(page, "/admin/refresh")
    page.fill("[name=chunk_size]", "1")
    page.get_by_role("button", name="Starta uppdateringen").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "/admin/refresh (errors)")
    login_as(phone_page, "admin@demo.test")
    phone_page.goto("/admin/refresh")
    checker.check(phone_page, "/admin/refresh (phone)")
    checker.assert_clean()
