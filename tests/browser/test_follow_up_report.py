"""In a real browser: outcome follow-ups come due 90 days after exit, the coach records one, and
the follow-up report counts it by gender (issue 13, "How it will be checked"). A participant of
coach@demo.test who left the programme 91 days ago is made for the test."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from models import Participant, User
from models.db import make_engine
from services.follow_ups import GENDERS
from tests.browser.conftest import login_as, logout

pytestmark = pytest.mark.browser


def _exited_91_days_ago(database_url: str) -> tuple[int, str]:
    engine = make_engine(database_url)
    try:
        with OrmSession(engine) as db:
            coach = db.scalar(select(User).where(User.email == "coach@demo.test"))
            last = f"Uppfoljd{uuid.uuid4().hex[:6]}"
            p = Participant(
                unit_id=coach.unit_id,
                coach_id=coach.id,
                first_name="Ulla",
                last_name=last,
                municipality="Karlskoga",
                lat=59.3267,
                lon=14.5239,
                gender="woman",
                enrolled_on=date.today() - timedelta(days=300),
                exited_on=date.today() - timedelta(days=91),
            )
            db.add(p)
            db.commit()
            return p.id, f"Ulla {last}"
    finally:
        engine.dispose()


def _counts(page, row: str) -> list[int]:  # type: ignore[no-untyped-def]
    cells = page.locator(f"table[data-step='90d'] tr[data-row='{row}'] td")
    return [int(c) for c in cells.all_inner_texts()] if cells.count() else [0] * len(GENDERS)


def test_a_90_day_follow_up_is_due_recorded_and_counted_by_gender(page, live_server) -> None:  # type: ignore[no-untyped-def]
    pid, name = _exited_91_days_ago(live_server.database_url)
    woman = GENDERS.index("woman")
    login_as(page, "coach@demo.test")
    page.goto("/coach/follow-ups")
    card = page.locator(f"#followup-{pid}-90d")
    assert name in card.inner_text()
    recorded, studies = _counts(page, "recorded"), _counts(page, "studies")

    card.get_by_label("Situation").select_option("studies")
    card.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_load_state()
    assert page.locator(f"#followup-{pid}-90d").count() == 0  # done: no longer to do
    after, studies_after = _counts(page, "recorded"), _counts(page, "studies")
    # Other browser tests share the server: only our own row may be relied on to have moved.
    assert after[woman] >= recorded[woman] + 1
    assert studies_after[woman] >= studies[woman] + 1
    logout(page)
