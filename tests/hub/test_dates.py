"""Dates on pages: never broken across lines, in Swedish typography, escaped like any text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from markupsafe import Markup

NOWRAP = '<span class="nowrap">'


@pytest.fixture
def filters(app):
    from flask import g

    with app.test_request_context():
        g.lang_override = "sv"
        yield app.jinja_env.filters


def test_a_date_is_one_unbreakable_span(filters):
    """Does a date come out as markup in a span that the style sheet keeps on one line?"""
    out = filters["date"](date(2026, 12, 7))
    assert isinstance(out, Markup)
    assert out == f"{NOWRAP}2026-12-07</span>"


def test_a_time_is_said_the_swedish_way_in_local_time(filters):
    """Is 13:00 UTC in December shown as "kl. 14.00" (Stockholm, Swedish clock style)?"""
    out = filters["date"](datetime(2026, 12, 1, 13, 0, tzinfo=UTC))
    assert out == f"{NOWRAP}2026-12-01 kl. 14.00</span>"


def test_a_time_in_english_keeps_the_colon(app):
    from flask import g

    with app.test_request_context():
        g.lang_override = "en"
        out = app.jinja_env.filters["date"](datetime(2026, 12, 1, 13, 0, tzinfo=UTC))
    assert out == f"{NOWRAP}2026-12-01 14:00</span>"


def test_no_date_is_a_dash_not_a_span(filters):
    assert filters["date"](None) == "–"


def test_a_stored_iso_date_is_shown_like_a_date(filters):
    """Report figures keep their date as text: it gets the same span; odd text is escaped."""
    assert filters["date"]("2026-12-01") == f"{NOWRAP}2026-12-01</span>"
    assert filters["date"]("<b>") == f"{NOWRAP}&lt;b&gt;</span>"


def test_a_period_keeps_each_date_whole_and_the_dash_off_the_next_line(filters):
    """Two spans, a no-break space before the en dash, an ordinary space after it."""
    out = filters["period"](date(2026, 12, 7), date(2027, 1, 4))
    assert out == f"{NOWRAP}2026-12-07</span>\u00a0– {NOWRAP}2027-01-04</span>"
    assert filters["period"](date(2026, 12, 7), None) == f"från {NOWRAP}2026-12-07</span>"
    assert filters["period"](None, date(2027, 1, 4)) == f"till {NOWRAP}2027-01-04</span>"


def test_words_around_a_period_are_escaped(app):
    """The translated words are text, not markup: a "<" in a translation cannot open a tag."""
    from flask import g

    from web import filters as module

    with app.test_request_context():
        g.lang_override = "sv"
        original = module.gettext
        module.gettext = lambda s, **kw: "<b>från</b> %(day)s"  # type: ignore[assignment]
        try:
            out = app.jinja_env.filters["period"](date(2026, 12, 7), None)
        finally:
            module.gettext = original
    assert out.startswith("&lt;b&gt;från&lt;/b&gt; " + NOWRAP)


def test_an_hours_range_does_not_break_after_its_dash(filters):
    assert filters["hours_range"](10, 25) == f"{NOWRAP}10–25</span>"
    assert filters["hours_range"](7.5, 20) == f"{NOWRAP}7,5–20</span>"
    assert filters["hours_range"](25, 25) == "25"


def test_a_page_shows_the_date_in_its_span_once(client, db):
    """Is the span rendered as markup on a real page (not escaped into "&lt;span")?"""
    from tests.conftest import login
    from tests.factories import make_participant, make_unit, make_user

    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach, enrolled_on=date(2026, 3, 2))
    db.commit()
    login(client, coach.email)
    html = client.get(f"/coach/participants/{p.id}").get_data(as_text=True)
    assert f"{NOWRAP}2026-03-02</span>" in html
    assert "&lt;span" not in html


def test_dates_inside_a_sentence_made_in_python_are_kept_whole(filters):
    """A flash message, a notification or a plan warning: escaped, each date in a span."""
    keep = filters["keep_dates"]
    out = keep("Svara senast 2026-12-07 <b>nu</b>; mötet 2026-12-08 kl. 14.00.")
    assert out == (
        f"Svara senast {NOWRAP}2026-12-07</span> &lt;b&gt;nu&lt;/b&gt;; "
        f"mötet {NOWRAP}2026-12-08 kl. 14.00</span>."
    )
    already = filters["date"](date(2026, 12, 7))
    assert keep(already) == already


def test_a_notification_date_does_not_wrap(client, db):
    from services import notifications
    from tests.conftest import login
    from tests.factories import make_unit, make_user

    coach = make_user("coach", unit_id=make_unit().id)
    db.commit()
    notifications.notify(coach.id, "assessment.due", {"participant_id": 7, "due_on": "2026-12-07"})
    db.commit()
    login(client, coach.email)
    html = client.get("/notifications/").get_data(as_text=True)
    assert f"(skulle mätas {NOWRAP}2026-12-07</span>)" in html
