"""In a real browser: the supervisor's assessment through a signed one-time link confirms a
competence; the coach sees it on the participant's profile (source and date); once the
placement has ended, an offer that asks for that competence comes into the participant's new
suggestions with the reason line "bekräftat av handledare" (issue 13, "How it will be checked").

A demo placement in coach@demo.test's unit is used (the newest ongoing one with no end-of-
placement assessment yet); the offer that asks for the competence is made for this test, next
to the participant, open to everything the participant needs, so only the confirmation decides
whether its reason line shows.
"""

from __future__ import annotations

import time
from datetime import date

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select, text
from sqlalchemy.orm import Session as OrmSession

from models import ConfirmedSkill, Offer, Participant, Placement, Workplace
from models.db import make_engine
from services.supervisor_assessments import SALT
from tests.browser.conftest import login_as, logout
from web.settings import DEFAULT_SECRET_KEY

pytestmark = pytest.mark.browser


def _placement(database_url: str) -> tuple[int, int, int]:
    """(match id, placement id, participant id) of an ongoing demo placement of the coach's unit
    without an assessment: the newest not hosted by employer@demo.test, whose placements the
    other browser tests look at (the live server is shared)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT pl.match_id, pl.id, pl.participant_id FROM placements pl"
                    " JOIN participants p ON p.id = pl.participant_id"
                    " JOIN users c ON c.unit_id = p.unit_id AND c.email = 'coach@demo.test'"
                    " WHERE pl.status = 'ongoing' AND NOT EXISTS (SELECT 1 FROM"
                    " supervisor_assessments sa WHERE sa.placement_id = pl.id)"
                    " ORDER BY EXISTS (SELECT 1 FROM offers o JOIN users eu"
                    " ON eu.employer_id = o.employer_id WHERE o.id = pl.offer_id"
                    " AND eu.email = 'employer@demo.test'), pl.id DESC LIMIT 1"
                )
            ).one_or_none()
    finally:
        engine.dispose()
    if row is None:
        pytest.fail("the demo data has no ongoing placement for coach@demo.test")
    return int(row[0]), int(row[1]), int(row[2])


def _offer_asking_for(database_url: str, placement_id: int, participant_id: int) -> str:
    """The skill the supervisor confirmed, after making a published offer next to the
    participant that asks for it (and fits every other constraint of theirs)."""
    engine = make_engine(database_url)
    try:
        with OrmSession(engine) as db:
            skills = db.scalars(
                select(ConfirmedSkill.skill).where(ConfirmedSkill.participant_id == participant_id)
            ).all()
            assert skills, "the assessment confirmed no competence"
            p = db.get(Participant, participant_id)
            host = db.get(Placement, placement_id).offer
            wp = Workplace(
                employer_id=host.employer_id,
                name="Kundtjänsten vid torget",
                street="Torget 1",
                postal_code="",
                city=p.municipality,
                municipality=p.municipality,
                lat=p.lat,
                lon=p.lon,
                accessibility=list(p.needs or []),
            )
            db.add(wp)
            db.flush()
            db.add(
                Offer(
                    employer_id=host.employer_id,
                    workplace_id=wp.id,
                    title=(p.interests or ["Kundvärd"])[0],
                    occupation=(p.interests or ["Kundvärd"])[0],
                    skills_required=[skills[0]],
                    skills_desired=list(p.skills or [])[:3],
                    swedish_level="none",
                    capacity=2,
                    status="published",
                    sharing=host.sharing,
                    published_at=host.published_at,
                )
            )
            db.commit()
            return skills[0]
    finally:
        engine.dispose()


def test_supervisor_link_confirms_a_competence_that_lifts_the_ranking(page, live_server) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    match_id, placement_id, pid = _placement(live_server.database_url)

    # The supervisor, without an account, answers through the signed one-time link.
    token = URLSafeTimedSerializer(DEFAULT_SECRET_KEY, salt=SALT).dumps(
        {"p": placement_id, "s": "end"}
    )
    assert page.goto(f"/handledare/bedomning/{token}").status == 200
    for name, value in (("punctuality", "4"), ("cooperation", "4"), ("tasks_done", "3")):
        page.check(f"input[name={name}][value='{value}']")
    page.check("input[name=would_hire][value='recommend']")
    page.fill("[name=competences]", "Kundservice")
    page.get_by_role("button", name="Skicka bedömningen").click()
    expect(page.locator("main")).to_contain_text("Tack")
    skill = _offer_asking_for(live_server.database_url, placement_id, pid)

    # The coach sees it on the profile as confirmed, with its source and date.
    login_as(page, "coach@demo.test")
    page.goto(f"/coach/participants/{pid}")
    profile = page.locator("main").inner_text()
    assert "Bekräftade kompetenser" in profile and skill in profile
    assert "bekräftat av" in profile

    # The placement ends; the new suggestions carry the confirmed competence as a reason.
    page.goto(f"/coach/placements/{match_id}")
    page.get_by_label("Resultat", exact=True).select_option("closer_to_labour_market")
    page.get_by_label("Datum", exact=True).fill(date.today().isoformat())
    page.get_by_role("button", name="Avsluta praktiken").click()
    expect(page.locator(".status")).to_have_text("praktik avslutad")
    page.goto(f"/coach/participants/{pid}/suggestions")
    page.get_by_role("button", name="Uppdatera förslagen").click()
    reason = f"bekräftat av handledare: {skill}"
    deadline = time.monotonic() + 60
    while reason not in page.locator("main").inner_text():
        assert time.monotonic() < deadline, page.locator("main").inner_text()[:2000]
        time.sleep(1)
        page.goto(f"/coach/participants/{pid}/suggestions")
    logout(page)
