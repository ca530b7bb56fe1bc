"""Does the live server answer, and can every demo role log in through a real browser?"""

from __future__ import annotations

import pytest

from tests.browser.conftest import login_as


@pytest.mark.parametrize(
    ("email", "home_path"),
    [
        ("coach@demo.test", "/coach"),
        ("employer@demo.test", "/employer"),
        ("participant@demo.test", "/me"),
        ("admin@demo.test", "/admin"),
    ],
)
def test_demo_account_logs_in_and_lands_on_its_home(page, email: str, home_path: str) -> None:
    """Does each demo login land on its own audience's home page with one h1?"""
    login_as(page, email)
    assert home_path in page.url
    assert page.locator("h1").count() == 1


def test_wrong_password_stays_on_login_with_message(page) -> None:
    """Does a wrong password keep us on /login and say why?"""
    page.goto("/login")
    page.fill("input[name=email]", "coach@demo.test")
    page.fill("input[name=password]", "wrong-password")
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state()
    assert "/login" in page.url
    assert page.locator(".flash").count() >= 1
