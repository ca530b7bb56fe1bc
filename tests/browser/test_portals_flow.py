"""The issue's check in a real browser: an employer registers and publishes an offer after a
coach has verified it; a coach creates a participant and finds the new offer among the
suggestions; the participant sees the proposal on a phone; another employer cannot open the
offer by changing the id in the address."""

from __future__ import annotations

import re
import time
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from models import Participant, User
from models.db import make_engine
from models.identity import with_check_digit
from services.accounts import hash_password
from tests.browser.conftest import DEMO_PASSWORD, PHONE, login_as


def _new_page(browser, live_url: str, **kw):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(base_url=live_url, locale="sv-SE", **kw)
    ctx.set_default_timeout(20_000)
    return ctx.new_page()


def _expect_path(page, pattern: str, seconds: float = 20) -> None:  # type: ignore[no-untyped-def]
    """Wait until the address matches (after a form post and its redirect)."""
    deadline = time.monotonic() + seconds
    while not re.search(pattern, page.url) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert re.search(pattern, page.url), (
        f"{page.url} does not match {pattern}: {page.locator('main').inner_text()[:1500]}"
    )
    # The address changes when the new document is committed; read it only once it has loaded.
    page.wait_for_load_state()


def _wait_for_jobs(database_url: str, seconds: float = 180) -> None:
    """Wait until no background job is queued or running.

    On SQLite a request whose transaction read before a job's commit and writes after it fails
    at once with "database is locked" (SQLite does not wait in that case), so the test lets the
    publish's suggestion refresh finish before the coach saves. PostgreSQL has no such limit.
    """
    from models import JobRun

    engine = make_engine(database_url)
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with OrmSession(engine) as db:
                busy = db.scalar(
                    select(JobRun.id).where(JobRun.status.in_(("queued", "running"))).limit(1)
                )
            if busy is None:
                return
            time.sleep(0.5)
    finally:
        engine.dispose()


def _give_login(database_url: str, participant_id: int) -> str:
    """The coach's UI makes no logins; the test gives the new participant one directly."""
    engine = make_engine(database_url)
    try:
        with OrmSession(engine) as db:
            p = db.get(Participant, participant_id)
            email = f"flow-{uuid.uuid4().hex[:8]}@test.example"
            user = User(
                email=email,
                password_hash=hash_password(DEMO_PASSWORD),
                name=p.display_name,
                role="participant",
                unit_id=p.unit_id,
            )
            db.add(user)
            db.flush()
            p.user_id = user.id
            db.commit()
            return email
    finally:
        engine.dispose()


def _confirm_link(database_url: str, email: str, seconds: float = 30) -> str:
    """The path of the link the registration e-mailed (read from the outbox, which a
    background job fills)."""
    from models import OutboxEmail

    engine = make_engine(database_url)
    body = None
    try:
        deadline = time.monotonic() + seconds
        while body is None and time.monotonic() < deadline:
            with OrmSession(engine) as db:
                body = db.scalar(select(OutboxEmail.body).where(OutboxEmail.to_address == email))
            if body is None:
                time.sleep(0.3)
    finally:
        engine.dispose()
    assert body is not None, email
    return re.findall(r"https?://[^/\s]+(/employer/register/confirm/\S+)", body)[0]


def _employer_id_of(database_url: str, email: str) -> int:
    engine = make_engine(database_url)
    try:
        with OrmSession(engine) as db:
            return db.scalar(select(User.employer_id).where(User.email == email))
    finally:
        engine.dispose()


