"""The state machine: every allowed transition, a sample of refused ones, and their side effects."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Match, Notification, Offer, OutboxEmail
from services import agreements, placements, queue, workflow
from services.workflow import NotAllowed, WorkflowError
from tests.factories import make_offer, make_unit, make_user, make_workplace
from tests.workflow.helpers import make_world, other_participant


def _do(action, w, m):
    """Perform `action` on match `m` as the right actor for it."""
    if action == "approve":
        return workflow.approve(m, w.coach, "Passar dig bra", send=False)
    if action == "reject":
        return workflow.reject(m, w.coach, "distance", "för långt")
    if action == "propose":
        return workflow.propose(m, w.coach)
    if action == "interested":
        return workflow.answer(m, w.participant_user, True, "Gärna!")
    if action == "decline":
        return workflow.answer(m, w.participant_user, False)
    if action == "accept":
        return workflow.employer_answer(m, w.employer_user, True)
    if action == "employer_decline":
        return workflow.employer_answer(m, w.employer_user, False, "Fullt just nu")
    if action == "withdraw":
        return workflow.withdraw(m, w.coach)
    if action == "plan":
        return placements.plan(m, w.coach, date(2026, 12, 1))
    raise AssertionError(action)


ALLOWED = [
    ("approve", "suggested", "approved"),
    ("reject", "suggested", "rejected"),
    ("propose", "approved", "proposed"),
    ("interested", "proposed", "interested"),
    ("decline", "proposed", "declined"),
    ("accept", "interested", "accepted"),
    ("employer_decline", "interested", "employer_declined"),
    ("plan", "accepted", "placement_planned"),
    ("withdraw", "approved", "withdrawn"),
    ("withdraw", "proposed", "withdrawn"),
    ("withdraw", "interested", "withdrawn"),
    ("withdraw", "accepted", "withdrawn"),
    ("withdraw", "placement_planned", "withdrawn"),
]


@pytest.mark.parametrize(("action", "source", "target"), ALLOWED)
def test_allowed_transition(app, db, action, source, target):
    w = make_world(capacity=2)
    if source in workflow.HOLDS_SLOT:
        w.offer.filled = 1
    m = w.match(source)
    db.commit()
    _do(action, w, m)
    db.expire_all()
    assert db.get(Match, m.id).status == target
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == f"match.{action}"))
    assert event is not None and event.subject_id == m.id
    assert event.details["from"] == source and event.details["to"] == target


REFUSED = [
    ("approve", "proposed"),
    ("reject", "approved"),
    ("propose", "suggested"),
    ("interested", "approved"),
    ("interested", "declined"),
    ("decline", "interested"),
    ("accept", "proposed"),
    ("accept", "accepted"),
    ("employer_decline", "declined"),
    ("plan", "interested"),
    ("withdraw", "suggested"),
    ("withdraw", "completed"),
    ("withdraw", "released"),
]


@pytest.mark.parametrize(("action", "source"), REFUSED)
def test_refused_transition_leaves_state_and_says_why(app, db, action, source):
    """Is an invalid transition refused with a clear message, and nothing changed?"""
    w = make_world()
    m = w.match(source)
    db.commit()
    with pytest.raises(WorkflowError) as err:
        _do(action, w, m)
    assert not isinstance(err.value, NotAllowed)
    assert "status" in str(err.value)
    db.expire_all()
    assert db.get(Match, m.id).status == source
    assert db.get(Offer, w.offer.id).filled == 0


@pytest.mark.parametrize(
    ("action", "source", "who"),
    [
        ("approve", "suggested", "other_coach"),
        ("interested", "proposed", "other_participant"),
        ("accept", "interested", "other_employer"),
        ("accept", "interested", "coach"),
        ("approve", "suggested", "employer"),
    ],
)
def test_wrong_actor_is_refused(app, db, action, source, who):
    """May another unit's coach, another participant or another employer move a match? No."""
    w = make_world()
    m = w.match(source)
    other_unit = make_unit()
    actors = {
        "other_coach": make_user("coach", unit_id=other_unit.id),
        "other_participant": make_user("participant", unit_id=w.participant.unit_id),
        "other_employer": make_user("employer", employer_id=make_workplace().employer_id),
        "coach": w.coach,
        "employer": w.employer_user,
    }
    db.commit()
    actor = actors[who]
    with pytest.raises(NotAllowed):
        if action == "approve":
            workflow.approve(m, actor)
        elif action == "interested":
            workflow.answer(m, actor, True)
        else:
            workflow.employer_answer(m, actor, True)
    db.expire_all()
    assert db.get(Match, m.id).status == source


