"""The whole loop in a real browser against the live demo server.

A coach opens a participant, refreshes and reads the explained suggestions, approves one; the
participant says yes on a phone; the employer accepts; the coach plans, starts and ends the
placement with an outcome. At each step the state is visible to the right people and not to
others (another employer, another participant).

The participant is created for this test in the live database (in coach@demo.test's unit, with
a profile that fits one of employer@demo.test's offers), so the test does not depend on the
demo's random profiles or on other browser tests.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from models import Match, Offer, Participant, User
from models.db import make_engine
from services.accounts import hash_password
from tests.browser.conftest import DEMO_PASSWORD, login_as, logout

pytestmark = pytest.mark.browser


def _make_candidate(database_url: str) -> tuple[int, int, str]:
    """A participant who fits an open offer of employer@demo.test; (participant, offer, email)."""
    engine = make_engine(database_url)
    try:
        with OrmSession(engine) as db:
            coach = db.scalar(select(User).where(User.email == "coach@demo.test"))
            boss = db.scalar(select(User).where(User.email == "employer@demo.test"))
            offer = db.scalar(
                select(Offer)
                .where(
                    Offer.employer_id == boss.employer_id,
                    Offer.status == "published",
                    Offer.filled < Offer.capacity,
                )
                .order_by(Offer.id)
            )
            assert offer is not None, "employer@demo.test has no open offer in the demo"
            email = f"e2e-{uuid.uuid4().hex[:8]}@test.example"
            user = User(
                email=email,
                password_hash=hash_password(DEMO_PASSWORD),
                name="Ella Endtoend",
                role="participant",
                unit_id=coach.unit_id,
            )
            db.add(user)
            db.flush()
            wp = offer.workplace
            p = Participant(
                user_id=user.id,
                unit_id=coach.unit_id,
                coach_id=coach.id,
                first_name="Ella",
                last_name="Endtoend",
                municipality=wp.municipality,
                lat=wp.lat,
                lon=wp.lon,
                skills=list(offer.skills_required or []) + list(offer.skills_desired or []),
                interests=[offer.occupation or offer.title],
                max_commute_km=30,
                hours_min=offer.hours_min,
                hours_max=offer.hours_max,
                swedish_level="fluent",
                driving_licence=True,
                consent={"skills": True, "interests": True, "name": False},
                enrolled_on=date.today() - timedelta(days=20),
            )
            db.add(p)
            db.commit()
            return p.id, offer.id, email
    finally:
        engine.dispose()


def _match_id(database_url: str, participant_id: int, offer_id: int) -> int | None:
    engine = make_engine(database_url)
    try:
        with OrmSession(engine) as db:
            return db.scalar(
                select(Match.id).where(
                    Match.participant_id == participant_id, Match.offer_id == offer_id
                )
            )
    finally:
        engine.dispose()


def test_coach_participant_employer_loop(page, phone_page, live_server):
    pid, offer_id, email = _make_candidate(live_server.database_url)
    for p in (page, phone_page):  # a shared, busy machine: be patient rather than flaky
        p.set_default_timeout(30_000)

    # The coach opens the participant and asks for suggestions; the job runs in the server and
    # the page (jobs.js polling /api/jobs/<id>) reloads when it is done.
    login_as(page, "coach@demo.test")
    page.goto(f"/coach/participants/{pid}/suggestions")
    assert page.locator("h1").inner_text().startswith("Förslag för Ella Endtoend")
    page.get_by_role("button", name="Uppdatera förslagen").click()
    page.wait_for_url(re.compile(r"[?&]job="))
    assert page.locator(".job-status progress").count() == 1
    page.wait_for_url(lambda url: "job=" not in url, timeout=30_000)
    match_id = _match_id(live_server.database_url, pid, offer_id)
    assert match_id is not None, "the employer's offer was not among the suggestions"
    card = page.locator(f"#match-{match_id}")
    assert "har det som" in card.locator(".reasons").inner_text()
    assert card.locator("table.components th[scope=row]").count() >= 5
    assert re.search(r"Poäng: \d+ av 100", card.inner_text())
    card.get_by_label("Meddelande till deltagaren (valfritt)").fill("Den här passar dig!")
    card.get_by_role("button", name="Godkänn och skicka till deltagaren").click()
    row = page.locator(f"tr#match-{match_id}")
    assert row.locator(".status").inner_text() == "skickad till deltagaren"

    # Another unit's coach, another employer, and the employer itself before the participant
    # has answered, see nothing.
    logout(page)
    login_as(page, "coach2@demo.test")
    assert page.goto(f"/coach/participants/{pid}/suggestions").status == 404
    assert page.goto(f"/coach/placements/{match_id}").status == 404
    logout(page)
    login_as(page, "employer2@demo.test")
    response = page.goto(f"/employer/offers/{offer_id}/candidates")
    assert response.status == 404
    logout(page)
    login_as(page, "employer@demo.test")
    page.goto(f"/employer/offers/{offer_id}/candidates")
    assert page.locator(f"#candidate-{match_id}").count() == 0

    # Another participant cannot open the proposal.
    logout(page)
    login_as(page, "participant2@demo.test")
    assert page.goto(f"/me/proposals/{match_id}").status == 404

    # The participant answers on a phone.
    login_as(phone_page, email)
    phone_page.goto("/me/proposals")
    phone_page.get_by_role("link", name=re.compile("Läs mer och svara")).first.click()
    assert "Den här passar dig!" in phone_page.locator("main").inner_text()
    phone_page.get_by_role("button", name="Ja, jag är intresserad").click()
    phone_page.wait_for_url(re.compile(r"/me/proposals$"))
    assert "Du är intresserad" in phone_page.locator("main").inner_text()

    # The employer sees the candidate, without the name (no consent), and accepts.
    logout(page)
    login_as(page, "employer@demo.test")
    page.goto(f"/employer/offers/{offer_id}/candidates")
    candidate = page.locator(f"#candidate-{match_id}")
    assert "Intresserad" in candidate.inner_text()
    assert "Endtoend" not in candidate.inner_text()
    candidate.get_by_role("button", name="Tacka ja").click()
    assert "Ni har tackat ja" in page.locator(f"#candidate-{match_id}").inner_text()

    # The coach is told, plans, starts and ends the placement with an outcome.
    logout(page)
    login_as(page, "coach@demo.test")
    page.goto("/notifications/")
    assert "tackade ja" in page.locator("main").inner_text()
    page.goto(f"/coach/placements/{match_id}")
    page.get_by_label("Startdatum", exact=True).fill(date.today().isoformat())
    page.get_by_role("button", name="Planera").click()
    # Not before the agreement is confirmed by all three.
    page.get_by_role("button", name="Praktiken har börjat").click()
    assert "bekräftat överenskommelsen" in page.locator(".flashes").inner_text()
    confirm = "Jag har läst och bekräftar överenskommelsen"
    page.goto(f"/coach/placements/{match_id}/agreement")
    page.get_by_role("button", name=confirm).click()
    assert "Du har bekräftat den här versionen." in page.locator("main").inner_text()
    phone_page.goto("/me/proposals")
    phone_page.get_by_role("link", name=re.compile("Överenskommelsen")).first.click()
    phone_page.get_by_role("button", name=confirm).click()
    assert "Du har bekräftat" in phone_page.locator("main").inner_text()
    logout(page)
    login_as(page, "employer@demo.test")
    page.goto(f"/employer/placements/{match_id}/agreement")
    page.get_by_role("button", name=confirm).click()
    assert "Praktiken kan börja" in page.locator("main").inner_text()
    logout(page)
    login_as(page, "coach@demo.test")
    page.goto(f"/coach/placements/{match_id}")
    page.get_by_role("button", name="Praktiken har börjat").click()
    assert page.locator(".status").inner_text() == "praktik pågår"
    page.get_by_role("textbox", name="Anteckning").fill("Bra första vecka")
    page.get_by_label("Planerade dagar").fill("5")
    page.get_by_label("Närvarande dagar").fill("5")
    page.get_by_role("button", name="Spara anteckning").click()
    page.get_by_label("Resultat", exact=True).select_option("employment")
    page.get_by_label("Datum", exact=True).fill(date.today().isoformat())
    page.get_by_role("button", name="Avsluta praktiken").click()
    assert page.locator(".status").inner_text() == "praktik avslutad"
    assert "Anställning" in page.locator("main").inner_text()

    # The participant sees the end; the employer sees it too.
    phone_page.goto("/me/proposals")
    assert "Praktiken är avslutad" in phone_page.locator("main").inner_text()
    logout(page)
    login_as(page, "employer@demo.test")
    page.goto(f"/employer/offers/{offer_id}/candidates")
    assert "Praktiken är avslutad" in page.locator(f"#candidate-{match_id}").inner_text()
    assert "Cecilia Coach" in page.locator(f"#candidate-{match_id}").inner_text()

    # It ended in a job: the coach records follow-along support tied to the placement, with a
    # contact, and writes to the participant, who reads it on the phone; the coach sees it read.
    logout(page)
    login_as(page, "coach@demo.test")
    page.goto(f"/coach/participants/{pid}")
    page.get_by_role("navigation", name="Delar av deltagarens sida").get_by_role(
        "link", name="Stöd i arbetet"
    ).click()
    page.get_by_label("Stöd på arbetsplatsen").first.check()
    page.get_by_label("Anpassning av arbetsuppgifter").first.check()
    page.locator("#new-start_on").fill(date.today().isoformat())
    page.locator("#new-match_id").select_option(str(match_id))
    page.get_by_role("button", name="Spara stödet").click()
    support = page.locator("section[id^=support-]").first
    assert "Anpassning av arbetsuppgifter" in support.inner_text()
    support.locator("input[name$='-contact_on']").fill(date.today().isoformat())
    support.get_by_label("Handledaren").check()
    support.get_by_label("Telefon").check()
    support.get_by_label("Vad gällde kontakten").fill("Första veckan på jobbet gick bra.")
    support.get_by_role("button", name="Spara kontakten").click()
    assert "Första veckan på jobbet gick bra." in page.locator("main").inner_text()
    page.get_by_role("navigation", name="Delar av deltagarens sida").get_by_role(
        "link", name="Meddelanden"
    ).click()
    page.get_by_label("Meddelande", exact=True).fill("Grattis till jobbet! Jag ringer på fredag.")
    page.get_by_role("button", name="Skicka").click()
    assert "Inte läst" in page.locator("main").inner_text()
    phone_page.goto("/me/")
    assert "Grattis till jobbet! Jag ringer på fredag." in phone_page.locator("main").inner_text()
    page.reload()
    row = page.locator("tr", has_text="Grattis till jobbet!")
    assert "Läst" in row.inner_text() and "Inte läst" not in row.inner_text()


def _demo_ids(database_url: str) -> dict[str, int]:
    """Ids of demo rows the workflow pages show: a coach's participant with suggestions, an
    ongoing placement, participant@demo.test's proposal, an employer offer with candidates."""
    engine = make_engine(database_url)
    try:
        with OrmSession(engine) as db:

            def user(email: str) -> User:
                return db.scalar(select(User).where(User.email == email))

            coach, me, boss = (
                user("coach@demo.test"),
                user("participant@demo.test"),
                user("employer@demo.test"),
            )
            mine = select(Participant.id).where(Participant.coach_id == coach.id)
            in_unit = select(Participant.id).where(Participant.unit_id == coach.unit_id)
            offers = select(Offer.id).where(Offer.employer_id == boss.employer_id)
            me_p = db.scalar(select(Participant.id).where(Participant.user_id == me.id))

            def first(*where) -> int:  # type: ignore[no-untyped-def]
                return db.scalar(select(Match).where(*where).order_by(Match.id).limit(1))

            return {
                "participant": first(
                    Match.status == "suggested", Match.participant_id.in_(mine)
                ).participant_id,
                "placement": first(Match.status == "ongoing", Match.participant_id.in_(in_unit)).id,
                "proposal": first(Match.participant_id == me_p, Match.status == "proposed").id,
                "offer": first(Match.status == "interested", Match.offer_id.in_(offers)).offer_id,
            }
    finally:
        engine.dispose()


