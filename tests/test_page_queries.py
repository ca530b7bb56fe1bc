"""How many SQL statements do the main pages send? The same for 2 rows as for 8: a page that
loads a relation per row (an N+1) grows with its rows, and this fails."""

from __future__ import annotations

import pytest
from flask import g

from models import Match, Session
from tests.conftest import login
from tests.factories import (
    make_employer,
    make_offer,
    make_participant,
    make_unit,
    make_user,
    make_workplace,
)
from tests.sql_count import count_statements


def _world(n: int) -> dict:
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    employer = make_employer()
    contact = make_user("employer", employer_id=employer.id)
    wp = make_workplace(employer)
    offers = [make_offer(wp, title=f"Plats {i}", capacity=n) for i in range(n)]
    # other employers' offers: the coach's pick list names each one's employer
    offers += [make_offer(make_workplace(), title=f"Annan {i}", capacity=n) for i in range(n)]
    # Each world's employers belong to its own unit, so one world's offers are not shared with
    # the next (the counts compare a world of 2 with a world of 8, not with both together).
    for offer in offers:
        offer.employer.home_unit_id = unit.id
    person_user = make_user("participant", unit_id=unit.id)
    me = make_participant(unit, coach, user_id=person_user.id)
    others = [make_participant(unit, coach) for _ in range(n)]
    for i, offer in enumerate(offers):
        Session.add(Match(participant_id=me.id, offer_id=offer.id, status="proposed", score=0.5))
        for p in others:
            status = "interested" if i == 0 else "suggested"
            Session.add(Match(participant_id=p.id, offer_id=offer.id, status=status, score=0.6))
    Session.flush()
    return {
        "coach": coach,
        "contact": contact,
        "person": person_user,
        "me": me,
        "offer": offers[0],
    }


PAGES = [
    ("coach", "/coach/"),
    ("coach", "/coach/participants"),
    ("coach", "/coach/participants/{me}"),
    ("coach", "/coach/participants/{me}/suggestions"),
    ("coach", "/coach/suggestions"),
    # paged pages: the figures are counted in SQL, a page of rows is loaded (benchmarks/LOAD.md)
    ("coach", "/coach/?page=2"),
    ("coach", "/coach/participants?flag=no_approved"),
    ("coach", "/coach/participants?flag=past_goal&page=2"),
    ("coach", "/coach/suggestions?page=2&mine=1"),
    ("contact", "/employer/"),
    ("contact", "/employer/offers/{offer}"),
    ("contact", "/employer/offers/{offer}/candidates"),
    ("person", "/me/"),
    ("person", "/me/proposals"),
]


def _count(app, n: int, who: str, path: str) -> int:
    # The fixture's app context outlives requests, and Flask-Login keeps the user on `g`.
    g.pop("_login_user", None)
    world = _world(n)
    client = app.test_client()
    login(client, world[who].email)
    url = path.format(me=world["me"].id, offer=world["offer"].id)
    client.get(url)  # once to warm caches (vocabulary, offer index)
    with count_statements() as counted:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counted.count


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_does_the_page_send_as_many_statements_for_many_rows_as_for_few(app, who, path):
    few = _count(app, 2, who, path)
    many = _count(app, 8, who, path)
    print(f"{path}: {few} statements")
    assert many <= few, f"{path}: {few} statements for 2 rows, {many} for 8"