def test_full_loop_with_placement_and_outcome(app, db):
    """suggested → … → completed, with the slot taken on acceptance and freed at the end."""
    w = make_world()
    m = w.match("suggested")
    db.commit()
    workflow.approve(m, w.coach, "Titta på den här")
    assert m.status == "proposed" and m.proposed_at is not None
    workflow.answer(m, w.participant_user, True)
    workflow.employer_answer(m, w.employer_user, True)
    assert db.get(Offer, w.offer.id).filled == 1
    placement = placements.plan(m, w.coach, date(2026, 12, 1))
    assert placement.end_on == date(2026, 12, 29)  # four weeks by default
    agreements.confirm(placement, w.participant_user, version=1)
    agreements.confirm(placement, w.employer_user, version=1)
    agreements.confirm(placement, w.coach, version=1)
    placements.start(placement, w.coach)
    placements.add_note(placement, w.employer_user, "Bra första vecka", 5, 4)
    placements.add_note(placement, w.coach, "Uppföljning", 5, 5)
    assert placements.attendance(placement) == (9, 10)
    placements.end(placement, w.coach, "employment", date(2026, 12, 20), record_exit=True)
    db.expire_all()
    assert db.get(Match, m.id).status == "completed"
    assert db.get(Offer, w.offer.id).filled == 0
    p = w.participant
    assert p.exit_outcome == "employment" and p.exited_on == date(2026, 12, 20)
    actions = db.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.subject_type == "matches", AuditEvent.subject_id == m.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions[:6] == [
        "match.approve",
        "match.propose",
        "match.interested",
        "match.accept",
        "match.plan",
        "match.start",
    ]


def test_accept_releases_other_open_proposals_and_tells_their_employers(app, db):
    w = make_world()
    second_offer = make_offer(make_workplace())
    second_contact = make_user("employer", employer_id=second_offer.employer_id)
    third_offer = make_offer(make_workplace())
    m = w.match("interested")
    other = w.match("interested", offer=second_offer)
    proposed = w.match("proposed", offer=third_offer)
    db.commit()
    workflow.employer_answer(m, w.employer_user, True)
    db.expire_all()
    assert db.get(Match, other.id).status == "released"
    assert db.get(Match, proposed.id).status == "released"
    told = db.scalars(
        select(Notification.kind).where(Notification.user_id == second_contact.id)
    ).all()
    assert told == ["candidate.released"]


def test_second_acceptance_for_same_participant_refused(app, db):
    """Can a participant hold two slots? No: the second employer is told they are taken."""
    w = make_world()
    offer2 = make_offer(make_workplace())
    boss2 = make_user("employer", employer_id=offer2.employer_id)
    m1 = w.match("interested")
    m2 = w.match("interested", offer=offer2)
    db.commit()
    workflow.employer_answer(m1, w.employer_user, True)
    db.expire_all()
    m2 = db.get(Match, m2.id)
    assert m2.status == "released"
    with pytest.raises(WorkflowError):
        workflow.employer_answer(m2, boss2, True)
    assert db.get(Offer, offer2.id).filled == 0