def test_register_verify_publish_suggest_propose_and_isolation(browser, live_server) -> None:
    from playwright.sync_api import expect

    url = live_server.url
    tag = uuid.uuid4().hex[:6]
    org = with_check_digit(f"55{int(tag, 16) % 10_000_000:07d}")
    title = f"Lagerarbetare flödestest {tag}"

    # 1. The employer registers (no account yet) and drafts an offer.
    employer = _new_page(browser, url)
    employer.goto("/employer/register")
    fields = {
        "org_name": f"Flödesbolaget {tag} AB",
        "org_number": f"{org[:6]}-{org[6:]}",
        "contact_name": "Fia Flöde",
        "contact_email": f"fia-{tag}@test.example",
        "password": "ett-langt-losenord",
        "password_again": "ett-langt-losenord",
        "name": f"Flödesbolagets lager {tag}",
        "street": "Bergsmansgatan 1",
        "postal_code": "691 31",
        "city": "Karlskoga",
        "municipality": "Karlskoga",
    }
    for name, value in fields.items():
        employer.fill(f"[name={name}]", value)
    employer.check("input[name=accessibility][value=step_free]")
    employer.get_by_role("button", name="Registrera").click()
    _expect_path(employer, r"/employer/register/sent$")
    employer.goto(_confirm_link(live_server.database_url, fields["contact_email"]))
    employer.get_by_role("button", name="Bekräfta och logga in").click()
    _expect_path(employer, r"/employer/$")
    assert "Väntar på granskning" in employer.content()

    employer.get_by_role("link", name="Ny plats").click()
    employer.fill("[name=title]", title)
    employer.fill("[name=occupation]", "Lagerarbetare")
    employer.fill("[name=tasks]", "Plocka och packa varor, köra truck")
    employer.fill("[name=skills_required]", "truckkort")
    employer.fill("[name=skills_desired]", "lagerarbete")
    employer.fill("[name=hours_min]", "10")
    employer.fill("[name=hours_max]", "30")
    employer.fill("[name=capacity]", "2")
    employer.get_by_role("button", name="Spara").click()
    _expect_path(employer, r"/employer/offers/\d+$")
    offer_path = employer.url.removeprefix(url)
    employer.get_by_role("button", name="Publicera").click()
    expect(employer.locator("body")).to_contain_text("inte granskad")
    assert "Utkast" in employer.locator("main").inner_text()
    # A second draft the employer wants published as soon as it is verified.
    employer.goto("/employer/offers/new")
    employer.fill("[name=title]", f"Direktpublicerad {tag}")
    employer.fill("[name=occupation]", "Lagerarbetare")
    employer.fill("[name=capacity]", "1")
    employer.fill("[name=max_open_candidates]", "2")
    employer.get_by_label("Publicera direkt när vi är granskade").check()
    employer.get_by_role("button", name="Spara").click()
    _expect_path(employer, r"/employer/offers/\d+$")
    at_once_path = employer.url.removeprefix(url)
    assert "Utkast" in employer.locator("main").inner_text()

    # 2. A coach verifies the new employer.
    coach = _new_page(browser, url)
    login_as(coach, "coach@demo.test")
    coach.get_by_role("link", name="Nya arbetsgivare").click()
    coach.get_by_role("button", name=f"Godkänn Flödesbolaget {tag} AB").click()
    expect(coach.locator("body")).to_contain_text("är granskad")

    # 3. The draft marked "publish at once" was published on verification, and the employer
    # was told so; the other is one click from published.
    employer.goto("/notifications/")
    assert "publicerades direkt" in employer.locator("main").inner_text()
    employer.goto(at_once_path)
    assert "Publicerad" in employer.locator("main").inner_text()
    employer.goto(offer_path)
    employer.get_by_role("button", name="Publicera").click()
    expect(employer.locator("main")).to_contain_text("Publicerad")

    # 4. The coach creates a participant who fits, and finds the offer among the suggestions.
    _wait_for_jobs(live_server.database_url)
    coach.get_by_role("link", name="Ärendelista").click()
    coach.get_by_role("link", name="Ny deltagare").click()
    profile = {
        "first_name": "Filip",
        "last_name": f"Flöde{tag}",
        "municipality": "Karlskoga",
        "skills": "truckkort, lagerarbete",
        "interests": "lagerarbetare",
        "max_commute_km": "25",
        "hours_min": "10",
        "hours_max": "25",
    }
    for name, value in profile.items():
        coach.fill(f"[name={name}]", value)
    coach.get_by_role("button", name="Spara").click()
    _expect_path(coach, r"/coach/participants/\d+$", seconds=60)
    participant_id = int(coach.url.rsplit("/", 1)[1])
    coach.get_by_role("navigation", name="Delar av deltagarens sida").get_by_role(
        "link", name="Förslag", exact=True
    ).click()
    deadline = time.monotonic() + 90
    while title not in coach.content() and time.monotonic() < deadline:
        time.sleep(2)
        coach.reload()
    assert title in coach.content(), "the new offer is not among the suggestions"

    # 5. The coach approves it: it is sent to the participant.
    card = coach.locator("li.suggestion", has_text=title)
    card.get_by_role("button", name="Godkänn och skicka till deltagaren").click()
    coach.wait_for_load_state()

    # 6. The participant sees the proposal on a phone-sized window.
    email = _give_login(live_server.database_url, participant_id)
    phone = _new_page(browser, url, viewport=PHONE, is_mobile=True, has_touch=True)
    login_as(phone, email)
    phone.goto("/me/proposals")
    assert title in phone.content()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the proposals page scrolls sideways on a phone ({overflow}px)"

    # 7. Another employer cannot open the offer by changing the id in the address.
    other = _new_page(browser, url)
    login_as(other, "employer2@demo.test")
    for path in (offer_path, offer_path + "/edit"):
        response = other.goto(path)
        assert response is not None and response.status == 404, path
    assert title not in other.content()
    for page in (employer, coach, phone, other):
        page.context.close()
