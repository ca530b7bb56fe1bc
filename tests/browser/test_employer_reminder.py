"""In a real browser: a proposal the employer leaves unanswered brings the employer a reminder
after the unit's working days, and the coach is told after a second such period (issue 13,
"How it will be checked"). Time is moved by the daily command's `--today` (the date it counts
working days up to), run as the scheduler runs it: `flask --app web employer-reminders`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from models import Match, Offer, Participant, User
from models.db import make_engine, utcnow
from services.employer_response import is_working_day
from tests.browser.conftest import login_as, logout

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def _waiting_candidate(database_url: str) -> tuple[int, int, str, str]:
    """A new participant of coach@demo.test who said yes today to an offer of
    employer@demo.test: (match id, offer id, the participant's name, the offer's title)."""
    engine = make_engine(database_url)
    try:
        with OrmSession(engine) as db:
            coach = db.scalar(select(User).where(User.email == "coach@demo.test"))
            boss = db.scalar(select(User).where(User.email == "employer@demo.test"))
            offer = db.scalar(
                select(Offer)
                .where(Offer.employer_id == boss.employer_id, Offer.status == "published")
                .order_by(Offer.id)
            )
            last = f"Väntar{uuid.uuid4().hex[:6]}"
            p = Participant(
                unit_id=coach.unit_id,
                coach_id=coach.id,
                first_name="Vera",
                last_name=last,
                municipality=offer.workplace.municipality,
                lat=offer.workplace.lat,
                lon=offer.workplace.lon,
                consent={"name": True},
                enrolled_on=date.today() - timedelta(days=30),
            )
            db.add(p)
            db.flush()
            m = Match(
                participant_id=p.id,
                offer_id=offer.id,
                status="interested",
                score=0.8,
                rank=1,
                participant_answered_at=utcnow(),
            )
            db.add(m)
            db.commit()
            return m.id, offer.id, f"Vera {last}", offer.title
    finally:
        engine.dispose()


def _working_days_on(n: int) -> date:
    """The date n Swedish working days after today."""
    day, left = date.today(), n
    while left:
        day += timedelta(days=1)
        left -= is_working_day(day)
    return day


def _reminders(database_url: str, today: date) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "web", "employer-reminders"]
        + ["--today", today.isoformat()],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url, "MAIL_FILE": os.devnull},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_unanswered_proposal_reminds_the_employer_then_tells_the_coach(page, live_server) -> None:  # type: ignore[no-untyped-def]
    match_id, offer_id, name, title = _waiting_candidate(live_server.database_url)
    days = 3  # EMPLOYER_REMINDER_DAYS unless the unit sets its own (the demo does not)

    # One working day short: nothing yet.
    _reminders(live_server.database_url, _working_days_on(days - 1))
    login_as(page, "employer@demo.test")
    page.goto("/notifications/")
    mine = page.locator("li.card", has_text=name).filter(has_text="väntat på ert svar")
    assert mine.count() == 0

    # The set number of working days: the employer is reminded, by the candidate's name (the
    # participant consented to it) and the offer, with a way straight to the candidate.
    out = _reminders(live_server.database_url, _working_days_on(days))
    assert "employer reminders: 0" not in out, out
    page.goto("/notifications/")
    assert mine.count() == 1
    assert f"om {title} i {days} arbetsdagar" in mine.inner_text()
    mine.get_by_role("button", name="Visa").click()
    page.wait_for_url(f"**/employer/offers/{offer_id}/candidates#candidate-{match_id}")
    assert page.locator(f"#candidate-{match_id}").is_visible()
    logout(page)

    # A second period: the coach is told, by the participant's name and the offer.
    login_as(page, "coach@demo.test")
    page.goto("/notifications/")
    assert name not in page.locator("main").inner_text()
    out = _reminders(live_server.database_url, _working_days_on(2 * days))
    assert "coaches told: 0" not in out, out
    page.goto("/notifications/")
    text = page.locator("main").inner_text()
    assert name in text and title in text
    logout(page)
