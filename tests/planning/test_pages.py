"""Planning-round pages: start, review, change a line, approve; bad input answered with 4xx."""

from __future__ import annotations

from sqlalchemy import select

from models import Match, PlanningLine, PlanningRound, Session
from tests.conftest import login
from tests.sql_count import count_statements


def _start(client, **data):
    form = {"scope": "caseload", "mode": "stable", "exposure_multiple": "3"} | data
    return client.post("/coach/planning", data=form)


def test_can_a_coach_start_a_round_and_review_it(client, region):
    login(client, region.coach.email)
    assert client.get("/coach/planning").status_code == 200
    response = _start(client)
    assert response.status_code == 302
    rnd = Session.scalars(select(PlanningRound)).one()
    assert rnd.status == "ready"  # the job ran at the end of the request (sync mode)
    page = client.get(f"/coach/planning/{rnd.id}").get_data(as_text=True)
    assert "Kvinnor" in page and "Män" in page
    assert "2 av 2" in page  # slots filled of open slots
    assert "gick till andra med bättre matchning" in page
    assert "Ingen ledig plats passar" in page


def test_is_bad_start_input_answered_with_400(client, region):
    login(client, region.coach.email)
    assert _start(client, exposure_multiple="0").status_code == 400
    assert _start(client, exposure_multiple="x").status_code == 400
    assert _start(client, mode="greedy").status_code == 400
    assert Session.scalars(select(PlanningRound)).all() == []


def test_can_a_coach_change_a_line_and_approve_some(client, region):
    login(client, region.coach.email)
    _start(client)
    rnd = Session.scalars(select(PlanningRound)).one()
    lines = Session.scalars(select(PlanningLine).where(PlanningLine.offer_id.is_not(None))).all()
    first, second = lines
    url = f"/coach/planning/{rnd.id}/lines/{second.id}"
    assert client.get(url).status_code == 200
    answer = client.post(url, data={"offer_id": "0", "version": str(second.version)})
    assert answer.status_code == 302
    stale = client.post(url, data={"offer_id": str(second.engine_offer_id), "version": "1"})
    assert stale.status_code == 409
    assert client.post(url, data={"offer_id": "abc", "version": "2"}).status_code == 400
    assert client.post(f"/coach/planning/{rnd.id}/approve", data={}).status_code == 400
    done = client.post(f"/coach/planning/{rnd.id}/approve", data={"line": str(first.id)})
    assert done.status_code == 302
    assert Session.scalars(select(Match.status)).all() == ["proposed"]


def test_is_another_units_round_hidden(client, region):
    login(client, region.coach.email)
    _start(client, scope="unit")
    rnd = Session.scalars(select(PlanningRound)).one()
    client.post("/logout")
    from tests.factories import make_unit, make_user

    outsider = make_user("coach", unit_id=make_unit().id)
    login(client, outsider.email)
    assert client.get(f"/coach/planning/{rnd.id}").status_code == 404
    assert (
        client.post(f"/coach/planning/{rnd.id}/approve", data={"which": "all"}).status_code == 404
    )


def test_does_the_round_page_cost_the_same_statements_for_more_lines(client, region):
    """An N+1 on the lines (participant, offer, employer, workplace) would grow with them."""
    from tests.factories import make_offer, make_participant, make_workplace

    login(client, region.coach.email)
    _start(client, scope="unit")
    small = Session.scalars(select(PlanningRound)).one()
    for _ in range(6):
        make_participant(region.unit, region.coach)
        make_offer(make_workplace())
    Session.commit()
    _start(client, scope="unit")
    big = Session.scalars(select(PlanningRound).order_by(PlanningRound.id.desc())).first()
    assert len(big.lines) > len(small.lines)
    with count_statements() as few:
        client.get(f"/coach/planning/{small.id}")
    with count_statements() as many:
        client.get(f"/coach/planning/{big.id}")
    assert many.count == few.count, (few.statements, many.statements)
