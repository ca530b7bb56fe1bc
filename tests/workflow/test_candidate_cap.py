"""The employer's cap on open candidates per offer, and "publish at once when verified"."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

import models
from models import AuditEvent, Employer, Match, Offer, Session, User
from services import candidate_cap, employers, manual_matches, planning, suggestions, workflow
from services.workflow import WorkflowError
from tests.conftest import login
from tests.factories import make_employer, make_offer, make_user, make_workplace
from tests.workflow.helpers import make_world, other_participant
from tests.workflow.test_capacity_race import fresh  # noqa: F401  (the fixture)


def _capped_world(cap: int = 1, capacity: int = 3):
    w = make_world(capacity=capacity)
    w.offer.max_open_candidates = cap
    Session.flush()
    return w


def test_approval_at_the_cap_is_refused_in_words(app, db):
    """With one open candidate allowed and one open, is a second approval refused with a
    message naming the cap, and allowed again once the first is answered?"""
    w = _capped_world(cap=1)
    first = w.match("suggested")
    second = Match(participant_id=other_participant(w).id, offer_id=w.offer.id, status="suggested")
    db.add(second)
    db.commit()
    workflow.approve(first, w.coach)
    assert first.status == "proposed"
    with pytest.raises(WorkflowError) as refused:
        workflow.approve(second, w.coach)
    assert "högst 1 öppna kandidater" in str(refused.value)
    assert db.get(Match, second.id).status == "suggested"
    workflow.answer(first, w.participant_user, False)  # declined: no longer open
    workflow.approve(second, w.coach)
    assert db.get(Match, second.id).status == "proposed"


def test_no_cap_means_no_limit(app, db):
    w = make_world(capacity=1)
    for _ in range(3):
        m = Match(participant_id=other_participant(w).id, offer_id=w.offer.id, status="suggested")
        db.add(m)
        db.commit()
        workflow.approve(m, w.coach)
    assert candidate_cap.open_candidates(w.offer.id) == 3


def test_manual_match_and_planning_respect_the_cap(app, db):
    """A manual match is refused even with the override ticked, the check names the cap in
    words, and a planning round does not use the offer."""
    w = _capped_world(cap=1)
    w.match("interested")
    p2 = other_participant(w)
    db.commit()
    check = manual_matches.check_manual(p2, w.offer)
    assert "candidate_cap" in check.codes and not check.feasible
    with pytest.raises(WorkflowError):
        manual_matches.manual_match(p2, w.offer, w.coach, "Vill ändå", override=True)
    assert db.scalar(select(Match).where(Match.participant_id == p2.id)) is None
    usable = set(
        db.scalars(planning.round_offers(w.participant.unit_id).with_only_columns(Offer.id))
    )
    assert w.offer.id not in usable
    w.offer.max_open_candidates = 2
    db.commit()
    usable = set(
        db.scalars(planning.round_offers(w.participant.unit_id).with_only_columns(Offer.id))
    )
    assert w.offer.id in usable


def test_capped_offer_gets_no_new_suggestions_and_the_coach_sees_why(client, app, db):
    w = _capped_world(cap=1)
    p2 = other_participant(w)
    w.match("proposed")
    db.commit()
    suggestions.refresh_participant(p2.id)
    assert db.scalar(select(Match).where(Match.participant_id == p2.id)) is None
    login(client, w.coach.email)
    page = client.get(f"/coach/participants/{p2.id}/suggestions?why=1").get_data(as_text=True)
    assert "arbetsgivaren tar inte emot fler kandidater just nu" in page
    # Once the candidate is answered the offer is suggested again.
    db.execute(
        models.Match.__table__.update()
        .where(Match.offer_id == w.offer.id, Match.status == "proposed")
        .values(status="declined")
    )
    db.commit()
    suggestions.refresh_participant(p2.id)
    assert db.scalar(select(Match.status).where(Match.participant_id == p2.id)) == "suggested"


def test_employer_sets_the_cap_on_the_offer_form(client, app, db):
    employer = make_employer(verified_at=models.utcnow())
    contact = make_user("employer", employer_id=employer.id)
    offer = make_offer(make_workplace(employer), status="draft")
    db.commit()
    login(client, contact.email)
    form = {
        "title": offer.title,
        "kind": "praktik",
        "workplace_id": str(offer.workplace_id),
        "swedish_level": "none",
        "capacity": "2",
        "max_open_candidates": "0",
    }
    bad = client.post(f"/employer/offers/{offer.id}/edit", data=form)
    assert bad.status_code == 400
    form["max_open_candidates"] = "3"
    assert client.post(f"/employer/offers/{offer.id}/edit", data=form).status_code == 302
    db.expire_all()
    assert db.get(Offer, offer.id).max_open_candidates == 3
    shown = client.get(f"/employer/offers/{offer.id}").get_data(as_text=True)
    assert "3 (nu 0 öppna)" in shown
    form["max_open_candidates"] = ""
    client.post(f"/employer/offers/{offer.id}/edit", data=form)
    db.expire_all()
    assert db.get(Offer, offer.id).max_open_candidates is None


def test_two_coaches_approving_at_once_do_not_exceed_the_cap(fresh):  # noqa: F811
    """Two coaches approve different candidates for an offer with one open place under the
    cap, at the same moment: does exactly one go through, on SQLite and PostgreSQL?"""
    w = make_world(capacity=5)
    w.offer.max_open_candidates = 2
    w.match("proposed")  # one already open
    colleague = make_user("coach", unit_id=w.participant.unit_id)
    ids = []
    for _ in range(2):
        m = Match(participant_id=other_participant(w).id, offer_id=w.offer.id, status="suggested")
        models.Session.add(m)
        models.Session.flush()
        ids.append(m.id)
    models.Session.commit()
    pairs = list(zip(ids, [w.coach.id, colleague.id], strict=True))
    offer_id = w.offer.id
    models.Session.remove()
    barrier = threading.Barrier(2)

    def approve(pair: tuple[int, int]) -> str:
        match_id, coach_id = pair
        session = models.Session()
        try:
            m = session.get(Match, match_id)
            coach = session.get(User, coach_id)
            assert m.participant is not None and m.offer is not None
            session.commit()
            barrier.wait(timeout=30)
            workflow.approve(m, coach)
            return "approved"
        except WorkflowError:
            return "refused"
        finally:
            models.Session.remove()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(approve, pairs))
    assert sorted(results) == ["approved", "refused"], results
    db = models.Session()
    open_now = db.scalar(
        select(func.count(Match.id)).where(
            Match.offer_id == offer_id, Match.status.in_(candidate_cap.OPEN_CANDIDATE)
        )
    )
    assert open_now == 2


# --- publish at once when verified -------------------------------------------------------------


def test_verification_publishes_the_chosen_drafts_only(app, db):
    """Is a draft marked "publish at once" published on verification (audited, through the
    publish path), while the other drafts stay one click from published?"""
    employer = make_employer(verified_at=None)
    make_user("employer", employer_id=employer.id)
    chosen = make_offer(make_workplace(employer), status="draft", publish_on_verification=True)
    other = make_offer(make_workplace(employer), status="draft")
    coach = make_user("coach")
    db.commit()
    employers.verify(coach, employer.id)
    db.expire_all()
    assert db.get(Offer, chosen.id).status == "published"
    assert db.get(Offer, chosen.id).published_at is not None
    assert db.get(Offer, other.id).status == "draft"
    event = db.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "offer.status", AuditEvent.subject_id == chosen.id
        )
    )
    assert event.details["on_verification"] is True and event.actor_id == coach.id
    note = db.scalar(
        select(models.Notification).where(models.Notification.kind == "employer.verified_published")
    )
    from services import notifications

    assert "1 platser publicerades direkt" in notifications.render(note)


def test_choice_at_sign_up_publishes_every_draft(client, app, db):
    from tests.portals.test_employer import _confirm, _registration

    form = _registration(publish_on_verification="y")
    assert client.post("/employer/register", data=form).status_code == 302
    _confirm(client, db, "kim@testbolaget.example")
    employer = db.scalar(select(Employer).where(Employer.name == "Testbolaget AB"))
    assert employer.publish_on_verification is True
    drafts = [make_offer(employer.workplaces[0], status="draft") for _ in range(2)]
    db.commit()
    employers.verify(make_user("coach"), employer.id)
    db.expire_all()
    assert {db.get(Offer, d.id).status for d in drafts} == {"published"}


def test_unverified_employer_sees_the_choice_on_a_draft(client, app, db):
    employer = make_employer(verified_at=None, publish_on_verification=True)
    contact = make_user("employer", employer_id=employer.id)
    make_workplace(employer)
    db.commit()
    login(client, contact.email)
    page = client.get("/employer/offers/new").get_data(as_text=True)
    assert "Publicera direkt när vi är granskade" in page
    (box,) = re.findall(r"<input[^>]*publish_on_verification[^>]*>", page)
    assert "checked" in box  # the choice made at sign-up is the new offer's default
