"""Keyboard only (Tab, Shift+Tab, Enter, Space): log in, open a participant, submit a form.

Every element that receives focus on the way must show it (an outline or a focus ring), and the
controls must be reachable in order, without a mouse.
"""

from __future__ import annotations

import re

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {ok: false, what: 'body'};
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  return {ok: (outline || ring) && r.width > 0 && r.height > 0,
          what: el.tagName + (el.name ? '[name=' + el.name + ']' : '') + ' ' + (el.textContent || '').trim().slice(0, 40)};
}"""


def tab_to(page, test_js: str, limit: int = 120) -> list[str]:  # type: ignore[no-untyped-def]
    """Press Tab until `test_js` (an expression over `el`) holds for the focused element;
    return the focused elements that did not show their focus."""
    invisible: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_VISIBLE)
        if not state["ok"]:
            invisible.append(state["what"])
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({test_js}); }}"):
            return invisible
    raise AssertionError(f"Tab never reached the element ({test_js}) in {limit} presses")


def test_keyboard_only_login_open_participant_and_save(page) -> None:
    """Can a coach log in, open a participant and save the profile with the keyboard alone?"""
    page.goto("/login")
    not_shown = tab_to(page, "el.classList.contains('skip-link')")
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0, "the skip link stays off-screen when focused"
    not_shown += tab_to(page, "el.name === 'email'")
    page.keyboard.type("coach@demo.test")
    not_shown += tab_to(page, "el.name === 'password'")
    page.keyboard.type("demo1234")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/coach/"))

    not_shown += tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Ärendelista'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/coach/participants$"))
    not_shown += tab_to(
        page, "el.tagName === 'A' && /\\/coach\\/participants\\/\\d+$/.test(el.href)"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/coach/participants/\d+$"))
    assert page.locator("h1").count() == 1

    not_shown += tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Ändra profil'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/edit$"))
    # A check box toggles with Space; the submit button is reached after every field.
    not_shown += tab_to(page, "el.name === 'driving_licence'")
    before = page.is_checked("[name=driving_licence]")
    page.keyboard.press("Space")
    assert page.is_checked("[name=driving_licence]") != before
    not_shown += tab_to(
        page, "el.tagName === 'BUTTON' && el.type === 'submit' && el.textContent.trim() === 'Spara'"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/coach/participants/\d+$"))
    assert "Profilen är sparad" in page.content()
    assert not not_shown, f"focus was not visible on: {not_shown}"


def test_skip_link_moves_focus_to_main(page) -> None:
    """Does Enter on the skip link put the keyboard focus in the main content?"""
    page.goto("/tillganglighet")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_error_summary_links_reach_the_field(page) -> None:
    """After a failed registration, can the keyboard follow the error list to the field?"""
    page.goto("/employer/register")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Registrera'", limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".error-summary").count() == 1
    page.locator(".error-summary a").first.focus()
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.name")
    assert focused == "org_name"


def test_forgot_password_with_the_keyboard_alone(page) -> None:
    """Can someone reach "Glömt lösenord?" from the login page and send the form with the
    keyboard alone, every control showing its focus?"""
    page.goto("/login")
    not_shown = tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Glömt lösenord?'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/password/forgot")
    not_shown += tab_to(page, "el.name === 'email'")
    page.keyboard.type("nobody@demo.test")
    not_shown += tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Skicka länk'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Titta i din e-post" in page.locator("h1").inner_text()
    assert not not_shown, not_shown
