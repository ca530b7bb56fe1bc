"""The demo's first suggestions and a few matches moved along, so every demo login has something.

Called by `flask seed-demo` after the demo data is loaded. Every move goes through
`services.workflow` and `services.placements` as the demo coach or employer contact, so the audit
log, notifications and slots are as real use would leave them:

- coach@demo.test / coach2@demo.test: suggestions for their whole caseloads (capped exposure);
- participant@demo.test / participant2@demo.test: one proposal each, waiting for their answer;
- employer@demo.test / employer2@demo.test: candidates on their offers, one of them interested;
- one placement ongoing (Karlskoga) and one completed with an outcome (Kristianstad).

Idempotent: once the audit log holds `demo.matches_moved`, a second run only refreshes
suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from models import AuditEvent, Match, Offer, Participant, Session, Unit, User
from models.db import today
from services import agreements, audit, manual_matches, placements, queue, suggestions, workflow
from services.workflow import WorkflowError


@dataclass(frozen=True)
class Side:
    coach: str
    participant: str
    employer: str
    placement_ends: bool  # completed with an outcome, else left ongoing


MARKER = "demo.matches_moved"  # in the audit log once the demo's matches have been moved
SIDES = (
    Side("coach@demo.test", "participant@demo.test", "employer@demo.test", False),
    Side("coach2@demo.test", "participant2@demo.test", "employer2@demo.test", True),
)


def _user(email: str) -> User | None:
    return Session.scalar(select(User).where(User.email == email))


def run(on_day: date | None = None) -> dict[str, Any]:
    """Suggestions for every unit, then (once) the demo's moves; returns what was done.

    The jobs the moves queue (e-mails, offer refreshes) run here, in this thread, after the
    moves: a seed is one long writer, and on SQLite a background job that read before one of
    its commits cannot write after it ("database is locked").
    """
    dispatcher = queue.dispatcher
    previous = dispatcher.mode
    dispatcher.mode = "sync"
    try:
        counts = _run(on_day or today())
        queue.run_ready()  # and the jobs those jobs queue (the sends), until none is left
    finally:
        dispatcher.mode = previous
    return counts


def _run(on_day: date) -> dict[str, Any]:
    db = Session()
    counts: dict[str, Any] = {"units": 0}
    for unit_id in db.scalars(select(Unit.id).order_by(Unit.id)).all():
        suggestions.refresh_unit(unit_id)
        counts["units"] += 1
    # The demo's participant logins see their full list (a caseload run caps each offer's
    # exposure), so each shows the core loop: several explained suggestions to approve.
    for side in SIDES:
        puser = _user(side.participant)
        me = puser and Session.scalar(select(Participant.id).where(Participant.user_id == puser.id))
        if me is not None:
            suggestions.refresh_participant(me)
    moved = db.scalar(select(AuditEvent.id).where(AuditEvent.action == MARKER).limit(1))
    if moved is not None:
        counts["moved"] = False
        return counts
    for side in SIDES:
        counts[side.coach] = _move_side(side, on_day)
    audit.record(MARKER, details={k: v for k, v in counts.items() if k != "units"})
    db.commit()
    counts["moved"] = True
    return counts


def _move_side(side: Side, on_day: date) -> dict[str, int]:
    coach, puser, euser = _user(side.coach), _user(side.participant), _user(side.employer)
    done = {"proposals": 0, "interested": 0, "placements": 0}
    if coach is None or puser is None or euser is None:
        return done
    me = Session.scalar(select(Participant).where(Participant.user_id == puser.id))
    if me is not None and _first_proposal(me, coach) is not None:
        done["proposals"] += 1
    offers = Session.scalars(
        select(Offer)
        .where(Offer.employer_id == euser.employer_id, Offer.status == "published")
        .order_by(Offer.capacity.desc(), Offer.id)
    ).all()
    if not offers:
        return done
    taken = {me.id} if me is not None else set()
    # On the first offer: one candidate interested (the employer's to answer), one proposed.
    for step in ("interested", "proposed"):
        match = _candidate(offers[0], coach, taken)
        if match is None:
            break
        taken.add(match.participant_id)
        _send(match, coach)
        if step == "interested":
            workflow.answer(match, coach, True, "Sa ja på mötet.")
            done["interested"] += 1
        done["proposals"] += 1
    # On the last offer (the first again when there is one): a placement the employer accepted.
    host = offers[-1]
    match = _candidate(host, coach, taken)
    if match is not None and host.open_slots > 0:
        try:
            _place(match, coach, euser, on_day, side.placement_ends)
            done["placements"] += 1
        except WorkflowError:
            pass
    return done


def _first_proposal(me: Participant, coach: User) -> Match | None:
    """The participant's best suggestion, approved and sent. When the engine found nothing
    feasible (the demo account's hours and Swedish rule everything out), the coach proposes the
    nearest offer by hand with an explicit override and a note, as a coach would."""
    note = "Jag tror att den här platsen kan passa dig. Hör av dig!"
    best = Session.scalar(
        select(Match)
        .where(Match.participant_id == me.id, Match.status == "suggested")
        .order_by(Match.rank, Match.id)
        .limit(1)
    )
    if best is not None:
        return workflow.approve(best, coach, note)
    for exclusion in suggestions.exclusions(me, top=20):
        offer = Session.get(Offer, int(exclusion.offer_id))
        if offer is None or "capacity" in exclusion.codes or "licence" in exclusion.codes:
            continue
        try:
            return manual_matches.manual_match(
                me,
                offer,
                coach,
                note + " Vi kan prata med arbetsgivaren om tider och stöd.",
                override=True,
            )
        except WorkflowError:
            continue
    return None


def _candidate(offer: Offer, coach: User, taken: set[int]) -> Match | None:
    """A participant of the coach's unit for this offer: the best engine suggestion there is, or
    else a manual match the hard constraints allow (sent at once)."""
    rows = Session.scalars(
        select(Match)
        .join(Participant, Participant.id == Match.participant_id)
        .where(
            Match.offer_id == offer.id,
            Match.status == "suggested",
            Participant.unit_id == coach.unit_id,
            Participant.user_id.is_(None),
            Participant.protected_identity.is_(False),
        )
        .order_by(Match.score.desc(), Match.id)
    ).all()
    for m in rows:
        if m.participant_id not in taken and not _busy(m.participant_id):
            return m
    people = Session.scalars(
        select(Participant)
        .where(
            Participant.unit_id == coach.unit_id,
            Participant.user_id.is_(None),
            Participant.exited_on.is_(None),
            Participant.protected_identity.is_(False),
        )
        .order_by(Participant.id)
    ).all()
    for p in people:
        if p.id in taken or _busy(p.id):
            continue
        if manual_matches.check_manual(p, offer).feasible:
            return manual_matches.manual_match(p, offer, coach, "", send=True)
    return None


def _send(match: Match, coach: User) -> None:
    """Approve and send an engine suggestion; a manual match is sent already."""
    if match.status == "suggested":
        workflow.approve(match, coach, "")


def _busy(participant_id: int) -> bool:
    return (
        Session.scalar(
            select(Match.id).where(
                Match.participant_id == participant_id, Match.status.in_(workflow.ACTIVE)
            )
        )
        is not None
    )


def _place(match: Match, coach: User, employer: User, on_day: date, ends: bool) -> None:
    _send(match, coach)
    workflow.answer(match, coach, True, "Sa ja på mötet.")
    workflow.employer_answer(match, employer, True, "Välkommen!")
    start_on = on_day - timedelta(weeks=5 if ends else 1)
    placement = placements.plan(match, coach, start_on)
    agreements.record_paper_signature(placement, coach, "Påskriven vid startmötet, finns i akten.")
    placements.start(placement, coach)
    placements.add_note(placement, coach, "Första veckan gick bra.", 5, 5)
    placements.add_note(placement, employer, "Punktlig och intresserad.", 5, 4)
    if ends:
        placements.end(placement, coach, "continued_placement", start_on + timedelta(weeks=4))
