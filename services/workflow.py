"""The match state machine, in one place: who may move a match from which state to which.

    suggested -> approved -> proposed -> interested | declined
    interested -> accepted | employer_declined
    accepted -> placement_planned -> ongoing -> completed | ended_early
    suggested -> rejected (the coach; kept for learning and audit)
    approved | proposed | rejected -> suggested: the deciding coach's undo, for UNDO_MINUTES and
        only while nobody else has seen the decision (`undo`)
    rejected -> suggested only when the coach asks (`suggestions.refresh_participant(
        reconsider_rejected=True)` or a manual match of that offer; audited either way)
    approved .. placement_planned -> withdrawn (the coach, at any step)
    approved | proposed | interested -> released (the participant accepted another placement)

A coach's manual match (an offer the engine did not suggest) is checked against the hard
constraints in `services.manual_matches` and then enters here as approved.

Every transition checks the actor's right and the current state, writes the audit log, creates
the notifications (whose e-mails are sent by jobs after commit) and commits. A refused transition
raises `WorkflowError` with a translatable message and rolls back, so the caller's transaction
is clean. Web views, jobs and the CLI all call these functions; nothing else writes
`Match.status`.

Capacity: the employer's acceptance takes a slot with a guarded
`UPDATE offers SET filled = filled + 1 WHERE id = :id AND filled < capacity`, after locking the
offer row on PostgreSQL; the CHECK constraint `filled <= capacity` backs it up. Whatever the
interleaving of concurrent acceptances, at most `capacity` of them succeed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import OperationalError

from models import (
    AgreementConfirmation,
    Match,
    Notification,
    Offer,
    OutboxEmail,
    Participant,
    Placement,
    PlacementAgreement,
    Session,
    User,
    utcnow,
)
from models.agreement import PARTIES
from models.match import REJECTION_REASONS
from services import audit, candidate_cap, notifications, privacy, suggestions

T = TypeVar("T")

STATUS_LABELS = {
    "suggested": _l("föreslagen automatiskt"),
    "rejected": _l("avvisad av coach"),
    "approved": _l("godkänd av coach"),
    "proposed": _l("skickad till deltagaren"),
    "interested": _l("deltagaren är intresserad"),
    "declined": _l("deltagaren tackade nej"),
    "accepted": _l("arbetsgivaren tackade ja"),
    "employer_declined": _l("arbetsgivaren tackade nej"),
    "placement_planned": _l("praktik planerad"),
    "ongoing": _l("praktik pågår"),
    "completed": _l("praktik avslutad"),
    "ended_early": _l("praktik avbruten i förtid"),
    "withdrawn": _l("återtagen av coach"),
    "released": _l("stängd (deltagaren fick en annan plats)"),
}

REJECTION_LABELS = {
    "distance": _l("För långt bort"),
    "health": _l("Passar inte hälsomässigt"),
    "interest": _l("Inte deltagarens intresse"),
    "skills": _l("Kraven passar inte"),
    "timing": _l("Fel tidpunkt"),
    "employer": _l("Arbetsgivaren passar inte"),
    "other": _l("Annat"),
}
assert set(REJECTION_LABELS) == set(REJECTION_REASONS)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    role: str  # coach | participant | employer | system
    # Another role that may record the move for them: a coach notes a participant's answer
    # given by phone or at a meeting (audited as on behalf).
    on_behalf: str | None = None


TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(frozenset({"suggested"}), "approved", "coach"),
    "reject": Transition(frozenset({"suggested"}), "rejected", "coach"),
    "propose": Transition(frozenset({"approved"}), "proposed", "coach"),
    "interested": Transition(frozenset({"proposed"}), "interested", "participant", "coach"),
    "decline": Transition(frozenset({"proposed"}), "declined", "participant", "coach"),
    "accept": Transition(frozenset({"interested"}), "accepted", "employer"),
    "employer_decline": Transition(frozenset({"interested"}), "employer_declined", "employer"),
    "plan": Transition(frozenset({"accepted"}), "placement_planned", "coach"),
    "start": Transition(frozenset({"placement_planned"}), "ongoing", "coach"),
    "complete": Transition(frozenset({"ongoing"}), "completed", "coach"),
    "end_early": Transition(frozenset({"placement_planned", "ongoing"}), "ended_early", "coach"),
    "withdraw": Transition(
        frozenset({"approved", "proposed", "interested", "accepted", "placement_planned"}),
        "withdrawn",
        "coach",
    ),
    "release": Transition(frozenset({"approved", "proposed", "interested"}), "released", "system"),
    # A short undo of the coach's own decision (`undo`), while nobody else has seen it.
    "undo": Transition(frozenset({"approved", "proposed", "rejected"}), "suggested", "coach"),
}

UNDO_MINUTES = 10

# States in which the match holds one of the offer's slots.
HOLDS_SLOT = frozenset({"accepted", "placement_planned", "ongoing"})
OPEN_PROPOSAL = frozenset({"approved", "proposed", "interested"})
ACTIVE = OPEN_PROPOSAL | HOLDS_SLOT
# A placement exists, or is about to be planned, from the employer's yes onwards.
PLACEMENT_STATES = frozenset(
    {"accepted", "placement_planned", "ongoing", "completed", "ended_early"}
)

# Which states each side sees (`services.access` applies them). The participant hears of a match
# once the coach sends it; the employer only once the participant has said yes, so a "no thanks"
# never reaches the employer. Suggestions, rejections, withdrawals and releases stay with the unit.
PARTICIPANT_SEES = frozenset({"proposed", "declined", "interested", "employer_declined"}) | (
    PLACEMENT_STATES
)
EMPLOYER_SEES = frozenset({"interested", "employer_declined"}) | PLACEMENT_STATES
assert EMPLOYER_SEES < PARTICIPANT_SEES <= set(STATUS_LABELS)
assert {t.target for t in TRANSITIONS.values()} | {"suggested"} == set(STATUS_LABELS)


class WorkflowError(Exception):
    """A refused transition; `message` is translated when shown."""

    def __init__(self, message: Any, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class NotAllowed(WorkflowError):
    """The actor has no right to this match (the web answers 404)."""


# --- rights ----------------------------------------------------------------------------------


def may_act(actor: User | None, match: Match, role: str) -> bool:
    if role == "system":
        return True
    if actor is None or actor.role != role:
        return False
    participant = match.participant
    if role == "coach":
        return actor.unit_id is not None and actor.unit_id == participant.unit_id
    if role == "participant":
        return participant.user_id == actor.id
    if role == "employer":
        return actor.employer_id is not None and actor.employer_id == match.offer.employer_id
    return False


_LOCKED = "workflow.locked"


def _lock_match(match: Match) -> None:
    """On PostgreSQL, lock the match row and re-read it, once per transaction, so that two
    requests moving the same match (a double click, two coaches) run one after the other and the
    second sees the first's result. SQLite serialises writers anyway; a stale read there fails
    at the write ("database is locked") and `_committed` retries with fresh rows."""
    db = Session()
    if match.id is None or db.get_bind().dialect.name != "postgresql":
        return
    locked = db.info.setdefault(_LOCKED, set())
    if match.id not in locked:
        # Always the offer first, then the match: one lock order for every transition, so that
        # an acceptance (offer, participant, match) and a withdrawal cannot deadlock.
        db.execute(select(Offer.id).where(Offer.id == match.offer_id).with_for_update())
        db.refresh(match, with_for_update=True)
        locked.add(match.id)


def _check(action: str, match: Match, actor: User | None) -> Transition:
    _lock_match(match)
    t = TRANSITIONS[action]
    if not may_act(actor, match, t.role) and not (
        t.on_behalf and may_act(actor, match, t.on_behalf)
    ):
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    if match.status not in t.sources:
        raise WorkflowError(
            _l("Det går inte nu: förslaget har status ”%(status)s”."),
            status=STATUS_LABELS.get(match.status, match.status),
        )
    return t


def _move(action: str, match: Match, actor: User | None, **details: Any) -> None:
    """Check, then change the status with `UPDATE ... WHERE status = <the status we checked>`:
    if another request moved the match since this one read it, nothing is updated and the move
    is refused, on SQLite as on PostgreSQL."""
    t = _check(action, match, actor)
    before = match.status
    if match.id is None:
        match.status = t.target
    else:
        moved = Session().execute(
            update(Match)
            .where(Match.id == match.id, Match.status == before)
            .values(status=t.target)
            .execution_options(synchronize_session="fetch")
        )
        if moved.rowcount != 1:
            raise WorkflowError(
                _l("Förslaget har just ändrats av någon annan. Ladda om sidan och försök igen.")
            )
    audit.record(
        f"match.{action}",
        actor=actor,
        subject=match,
        details={"from": before, "to": t.target, "offer_id": match.offer_id} | details,
    )
    _mark_read(actor, match)


def _mark_read(actor: User | None, match: Match) -> None:
    """Whoever acts on a match has dealt with their notices about it: they stop being unread."""
    if actor is None or match.id is None:
        return
    now = utcnow()
    for note in Session.scalars(
        select(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
    ):
        if (note.params or {}).get("match_id") == match.id:
            note.read_at = now


def _committed(fn: Callable[[], T]) -> T:
    """Run one transition and commit; roll back on refusal. SQLite's "database is locked" (a
    writer raced us after our first read) is retried from the start, up to five times."""
    db = Session()
    for attempt in range(5):
        try:
            result = fn()
            db.commit()
            return result
        except WorkflowError:
            db.rollback()
            raise
        except OperationalError as exc:
            db.rollback()
            if db.get_bind().dialect.name != "sqlite" or "locked" not in str(exc) or attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))
        finally:
            db.info.pop(_LOCKED, None)
    raise AssertionError("unreachable")


def _coach_user(match: Match) -> User | None:
    return match.participant.coach


def employer_users(offer: Offer) -> list[User]:
    """The employer's active contacts (who are told about candidates and agreements)."""
    return _employer_users(offer)


