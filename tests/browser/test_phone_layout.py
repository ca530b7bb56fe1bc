"""At phone width (375 px): no date or time broken across two lines on the main pages, and none
of them scrolls sideways. The all-pages sweep in test_axe.py checks the same on every page; this
file names the pages people use most and makes sure they do show dates, so the check is not
passing on pages with nothing to break."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, login_as, logout
from tests.browser.test_axe import layout


def _first_link(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return page.locator(selector).first.get_attribute("href")


def test_the_phone_is_375_pixels_wide(phone_page) -> None:
    assert PHONE["width"] == 375
    phone_page.goto("/login")
    assert phone_page.evaluate("window.innerWidth") == 375


def test_the_check_finds_a_broken_date(phone_page) -> None:
    """Would the check notice a date that wraps at its hyphens in a narrow box, and not one in
    the filter's span?"""
    phone_page.goto("/login")
    phone_page.evaluate(
        """() => {
          const main = document.querySelector('main');
          for (const html of ['2026-12-07', '<span class="nowrap">2026-12-08</span>']) {
            const box = document.createElement('p');
            box.style.width = '3em';
            box.innerHTML = html;
            main.appendChild(box);
          }
        }"""
    )
    found = layout(phone_page)
    assert found["dates"] >= 2
    assert [w.split(" in ")[0] for w in found["wrapped"]] == ["2026-12-07"]


@pytest.mark.parametrize(
    ("email", "where", "needs_dates"),
    [
        ("coach@demo.test", "participant", True),
        ("coach@demo.test", "/coach/", True),
        ("coach@demo.test", "/reports/outcomes", True),
        ("employer@demo.test", "/employer/", False),
        ("participant@demo.test", "/me/", False),
        ("participant@demo.test", "/me/plan", False),
        ("participant@demo.test", "/me/my-data", True),
    ],
)
def test_no_date_wraps_on_the_main_pages(phone_page, email, where, needs_dates) -> None:
    login_as(phone_page, email)
    if where == "participant":
        phone_page.goto("/coach/participants")
        where = _first_link(phone_page, "main table a[href^='/coach/participants/']")
    phone_page.goto(where)
    found = layout(phone_page)
    logout(phone_page)
    assert not found["wrapped"], f"{where}: dates broken across two lines: {found['wrapped']}"
    assert found["overflow"] <= 1, f"{where}: {found['overflow']} px wider than the phone"
    if needs_dates:
        assert found["dates"] >= 1, f"{where}: no date shown, so nothing was checked"


def test_public_pages_on_a_phone(phone_page) -> None:
    """The pages before login (and their error states) at 375 px: axe, no sideways
    scrolling, no broken date. The all-pages sweep starts after login, so these are named here."""
    from tests.browser.test_axe import Checker, submit_main_form

    checker = Checker(layout=True)
    for path in ("/login", "/employer/register", "/tillganglighet", "/password/forgot"):
        phone_page.goto(path)
        checker.check(phone_page, f"{path} (phone)")
        submit_main_form(phone_page)
        checker.check(phone_page, f"{path} (phone, errors)")
    for path in ("/finns-inte", "/password/reset/x"):
        phone_page.goto(path)
        checker.check(phone_page, f"{path} (phone)")
    checker.assert_clean()
