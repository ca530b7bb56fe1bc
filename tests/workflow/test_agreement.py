"""The placement agreement: versions, three confirmations, paper signature, print and PDF, and
the state machine refusing to start a placement before it is confirmed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AgreementConfirmation, AuditEvent, Match, Notification, PlacementAgreement
from services import agreements, placements
from services.agreements import Terms
from services.workflow import NotAllowed, WorkflowError
from tests.conftest import login
from tests.factories import make_user
from tests.workflow.helpers import make_world


@pytest.fixture
def planned(app, db):
    w = make_world()
    m = w.match("accepted")
    w.offer.filled = 1
    db.commit()
    placement = placements.plan(m, w.coach, date(2026, 12, 1), hours_per_week=20)
    return w, m, placement


def _confirm_all(w, placement, version=1):
    for actor in (w.participant_user, w.employer_user, w.coach):
        agreements.confirm(placement, actor, version=version)


def test_planning_writes_version_one_and_asks_both_sides(planned, db):
    w, m, placement = planned
    agreement = agreements.current(placement)
    assert agreement.version == 1
    assert (agreement.start_on, agreement.end_on) == (date(2026, 12, 1), date(2026, 12, 29))
    assert agreement.hours_per_week == 20 and agreement.insurance  # insurance info filled in
    kinds = {
        (n.user_id, n.kind, n.link)
        for n in db.scalars(select(Notification).where(Notification.kind.like("agreement.%")))
    }
    assert (
        w.participant_user.id,
        "agreement.confirm_participant",
        f"/me/placements/{m.id}/agreement",
    ) in kinds
    assert (
        w.employer_user.id,
        "agreement.confirm_employer",
        f"/employer/placements/{m.id}/agreement",
    ) in kinds


def test_start_is_refused_until_all_three_confirmed(planned, db):
    w, m, placement = planned
    agreements.confirm(placement, w.participant_user, version=1)
    agreements.confirm(placement, w.employer_user, version=1)
    with pytest.raises(WorkflowError, match="bekräftat överenskommelsen"):
        placements.start(placement, w.coach)
    db.expire_all()
    assert db.get(Match, m.id).status == "placement_planned"
    agreements.confirm(placement, w.coach, version=1)
    placements.start(placement, w.coach)
    db.expire_all()
    assert db.get(Match, m.id).status == "ongoing"
    rows = db.scalars(select(AgreementConfirmation)).all()
    assert {r.party for r in rows} == {"participant", "employer", "coach"}
    assert all(r.confirmed_at is not None for r in rows)
    # the coach is told once everybody confirmed, with a link to act on
    told = db.scalar(select(Notification).where(Notification.kind == "agreement.confirmed"))
    assert told.user_id == w.coach.id and told.link == f"/coach/placements/{m.id}"


def test_a_change_after_confirmation_needs_confirming_again(planned, db):
    w, m, placement = planned
    _confirm_all(w, placement)
    terms = Terms.of(agreements.current(placement))
    terms.schedule = "Mån–tors 8–12"
    v2 = agreements.write(placement, w.coach, terms, based_on=1)
    assert v2.version == 2 and not agreements.is_confirmed(v2)
    with pytest.raises(WorkflowError):
        placements.start(placement, w.coach)
    # confirming the old version is refused: they must read the new one
    with pytest.raises(WorkflowError, match="ändrats"):
        agreements.confirm(placement, w.participant_user, version=1)
    _confirm_all(w, placement, version=2)
    placements.start(placement, w.coach)
    assert [a.version for a in agreements.versions(placement)] == [1, 2]


def test_saving_on_a_stale_version_is_refused(planned, db):
    w, _m, placement = planned
    terms = Terms.of(agreements.current(placement))
    terms.tasks = "Plocka varor"
    agreements.write(placement, w.coach, terms, based_on=1)
    other = Terms.of(agreements.current(placement))
    other.tasks = "Städa"
    with pytest.raises(WorkflowError, match="ändrats av någon annan"):
        agreements.write(placement, w.coach, other, based_on=1)
    assert agreements.current(placement).tasks == "Plocka varor"


def test_unchanged_save_makes_no_new_version(planned, db):
    w, _m, placement = planned
    same = Terms.of(agreements.current(placement))
    assert agreements.write(placement, w.coach, same, based_on=1).version == 1


def test_paper_signature_lets_the_placement_start_and_is_audited(planned, db):
    w, m, placement = planned
    with pytest.raises(WorkflowError):
        agreements.record_paper_signature(placement, w.coach, "  ")
    agreements.record_paper_signature(placement, w.coach, "Påskriven, i akten")
    placements.start(placement, w.coach)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "agreement.paper_signature"))
    assert event.actor_id == w.coach.id and event.details["version"] == 1


def test_only_the_three_parties_may_confirm_and_only_the_coach_writes(planned, db):
    w, _m, placement = planned
    stranger = make_user("employer")
    db.commit()
    with pytest.raises(NotAllowed):
        agreements.confirm(placement, stranger, version=1)
    with pytest.raises(NotAllowed):
        agreements.write(
            placement, w.employer_user, Terms.of(agreements.current(placement)), based_on=1
        )
    with pytest.raises(NotAllowed):
        agreements.record_paper_signature(placement, w.participant_user, "x")


def test_confirming_twice_is_harmless(planned, db):
    w, _m, placement = planned
    first = agreements.confirm(placement, w.employer_user, version=1)
    again = agreements.confirm(placement, w.employer_user, version=1)
    assert first.id == again.id
    assert len(db.scalars(select(AgreementConfirmation)).all()) == 1


# --- pages -------------------------------------------------------------------------------------


def test_three_accounts_confirm_through_the_pages_then_the_coach_starts(client, planned, db):
    w, m, placement = planned
    for user, prefix in (
        (w.participant_user, "/me"),
        (w.employer_user, "/employer"),
        (w.coach, "/coach"),
    ):
        login(client, user.email)
        page = client.get(f"{prefix}/placements/{m.id}/agreement")
        assert page.status_code == 200, prefix
        assert "Jag har läst och bekräftar" in page.get_data(as_text=True)
        r = client.post(f"{prefix}/placements/{m.id}/agreement/confirm", data={"version": "1"})
        assert r.status_code == 302
        client.post("/logout")
    assert agreements.is_confirmed(agreements.current(placement))
    login(client, w.coach.email)
    assert client.post(f"/coach/placements/{m.id}/start").status_code == 302
    db.expire_all()
    assert db.get(Match, m.id).status == "ongoing"


def test_coach_start_without_confirmation_is_409_with_message(client, planned, db):
    w, m, _placement = planned
    login(client, w.coach.email)
    r = client.post(f"/coach/placements/{m.id}/start")
    assert r.status_code == 409
    assert "bekräftat överenskommelsen" in r.get_data(as_text=True)


def test_coach_saves_a_new_version_and_bad_input_is_400(client, planned, db):
    w, m, placement = planned
    login(client, w.coach.email)
    form = {
        "based_on": "1",
        "start_on": "2026-12-01",
        "end_on": "2026-12-22",
        "hours_per_week": "25",
        "tasks": "Kassa och påfyllning",
        "supervisor_email": "handledare@example.se",
    }
    assert client.post(f"/coach/placements/{m.id}/agreement", data=form).status_code == 302
    assert agreements.current(placement).version == 2
    assert agreements.current(placement).tasks == "Kassa och påfyllning"
    # a stale form (still based on version 1) is refused, not saved over version 2
    stale = client.post(f"/coach/placements/{m.id}/agreement", data=form | {"tasks": "Annat"})
    assert stale.status_code == 409
    assert agreements.current(placement).tasks == "Kassa och påfyllning"
    bad = client.post(
        f"/coach/placements/{m.id}/agreement",
        data=form | {"based_on": "2", "start_on": "x", "supervisor_email": "nope"},
    )
    assert bad.status_code == 400 and "Fel:" in bad.get_data(as_text=True)
    worse = client.post(f"/coach/placements/{m.id}/agreement", data=form | {"based_on": "abc"})
    assert worse.status_code == 400
    missing = client.post(f"/coach/placements/{m.id}/agreement/confirm", data={"version": "z"})
    assert missing.status_code == 400
    assert db.scalar(select(PlacementAgreement.version).order_by(PlacementAgreement.id.desc())) == 2


def test_employer_and_participant_cannot_write(client, planned, db):
    w, m, _placement = planned
    login(client, w.employer_user.email)
    r = client.post(f"/employer/placements/{m.id}/agreement", data={"start_on": "2026-12-01"})
    assert r.status_code == 405
    assert client.post(f"/coach/placements/{m.id}/agreement").status_code == 403


def test_print_and_pdf(client, planned, db):
    w, m, placement = planned
    agreements.confirm(placement, w.participant_user, version=1)
    login(client, w.participant_user.email)
    html = client.get(f"/me/placements/{m.id}/agreement/print")
    assert html.status_code == 200
    text = html.get_data(as_text=True)
    assert "agreement-print.css" in text and w.offer.title in text
    pdf = client.get(f"/me/placements/{m.id}/agreement.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert b"attachment" in pdf.headers["Content-Disposition"].encode()


def test_another_employer_gets_404(client, planned, db):
    _w, m, _placement = planned
    from tests.factories import make_employer

    other = make_user("employer", employer_id=make_employer().id)
    db.commit()
    login(client, other.email)
    assert client.get(f"/employer/placements/{m.id}/agreement").status_code == 404
    assert client.get(f"/employer/placements/{m.id}/agreement.pdf").status_code == 404