def _employer_users(offer: Offer) -> list[User]:
    return list(
        Session.scalars(
            select(User).where(User.employer_id == offer.employer_id, User.active.is_(True))
        )
    )


def _params(match: Match) -> dict[str, Any]:
    """What a notification about this match says: the offer, the employer, the participant's
    name for the coach and the participant, and `candidate`, the name as far as the employer may
    see it (empty without consent: shown as "En deltagare")."""
    return {
        "match_id": match.id,
        "offer": match.offer.title,
        "employer": match.offer.employer.name,
        "participant_id": match.participant_id,
        "participant": match.participant.display_name,
        "candidate": privacy.employer_view(match.participant).get("name") or "",
    }


# --- the coach's decisions ---------------------------------------------------------------------


def approve(match: Match, actor: User, note: str = "", *, send: bool = True) -> Match:
    """The coach approves a suggestion; with `send` it goes to the participant at once."""

    def run() -> Match:
        _check("approve", match, actor)
        _still_open(match)
        _move("approve", match, actor)
        match.coach_note = (note or "").strip()
        match.decided_by_id, match.decided_at = actor.id, utcnow()
        if send:
            _propose(match, actor)
        return match

    return _committed(run)


def propose(match: Match, actor: User) -> Match:
    return _committed(lambda: _propose(match, actor))


