"""axe (WCAG 2.1 AA) at desktop and phone width over the placement pages of issue 13: the
agreement (page, form errors, print), the coach's placement page with attendance and the
supervisor's links, follow-ups after exit, the employer's assessment form and the public
one-time link form with its errors. Demo data gives ongoing placements to start from."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, text

from services.supervisor_assessments import SALT
from tests.browser.conftest import PHONE, login_as, logout
from tests.browser.test_axe import Checker
from web.settings import DEFAULT_SECRET_KEY

DESKTOP = {"width": 1280, "height": 900}


def _ongoing(database_url: str) -> tuple[int, int, str]:
    """An ongoing demo placement in coach@demo.test's unit: match id, placement id, and the
    e-mail of one of the host employer's contacts."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT m.id, pl.id, eu.email FROM matches m"
                    " JOIN placements pl ON pl.match_id = m.id"
                    " JOIN participants p ON p.id = m.participant_id"
                    " JOIN users c ON c.unit_id = p.unit_id AND c.email = 'coach@demo.test'"
                    " JOIN offers o ON o.id = m.offer_id"
                    " JOIN users eu ON eu.employer_id = o.employer_id"
                    " WHERE m.status = 'ongoing' AND EXISTS (SELECT 1 FROM placement_agreements pa"
                    " WHERE pa.placement_id = pl.id) ORDER BY eu.email = 'employer@demo.test' DESC"
                    " LIMIT 1"
                )
            ).one_or_none()
    finally:
        engine.dispose()
    if row is None:
        pytest.fail("the demo data has no ongoing placement for coach@demo.test")
    return int(row[0]), int(row[1]), str(row[2])


def _both_widths(page, checker: Checker, where: str) -> None:  # type: ignore[no-untyped-def]
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.reload()
        checker.check(page, f"{where} ({name})")
    page.set_viewport_size(DESKTOP)


def test_placement_pages_pass_axe(page, live_server) -> None:  # type: ignore[no-untyped-def]
    match_id, placement_id, employer_email = _ongoing(live_server.database_url)
    checker = Checker()
    login_as(page, "coach@demo.test")
    for path in (
        f"/coach/placements/{match_id}",
        f"/coach/placements/{match_id}/agreement",
        f"/coach/placements/{match_id}/agreement/print",
        "/coach/follow-ups",
    ):
        assert page.goto(path).status == 200, path
        _both_widths(page, checker, path)
    # the agreement form in its error state
    page.goto(f"/coach/placements/{match_id}/agreement")
    page.fill("[name=start_on]", "")
    page.fill("[name=supervisor_email]", "not-an-address")
    page.get_by_role("button", name="Spara ny version").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "agreement form (errors)")
    logout(page)

    token = URLSafeTimedSerializer(DEFAULT_SECRET_KEY, salt=SALT).dumps(
        {"p": placement_id, "s": "mid"}
    )
    link = f"/handledare/bedomning/{token}"
    assert page.goto(link).status == 200
    _both_widths(page, checker, "one-time assessment link")
    page.get_by_role("button", name="Skicka bedömningen").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() >= 1
    checker.check(page, "one-time assessment link (errors)")

    login_as(page, employer_email)
    for path in (
        f"/employer/placements/{match_id}/agreement",
        f"/employer/placements/{match_id}/assessment/end",
    ):
        assert page.goto(path).status == 200, path
        _both_widths(page, checker, path)
    logout(page)
    checker.assert_clean()
