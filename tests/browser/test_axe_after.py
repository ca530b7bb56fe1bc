"""axe (WCAG 2.1 AA) at desktop and phone width, and the keyboard, over what follows a placement
(issue 13, second part): follow-along support with a period and a contact and its forms in the
error state, coach-to-participant messages as the coach and the participant see them, the coach's
contact details, an account's work phone, the employer's offer form with its cap and the report
with its new tables."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.browser.conftest import PHONE, login_as, logout
from tests.browser.test_axe import Checker

DESKTOP = {"width": 1280, "height": 900}


def _ids(database_url: str) -> tuple[int, int]:
    """participant@demo.test's participant id and coach@demo.test's user id."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            pid = conn.execute(
                text(
                    "SELECT p.id FROM participants p JOIN users u ON u.id = p.user_id"
                    " WHERE u.email = 'participant@demo.test'"
                )
            ).scalar_one_or_none()
            coach = conn.execute(
                text("SELECT id FROM users WHERE email = 'coach@demo.test'")
            ).scalar_one_or_none()
    finally:
        engine.dispose()
    if pid is None or coach is None:
        pytest.fail("the demo data has no participant@demo.test or coach@demo.test")
    return int(pid), int(coach)


def _both_widths(page, checker: Checker, where: str) -> None:  # type: ignore[no-untyped-def]
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.reload()
        checker.check(page, f"{where} ({name})")
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
            ".right > w + 1).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)",
            size["width"],
        )
        assert width <= size["width"] + 1, f"{where} wider than the {name} window: {width} {wide}"
    page.set_viewport_size(DESKTOP)


def test_pages_after_the_placement_pass_axe(page, live_server) -> None:  # type: ignore[no-untyped-def]
    pid, coach_id = _ids(live_server.database_url)
    checker = Checker()
    login_as(page, "coach@demo.test")

    # Follow-along support: empty, the new form in its error state, then with a period.
    path = f"/coach/participants/{pid}/follow-along"
    assert page.goto(path).status == 200
    _both_widths(page, checker, path)
    page.get_by_role("button", name="Spara stödet").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "follow-along, new period (errors)")
    page.get_by_label("Stöd på arbetsplatsen").first.check()
    page.get_by_label("Råd och stöd till arbetsgivaren").first.check()
    page.locator("#new-start_on").fill("2026-11-02")
    page.locator("#new-employer_name").fill("Bageriet i Karlskoga AB")
    page.get_by_role("button", name="Spara stödet").click()
    page.wait_for_load_state()
    assert "Bageriet i Karlskoga AB" in page.content()
    # A contact with an empty text: the error state of the contact form ...
    page.get_by_role("button", name="Spara kontakten").first.click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "follow-along, contact (errors)")
    # ... then one made with the keyboard only: the radio groups and the button by key presses.
    form = page.locator("form[action$='/contacts']").first
    form.locator("input[name$='-contact_on']").fill("2026-11-10")
    form.locator("input[value='supervisor']").focus()
    page.keyboard.press("Space")
    form.locator("input[value='visit']").focus()
    page.keyboard.press("Space")
    form.locator("textarea").focus()
    page.keyboard.type("Gick igenom schemat med handledaren.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Gick igenom schemat med handledaren." in page.content()
    _both_widths(page, checker, f"{path} (a period with a contact)")

    # Messages: the form in its error state, then one sent and listed with its read status.
    path = f"/coach/participants/{pid}/messages"
    assert page.goto(path).status == 200
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "messages (errors)")
    page.get_by_label("Meddelande").fill("Hej! Vi ses på tisdag klockan 10.")
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_load_state()
    assert "Inte läst" in page.content()
    _both_widths(page, checker, path)

    # The coach's own contact details, in the error state too.
    assert page.goto("/coach/profile").status == 200
    _both_widths(page, checker, "/coach/profile")
    page.get_by_label("Jobbtelefon").fill("ring mig")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "/coach/profile (errors)")
    page.get_by_label("Jobbtelefon").fill("0586-614 00")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()

    assert page.goto("/reports/outcomes").status == 200
    _both_widths(page, checker, "/reports/outcomes")
    logout(page)

    # The participant reads the message on their home page, with the coach's phone.
    login_as(page, "participant@demo.test")
    assert page.goto("/me/").status == 200
    assert "Hej! Vi ses på tisdag klockan 10." in page.content()
    assert "0586-614 00" in page.content()
    _both_widths(page, checker, "/me/")
    logout(page)

    # The coach now sees the message as read.
    login_as(page, "coach@demo.test")
    page.goto(f"/coach/participants/{pid}/messages")
    assert "Läst " in page.content()
    logout(page)

    login_as(page, "admin@demo.test")
    path = f"/admin/accounts/{coach_id}"
    assert page.goto(path).status == 200
    _both_widths(page, checker, path)
    logout(page)

    login_as(page, "employer@demo.test")
    assert page.goto("/employer/offers/new").status == 200
    _both_widths(page, checker, "/employer/offers/new")
    logout(page)
    checker.assert_clean()