def _still_open(match: Match) -> None:
    """Nothing reaches a participant for an offer that closed or filled meanwhile, or that has
    reached the employer's cap on open candidates (`candidate_cap`; the one place a proposal is
    checked: approvals, manual matches and planning rounds all come here), or after the
    participant left the programme."""
    if match.participant.exited_on is not None:
        raise WorkflowError(_l("Deltagaren har avslutats i programmet."))
    offer = match.offer
    if offer.status != "published":
        raise WorkflowError(_l("Platsen är inte publicerad längre."))
    if offer.filled >= offer.capacity:
        raise WorkflowError(_l("Det finns ingen ledig plats kvar."))
    if candidate_cap.at_cap(offer, besides=match.id):
        raise WorkflowError(
            _l(
                "Arbetsgivaren tar emot högst %(n)s öppna kandidater åt gången på den här "
                "platsen, och så många finns redan."
            ),
            n=offer.max_open_candidates,
        )


def _propose(match: Match, actor: User) -> Match:
    _check("propose", match, actor)
    _still_open(match)
    _move("propose", match, actor)
    match.proposed_at = utcnow()
    participant = match.participant
    if participant.user_id is not None:
        notifications.notify(
            participant.user_id, "proposal.new", _params(match), link=f"/me/proposals/{match.id}"
        )
    return match