def test_workflow_pages_pass_axe_including_error_states(page, live_server):
    """Do the workflow's pages (and their error states) pass axe's WCAG 2.1 AA rules?"""
    from tests.browser.test_axe import Checker

    ids = _demo_ids(live_server.database_url)
    checker = Checker()
    visits = {
        "coach@demo.test": [
            f"/coach/participants/{ids['participant']}/suggestions",
            f"/coach/participants/{ids['participant']}/suggestions?why=1",
            f"/coach/placements/{ids['placement']}",
            "/coach/suggestions",
            "/coach/suggestions?max_km=-5",
            "/coach/",
            "/notifications/",
        ],
        "participant@demo.test": ["/me/proposals", f"/me/proposals/{ids['proposal']}"],
        "employer@demo.test": [f"/employer/offers/{ids['offer']}/candidates", "/notifications/"],
        "admin@demo.test": ["/admin/audit", "/admin/audit?date_from=2026-12-01&date_to=2026-01-01"],
    }
    for email, paths in visits.items():
        login_as(page, email)
        for path in paths:
            response = page.goto(path)
            assert response.status in (200, 400), (path, response.status)
            if response.status == 400:
                assert page.locator(".error").count() >= 1, path
            checker.check(page, f"{email} {path}")
        logout(page)
    # A form in its error state: the placement note with more days attended than expected.
    login_as(page, "coach@demo.test")
    page.goto(f"/coach/placements/{ids['placement']}")
    page.get_by_label("Planerade dagar").fill("2")
    page.get_by_label("Närvarande dagar").fill("5")
    page.get_by_role("button", name="Spara anteckning").click()
    assert page.locator(".flash-error").count() == 1
    checker.check(page, "placement note (error)")
    checker.assert_clean()
