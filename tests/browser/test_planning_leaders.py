"""Planning pages of a unit's manager who coordinates the region, in the browser: axe at
desktop and phone width, keyboard only; and the account page where the coordinator is set."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import create_engine, text

from tests.browser.conftest import login_as, start_planning_round, tick_first_line_and_send
from tests.browser.test_axe import Checker


def _coordinator(database_url: str) -> tuple[str, int]:
    """A new admin of coach@demo.test's unit who coordinates its region (same demo password):
    the e-mail and the account's id."""
    email = f"samordnare-{uuid.uuid4().hex[:8]}@demo.test"
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            coach = conn.execute(
                text(
                    "SELECT u.unit_id, un.region_id, u.password_hash FROM users u"
                    " JOIN units un ON un.id = u.unit_id WHERE u.email = 'coach@demo.test'"
                )
            ).one()
            conn.execute(
                text(
                    "INSERT INTO users (email, password_hash, name, role, unit_id,"
                    " coordinates_region_id, active, failed_logins, created_at, session_token,"
                    " must_change_password) VALUES (:email, :hash, 'Sam Samordnare', 'admin',"
                    " :unit, :region, 1, 0, CURRENT_TIMESTAMP, :token, 0)"
                ),
                {
                    "email": email,
                    "hash": coach.password_hash,
                    "unit": coach.unit_id,
                    "region": coach.region_id,
                    "token": uuid.uuid4().hex,
                },
            )
            user_id = conn.execute(
                text("SELECT id FROM users WHERE email = :e"), {"e": email}
            ).scalar_one()
    finally:
        engine.dispose()
    return email, int(user_id)


def _start_round(page, scope: str) -> str:  # type: ignore[no-untyped-def]
    return start_planning_round(page, "/admin/planning", scope)


def test_leader_planning_pages_pass_axe_on_desktop_and_phone(page, phone_page, live_server):  # type: ignore[no-untyped-def]
    """Do the rounds list (with errors), a region round, a line and the account page pass?"""
    email, user_id = _coordinator(live_server.database_url)
    checker = Checker()
    login_as(page, email)
    page.goto("/admin/planning")
    checker.check(page, "/admin/planning")
    page.fill("[name=exposure_multiple]", "0")
    page.get_by_role("button", name="Starta omgången").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "/admin/planning (errors)")
    url = _start_round(page, "Regionen")
    checker.check(page, "region round")
    assert page.locator("main td", has_text=re.compile(r"^Deltagare nr \d+, ")).count()
    lines = page.locator("main a", has_text="Ändra raden för")
    assert lines.count(), "a region round on the demo proposes at least one line"
    lines.first.click()
    checker.check(page, "line")
    login_as(phone_page, email)
    for where in ("/admin/planning", url, page.url):
        phone_page.goto(where)
        checker.check(phone_page, f"{where} (phone)")
    login_as(page, "admin@demo.test")
    page.goto(f"/admin/accounts/{user_id}")
    assert page.get_by_label("Samordnar regionen").count() == 1
    checker.check(page, "account with coordinator form")
    checker.assert_clean()


def test_can_a_manager_send_lines_to_the_coaches_with_the_keyboard_only(page, live_server):  # type: ignore[no-untyped-def]
    """Tab to a line's checkbox, tick it with the space bar, and send it with Enter."""
    email, _user_id = _coordinator(live_server.database_url)
    login_as(page, email)
    _start_round(page, "Hela enheten")
    tick_first_line_and_send(page, "Skicka valda rader till coacherna")
    flashes = page.locator(".flash").all_inner_texts()
    assert any("som avgör" in f for f in flashes), flashes