def reject(match: Match, actor: User, reason: str, note: str = "") -> Match:
    if reason not in REJECTION_REASONS:
        raise WorkflowError(_l("Välj ett skäl från listan."))

    def run() -> Match:
        _move("reject", match, actor, reason=reason)
        match.rejection_reason, match.rejection_note = reason, (note or "").strip()
        match.decided_by_id, match.decided_at = actor.id, utcnow()
        return match

    return _committed(run)


def withdraw(match: Match, actor: User, note: str = "") -> Match:
    def run() -> Match:
        before = match.status
        _move("withdraw", match, actor, note=note)
        if before in HOLDS_SLOT:
            _free_slot(match.offer_id)
            suggestions.schedule_refresh_for_participant(match.participant_id)  # no longer placed
        if before != "approved" and match.participant.user_id is not None:
            notifications.notify(match.participant.user_id, "proposal.withdrawn", _params(match))
        if before in ("interested",) or before in HOLDS_SLOT:
            for user in _employer_users(match.offer):
                notifications.notify(user.id, "candidate.withdrawn", _params(match))
        return match

    return _committed(run)


def undo_refusal(match: Match, actor: User, now: Any = None) -> Any:
    """Why this coach cannot undo their decision on this match now, or None if they can."""
    if match.status not in TRANSITIONS["undo"].sources or match.decided_at is None:
        return _l("Det finns inget beslut att ångra.")
    if match.decided_by_id != actor.id:
        return _l("Bara den som fattade beslutet kan ångra det.")
    if (now or utcnow()) - match.decided_at > timedelta(minutes=UNDO_MINUTES):
        return _l("Det har gått mer än %(n)s minuter. Återta förslaget i stället.", n=UNDO_MINUTES)
    if match.status == "proposed" and not _unseen_by_participant(match):
        return _l("Deltagaren har redan fått förslaget. Återta det i stället.")
    return None


def _proposal_notes(match: Match) -> list[Notification]:
    user_id = match.participant.user_id
    if user_id is None:
        return []
    return [
        n
        for n in Session.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.kind == "proposal.new"
            )
        )
        if (n.params or {}).get("match_id") == match.id
    ]


def _unseen_by_participant(match: Match) -> bool:
    """No answer, the in-app notice unread and its e-mail not sent."""
    if match.participant_answered_at is not None:
        return False
    for note in _proposal_notes(match):
        if note.read_at is not None:
            return False
        mail = Session.scalar(
            select(OutboxEmail).where(OutboxEmail.dedupe_key == f"notification:{note.id}")
        )
        if mail is not None and mail.sent_at is not None:
            return False
    return True


def undo(match: Match, actor: User) -> Match:
    """Return the coach's own approval or rejection to "suggested" within UNDO_MINUTES; a sent
    proposal only while the participant has seen nothing of it (its notice and unsent e-mail are
    removed). Audited as `match.undo`."""

    def run() -> Match:
        _check("undo", match, actor)
        refusal = undo_refusal(match, actor)
        if refusal is not None:
            raise WorkflowError(refusal)
        before = match.status
        if before == "proposed":
            db = Session()
            for note in _proposal_notes(match):
                db.execute(
                    delete(OutboxEmail).where(
                        OutboxEmail.dedupe_key == f"notification:{note.id}",
                        OutboxEmail.sent_at.is_(None),
                    )
                )
                db.delete(note)
        _move("undo", match, actor, undone=before)
        match.decided_by_id = match.decided_at = match.proposed_at = None
        match.rejection_reason, match.rejection_note, match.coach_note = None, "", ""
        return match

    return _committed(run)


