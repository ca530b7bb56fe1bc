"""The small defects of issue 12, each with a test that failed before its fix."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from matcher.reasons import Reason
from models import Notification
from services import workflow
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user
from tests.workflow.helpers import make_world

ROOT = Path(__file__).parents[2]


@pytest.fixture
def world(app, db):
    w = make_world()
    db.commit()
    return w


def test_one_unread_is_singular(client, db, world):
    m = world.match("suggested")
    db.commit()
    workflow.approve(m, world.coach, send=True)  # one notice to the participant
    login(client, world.participant_user.email)
    html = client.get("/me/").get_data(as_text=True)
    assert "1 oläst<" in html and "1 olästa" not in html


def test_acting_on_a_match_marks_its_notice_read(client, db, world):
    m = world.match("suggested")
    db.commit()
    workflow.approve(m, world.coach, send=True)
    note = db.scalar(select(Notification).where(Notification.user_id == world.participant_user.id))
    assert note.read_at is None
    workflow.answer(m, world.participant_user, True)
    db.refresh(note)
    assert note.read_at is not None


def test_hours_are_not_shown_as_a_range_of_one(client, db, world):
    world.participant.hours_min = world.participant.hours_max = 25
    db.commit()
    login(client, world.coach.email)
    html = client.get(f"/coach/participants/{world.participant.id}").get_data(as_text=True)
    assert "<dd>25</dd>" in html and "25–25" not in html
    assert Reason("hours", {"min": 25.0, "max": 25.0}).render("sv") == "timmar passar: 25 h/vecka"


@pytest.mark.parametrize(
    ("value", "lang", "text"), [(25.0, "sv", "25"), (7.5, "sv", "7,5"), (7.5, "en", "7.5")]
)
def test_numbers_without_point_zero(app, value, lang, text):
    from flask import g

    with app.test_request_context():
        g.lang_override = lang
        assert app.jinja_env.filters["num"](value) == text


def test_open_ended_period_in_words(app):
    with app.test_request_context():
        period = app.jinja_env.filters["period"]
        assert period(date(2026, 12, 7), None).striptags() == "från 2026-12-07"
        assert period(date(2026, 12, 7), date(2027, 1, 4)).striptags() == "2026-12-07 – 2027-01-04"
        assert "– –" not in period(date(2026, 12, 7), None)


def test_404_page_is_swedish(client):
    html = client.get("/finns-inte").get_data(as_text=True)
    assert "Sidan finns inte" in html and "requested URL" not in html
    assert "Adressen kan vara fel" in html


def test_one_warning_is_singular(client, db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    make_participant(unit, coach, enrolled_on=date(2026, 1, 1))
    db.commit()
    login(client, coach.email)
    html = client.get("/coach/progression").get_data(as_text=True)
    assert "1 varningar" not in html
    assert ">1 varning</span>" in html or ">2 varningar</span>" in html


def test_print_stylesheet_hides_menus_and_forms():
    css = (ROOT / "web" / "static" / "style.css").read_text()
    printing = css.split("@media print")[1]
    assert ".site-header nav" in printing and "main form" in printing


def test_chart_end_dates_are_anchored_inside():
    from web.charts import Series, line_chart

    svg = line_chart("x", "t", "d", ["2026-01-05", "2026-04-05"], [Series("a", [1, 2])])
    assert 'text-anchor="start">2026-01-05' in svg and 'text-anchor="end">2026-04-05' in svg


def test_rapid_start_is_one_word(client, db, world):
    login(client, world.coach.email)
    html = client.get("/coach/").get_data(as_text=True)
    assert "Snabbstart" in html and "Snabb start" not in html


def test_home_figures_link_to_the_filtered_caseload(client, db, world):
    world.participant.enrolled_on = date.today()  # within the goal
    make_participant(
        db.get(type(world.participant).unit.property.mapper.class_, world.participant.unit_id),
        world.coach,
        first_name="Sen",
        enrolled_on=date(2025, 1, 1),
    )
    db.commit()
    login(client, world.coach.email)
    home = client.get("/coach/").get_data(as_text=True)
    assert 'href="/coach/participants?flag=no_approved"' in home
    assert 'href="/coach/participants?flag=past_goal"' in home
    html = client.get("/coach/participants?flag=past_goal").get_data(as_text=True)
    assert "Sen Testsson" in html and world.participant.display_name not in html.split("<tbody>")[1]
    assert "Visar bara" in html


def test_employer_offer_start_without_an_end_is_said_in_words(client, db, world):
    world.offer.start_from = date(2026, 12, 7)
    world.offer.start_until = None
    db.commit()
    login(client, world.employer_user.email)
    page = client.get(f"/employer/offers/{world.offer.id}").get_data(as_text=True)
    assert 'från <span class="nowrap">2026-12-07</span>' in page
    assert "– –" not in page and "2026-12-07 – –" not in page


def test_employer_home_table_scrolls_inside_its_box_on_a_phone():
    template = (ROOT / "web" / "templates" / "employer" / "home.html").read_text()
    assert template.index('class="table-scroll"') < template.index("<table>")
