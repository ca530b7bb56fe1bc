"""The vocabulary typeahead in a real browser: type, pick with the keyboard, keep free text."""

from __future__ import annotations

from tests.browser.conftest import login_as


def test_typeahead_suggests_and_picks_with_keyboard(page) -> None:
    """Does typing a prefix list competences, and do ArrowDown + Enter pick one?"""
    login_as(page, "employer@demo.test")
    page.goto("/employer/offers/new")
    box = page.locator("[name=skills_required]")
    assert box.get_attribute("role") == "combobox"
    box.fill("egen text, truc")
    box.press("End")
    page.keyboard.type("k")
    option = page.locator("[role=listbox] [role=option]").first
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    label = option.inner_text()
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant")
    box.press("Enter")
    value = box.input_value()
    assert value.startswith("egen text, ") and label in value, value
    assert box.get_attribute("aria-expanded") == "false"
    assert "/employer/offers/new" in page.url, "Enter on a suggestion must not submit the form"


def test_term_input_works_without_javascript(browser, live_url: str) -> None:
    """With JavaScript off, is the competence field a plain text input that saves free text?"""
    ctx = browser.new_context(base_url=live_url, java_script_enabled=False, locale="sv-SE")
    try:
        page = ctx.new_page()
        login_as(page, "coach@demo.test")
        page.goto("/coach/participants/new")
        box = page.locator("[name=skills]")
        assert box.get_attribute("role") is None
        assert box.get_attribute("type") == "text"
    finally:
        ctx.close()
