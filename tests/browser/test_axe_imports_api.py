"""axe over the import pages (form, errors, a dry-run result with refused rows), the admin's API
token page (empty, with errors, with a new token shown) and the API docs page."""

from __future__ import annotations

import time

from tests.browser.conftest import login_as
from tests.browser.test_axe import Checker

BAD_CSV = (
    "Externt id;Förnamn;Efternamn;Kommun;Personnummer\n"
    "A-1;Amina;Hassan;Karlskoga;19811218-9875\n"
    "A-2;Erik;Berg;Atlantis;\n"
).encode()


def test_import_pages(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Are the import page, its error state and a dry-run result accessible?"""
    checker = Checker()
    login_as(page, "coach@demo.test")
    page.goto("/coach/imports")
    checker.check(page, "/coach/imports")
    page.get_by_role("button", name="Kontrollera filen").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "/coach/imports (errors)")
    upload = tmp_path / "deltagare.csv"
    upload.write_bytes(BAD_CSV)
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="Kontrollera filen").click()
    page.wait_for_load_state()
    for _ in range(40):
        if page.get_by_role("heading", name="Rader med fel").count():
            break
        time.sleep(0.25)
        page.reload()
    assert "Personnumrets kontrollsiffra" in page.content()
    checker.check(page, "import result")
    checker.assert_clean()


def test_api_token_page_and_api_docs(page) -> None:  # type: ignore[no-untyped-def]
    """Are the API token page (empty, with errors, with a new token) and the API docs accessible?"""
    checker = Checker()
    login_as(page, "admin@demo.test")
    page.goto("/admin/api-tokens")
    checker.check(page, "/admin/api-tokens")
    page.get_by_role("button", name="Skapa nyckel").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "/admin/api-tokens (errors)")
    page.fill("[name=name]", "Treserva")
    page.select_option("[name=kind]", "integration")
    page.select_option("[name=role]", "coach")
    page.select_option("[name=unit_id]", index=1)
    page.get_by_role("button", name="Skapa nyckel").click()
    page.wait_for_load_state()
    assert page.locator("#new-secret").input_value().startswith("pm_")
    checker.check(page, "/admin/api-tokens (created)")
    page.goto("/admin/imports")
    checker.check(page, "/admin/imports")
    page.goto("/api/v1/docs")
    checker.check(page, "/api/v1/docs")
    checker.assert_clean()


def test_new_pages_on_a_phone(phone_page) -> None:  # type: ignore[no-untyped-def]
    """Are the import page, the token page and the API docs clean at phone width too?"""
    checker = Checker()
    phone_page.goto("/api/v1/docs")
    checker.check(phone_page, "/api/v1/docs (phone)")
    login_as(phone_page, "coach@demo.test")
    phone_page.goto("/coach/imports")
    checker.check(phone_page, "/coach/imports (phone)")
    checker.assert_clean()