# --- the participant's answer ------------------------------------------------------------------


def answer(match: Match, actor: User, interested: bool, comment: str = "") -> Match:
    """The participant's answer; a coach of the unit may record it on their behalf."""

    def run() -> Match:
        on_behalf = actor is not None and actor.role == "coach"
        _move("interested" if interested else "decline", match, actor, on_behalf=on_behalf)
        match.participant_comment = (comment or "").strip()[:2000]
        match.participant_answered_at = utcnow()
        coach = _coach_user(match)
        if coach is not None and not on_behalf:
            kind = "answer.participant_yes" if interested else "answer.participant_no"
            notifications.notify(coach.id, kind, _params(match), link=_coach_link(match))
        if interested:
            for user in _employer_users(match.offer):
                notifications.notify(
                    user.id,
                    "candidate.interested",
                    _params(match),
                    link=f"/employer/offers/{match.offer_id}/candidates",
                )
        return match

    return _committed(run)


def _coach_link(match: Match) -> str:
    return f"/coach/participants/{match.participant_id}/suggestions"


# --- the employer's answer, and capacity -------------------------------------------------------


def _lock_rows(match: Match) -> None:
    """On PostgreSQL, lock the offer and the participant before looking at their state, so that
    racing acceptances queue up here and each sees the one before it."""
    db = Session()
    if db.get_bind().dialect.name == "postgresql":
        db.execute(select(Offer.id).where(Offer.id == match.offer_id).with_for_update())
        db.execute(
            select(Participant.id).where(Participant.id == match.participant_id).with_for_update()
        )
    db.refresh(match)


