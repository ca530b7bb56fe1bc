"""Reports, progression, plans and the self-assessment in a real browser (issue 7).

Do the server-drawn charts render with a size, do the pages pass axe, and does a report built in
the background show its progress and then its figures (the page polls /api/jobs/<id>)?
"""

from __future__ import annotations

import re

from tests.browser.conftest import login_as
from tests.browser.test_axe import Checker

REPORTS = ("outcomes", "timing", "funnel", "equality", "progression")


def _charts_render(page) -> int:  # type: ignore[no-untyped-def]
    charts = page.locator("svg.chart")
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
    return charts.count()


def test_admin_reports_render_with_charts_and_pass_axe(page) -> None:
    login_as(page, "admin@demo.test")
    checker = Checker()
    page.goto("/reports/")
    checker.check(page, "/reports/")
    for kind in REPORTS:
        page.goto(f"/reports/{kind}")
        assert page.locator("h1").count() == 1
        assert _charts_render(page) >= 1, kind
        assert page.locator("table caption").count() >= 1
        checker.check(page, f"/reports/{kind}")
    # every participant figure has its gender split
    page.goto("/reports/outcomes")
    headers = page.locator("table").first.locator("thead th").all_inner_texts()
    assert headers[1:] == ["Kvinnor", "Män", "Annat eller inte angivet", "Totalt"]
    page.goto("/reports/esf")
    checker.check(page, "/reports/esf")
    page.goto("/admin/indicators")
    checker.check(page, "/admin/indicators")
    checker.assert_clean()


def test_background_report_shows_progress_then_the_result(page) -> None:
    login_as(page, "coach@demo.test")
    page.goto("/reports/funnel")
    page.get_by_role("button", name="Bygg rapporten i bakgrunden").click()
    page.wait_for_url(re.compile(r"/reports/jobs/[0-9a-f]+$"))
    # the job runs on the server's background thread; the page reloads itself when it is done
    page.locator("svg.chart").first.wait_for(timeout=60_000)
    assert page.get_by_role("link", name="Ladda ner CSV").count() == 1
    assert _charts_render(page) == 1


def test_coach_progression_and_plan_pages(page) -> None:
    login_as(page, "coach@demo.test")
    checker = Checker()
    page.goto("/coach/progression")
    checker.check(page, "/coach/progression")
    page.get_by_role("link", name=re.compile("^Progression ")).first.click()
    page.wait_for_url(re.compile(r"/participants/\d+/progression$"), wait_until="load")
    _charts_render(page)
    checker.check(page, page.url)
    page.goto("/coach/progression")
    page.get_by_role("link", name=re.compile("^Plan ")).first.click()
    page.wait_for_url(re.compile(r"/participants/\d+/plan$"), wait_until="load")
    checker.check(page, page.url)
    checker.assert_clean()


def test_participant_answers_the_self_assessment(phone_page) -> None:
    page = phone_page
    login_as(page, "participant@demo.test")
    page.goto("/me/assessment")
    checker = Checker()
    checker.check(page, "/me/assessment")
    checker.assert_clean()
    first = page.locator("fieldset.scale").first
    first.locator("label").nth(3).click()  # the big label is the target, not only the small dot
    assert first.locator("input[type=radio]").nth(3).is_checked()
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_load_state()
    assert page.locator(".flash").first.inner_text().strip().startswith("Tack")