def test_last_slot_goes_to_one_participant_only(app, db):
    w = make_world(capacity=1)
    p2 = other_participant(w)
    m1 = w.match("interested")
    from models import Match as M

    m2 = M(participant_id=p2.id, offer_id=w.offer.id, status="interested")
    db.add(m2)
    db.commit()
    workflow.employer_answer(m1, w.employer_user, True)
    with pytest.raises(WorkflowError, match="ledig plats"):
        workflow.employer_answer(m2, w.employer_user, True)
    db.expire_all()
    assert db.get(M, m2.id).status == "interested"
    assert db.get(Offer, w.offer.id).filled == 1


def test_notifications_and_mails_never_duplicated(app, db, tmp_path):
    """Does a second attempt (a retried job, a repeated event) create or send a second mail?"""
    from services import notifications

    w = make_world()
    w.participant_user.email = "deltagare@test.example"
    m = w.match("approved")
    db.commit()
    workflow.propose(m, w.coach)
    queue.run_ready()  # notification e-mail job, then the send job
    queue.run_ready()
    params = {"match_id": m.id, "offer": w.offer.title, "employer": w.employer.name}
    assert notifications.notify(w.participant_user.id, "proposal.new", params) is None
    note = db.scalar(select(Notification).where(Notification.user_id == w.participant_user.id))
    again = notifications.email_notification(note.id)  # as if the job were delivered a second time
    queue.run_ready()
    assert db.scalar(select(func.count(OutboxEmail.id))) == 1
    mail = db.get(OutboxEmail, again["outbox_id"])
    assert mail.sent_at is not None and mail.attempts == 1
    log = (tmp_path / "outbox.log").read_text(encoding="utf-8")
    assert log.count("Subject: Nytt förslag på arbetsplats") == 1


def test_mail_in_recipients_language(app, db):
    w = make_world()
    w.employer_user.locale = "en"
    m = w.match("proposed")
    db.commit()
    workflow.answer(m, w.participant_user, True)
    queue.run_ready()
    subjects = db.scalars(select(OutboxEmail.subject)).all()
    assert f"A participant is interested in {w.offer.title}" in subjects  # no consent to name
    # the coach reads Swedish, with the participant's name
    assert f"{w.participant.display_name} är intresserad av {w.offer.title}" in subjects


def test_withdraw_frees_the_slot(app, db):
    w = make_world()
    m = w.match("interested")
    db.commit()
    workflow.employer_answer(m, w.employer_user, True)
    assert db.get(Offer, w.offer.id).filled == 1
    workflow.withdraw(m, w.coach, "Deltagaren flyttar")
    db.expire_all()
    assert db.get(Offer, w.offer.id).filled == 0


@pytest.mark.parametrize("change", ["paused", "full", "exited"])
def test_nothing_is_proposed_for_a_closed_offer_or_an_exited_participant(app, db, change):
    """Can a coach approve a suggestion whose offer paused or filled, or after the participant
    left? No, with a message saying why."""
    w = make_world()
    m = w.match("suggested")
    if change == "paused":
        w.offer.status = "paused"
    elif change == "full":
        w.offer.filled = 1
    else:
        w.participant.exited_on = date(2026, 11, 1)
    db.commit()
    with pytest.raises(WorkflowError) as err:
        workflow.approve(m, w.coach)
    assert "status" not in str(err.value)
    db.expire_all()
    assert db.get(Match, m.id).status == "suggested"


def test_filling_the_last_slot_drops_the_offer_from_others_suggestions(app, db):
    """When an employer takes the last slot, do other participants stop seeing the offer?"""
    from services import suggestions

    w = make_world(capacity=1)
    p2 = other_participant(w)
    m = w.match("interested")
    db.commit()
    suggestions.refresh_participant(p2.id)
    assert db.scalar(select(Match).where(Match.participant_id == p2.id)).status == "suggested"
    workflow.employer_answer(m, w.employer_user, True)
    queue.run_ready()  # the coalesced refresh for the offer
    assert db.scalar(select(Match).where(Match.participant_id == p2.id)) is None
    workflow.withdraw(m, w.coach)
    queue.run_ready()
    assert db.scalar(select(Match).where(Match.participant_id == p2.id)).status == "suggested"