def _take_slot(offer_id: int) -> bool:
    """The guarded increment: true only if a slot was still open when the row was written.

    When this takes the last slot, the offer leaves the index, so the participants who had it
    suggested are refreshed after commit (coalesced); a slot taken with others still open
    changes nobody's suggestions. "fetch" keeps a loaded Offer in this session in step
    (sessions here do not expire on commit).
    """
    db = Session()
    result = db.execute(
        update(Offer)
        .where(Offer.id == offer_id, Offer.filled < Offer.capacity)
        .values(filled=Offer.filled + 1)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        return False
    if db.scalar(select(Offer.filled >= Offer.capacity).where(Offer.id == offer_id)):
        suggestions.schedule_refresh_for_offer(offer_id)
    return True


def _free_slot(offer_id: int) -> None:
    """Give a slot back; a full offer that opens again is refreshed for those it suits."""
    db = Session()
    was_full = db.scalar(select(Offer.filled >= Offer.capacity).where(Offer.id == offer_id))
    result = db.execute(
        update(Offer)
        .where(Offer.id == offer_id, Offer.filled > 0)
        .values(filled=Offer.filled - 1)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount and was_full:
        suggestions.schedule_refresh_for_offer(offer_id)


def employer_answer(
    match: Match, actor: User, accept: bool, comment: str = "", reason: str | None = None
) -> Match:
    """The employer accepts (takes a slot, releases the participant's other proposals) or
    declines an interested participant, optionally with a listed reason
    (`employer_response.DECLINE_REASONS`, checked by the caller)."""

    def run() -> Match:
        if accept:
            _lock_rows(match)
            _check("accept", match, actor)
            taken = Session.scalar(
                select(Match.id).where(
                    Match.participant_id == match.participant_id,
                    Match.id != match.id,
                    Match.status.in_(HOLDS_SLOT),
                )
            )
            if taken is not None:
                raise WorkflowError(_l("Deltagaren har redan fått en annan plats."))
            if not _take_slot(match.offer_id):
                raise WorkflowError(_l("Det finns ingen ledig plats kvar."))
        _move("accept" if accept else "employer_decline", match, actor)
        match.employer_comment = (comment or "").strip()[:2000]
        match.employer_answered_at = utcnow()
        match.employer_decline_reason = None if accept else reason
        coach = _coach_user(match)
        kind = "answer.employer_yes" if accept else "answer.employer_no"
        if coach is not None:
            notifications.notify(coach.id, kind, _params(match), link=_coach_link(match))
        if match.participant.user_id is not None:
            notifications.notify(
                match.participant.user_id, kind, _params(match), link=f"/me/proposals/{match.id}"
            )
        if accept:
            _release_others(match)
            # Placed: the participant rests; the refresh drops their open suggestions.
            suggestions.schedule_refresh_for_participant(match.participant_id)
        return match

    return _committed(run)


def _release_others(accepted: Match) -> list[Match]:
    """Close the participant's other open proposals and tell employers who had been told."""
    query = select(Match).where(
        Match.participant_id == accepted.participant_id,
        Match.id != accepted.id,
        Match.status.in_(TRANSITIONS["release"].sources),
    )
    db = Session()
    if db.get_bind().dialect.name == "postgresql":
        # The participant is locked already; lock these rows without their offers (taking other
        # offers' locks here could deadlock with an acceptance on one of them).
        query = query.order_by(Match.id).with_for_update()
    others = db.scalars(query).all()
    db.info.setdefault(_LOCKED, set()).update(m.id for m in others)
    for other in others:
        was = other.status
        _move("release", other, None, because_of=accepted.id)
        if was == "interested":
            for user in _employer_users(other.offer):
                notifications.notify(user.id, "candidate.released", _params(other))
    return list(others)


# --- placement steps (called by services.placements) -----------------------------------------


def agreement_confirmed(agreement: PlacementAgreement | None) -> bool:
    """The agreement version is confirmed by participant, employer and coach in the app, or the
    coach recorded a paper signature for it."""
    if agreement is None:
        return False
    if agreement.paper_signed_at is not None:
        return True
    parties = Session.scalars(
        select(AgreementConfirmation.party).where(
            AgreementConfirmation.agreement_id == agreement.id
        )
    ).all()
    return set(parties) == set(PARTIES)


def _newest_agreement(match: Match) -> PlacementAgreement | None:
    return Session.scalar(
        select(PlacementAgreement)
        .join(Placement, Placement.id == PlacementAgreement.placement_id)
        .where(Placement.match_id == match.id)
        .order_by(PlacementAgreement.version.desc())
        .limit(1)
    )


def move_placement(match: Match, action: str, actor: User, **details: Any) -> None:
    """plan/start/complete/end_early on the match, inside the caller's transaction; ending frees
    the slot so the offer can take someone else. A placement starts only when its newest
    agreement (`services.agreements`) is confirmed by all three or signed on paper."""
    if action not in ("plan", "start", "complete", "end_early"):
        raise ValueError(action)
    if action == "start":
        _check(action, match, actor)
        if not agreement_confirmed(_newest_agreement(match)):
            raise WorkflowError(
                _l(
                    "Praktiken kan börja först när deltagaren, arbetsgivaren och coachen har "
                    "bekräftat överenskommelsen (eller den är underskriven på papper)."
                )
            )
    _move(action, match, actor, **details)
    if action in ("complete", "end_early"):
        _free_slot(match.offer_id)
        # The placement ended: the participant gets suggestions again.
        suggestions.schedule_refresh_for_participant(match.participant_id)


def committed(fn: Callable[[], T]) -> T:
    """For services.placements and manual_matches: the same commit/rollback/retry as here."""
    return _committed(fn)


def approve_in_transaction(match: Match, actor: User, note: str, *, send: bool, **details: Any):  # type: ignore[no-untyped-def]
    """The approve (and optional send) steps inside the caller's transaction (manual matches)."""
    _check("approve", match, actor)
    _still_open(match)
    _move("approve", match, actor, **details)
    match.coach_note = note
    match.decided_by_id, match.decided_at = actor.id, utcnow()
    if send:
        _propose(match, actor)
    return match
