"""Planning rounds: capacity-aware allocation in the product (`matcher.allocate` underneath).

A coach starts a round for their caseload or the whole unit, a unit's manager (an admin with a
unit) for the unit, a region's coordinator (`User.coordinates_region_id`) for the region: the
unplaced participants x the open slots of the offers the unit may use (for a region: the
participants of the region's units x the offers shared with the whole region), in mode `stable`
or `optimal`. Each participant's candidates
are their best feasible offers, and each offer is a candidate for at most `exposure_multiple` x its
open slots participants (`matcher.congestion.capped_top_k`, as for caseload suggestions), so one
attractive place does not absorb everyone's attention. A background job computes the proposal;
the coach changes any line, then approves all or some. Each approval is an ordinary approve-and-
send through `services.workflow` (or, for an offer the engine did not suggest, a manual match
through `services.manual_matches`), so nothing reaches a participant or employer unapproved
and every step is audited.

A manager or coordinator does not approve in a coach's place: the coach, who knows the
participant, decides every match (domain: "the engine suggests, the coach decides"; secrecy keeps
a participant's background with their unit). Their approval *refers* each line to the
participant's coach instead (`refer_lines`): the pair becomes a suggestion the coach is notified
of and decides on through the same workflow; nothing reaches a participant or employer before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, exists, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from matcher.allocate import allocate
from matcher.congestion import DEFAULT_EXPOSURE_MULTIPLE, capped_top_k
from matcher.index import OfferIndex
from matcher.types import Suggestion
from models import (
    Employer,
    Match,
    Offer,
    Participant,
    PlanningLine,
    PlanningRound,
    Session,
    Unit,
    User,
    utcnow,
)
from models.participant import GENDERS
from models.planning import ROUND_MODES, ROUND_SCOPES
from services import (
    audit,
    candidate_cap,
    manual_matches,
    notifications,
    ranking_adjust,
    sharing,
    workflow,
)
from services.offer_index import engine_offer, engine_participant
from services.queue import enqueue, progress
from services.suggestions import reasons_to_json
from services.workflow import ACTIVE, NotAllowed, WorkflowError

POOL = 20  # candidates per participant before the exposure cap
EXPOSURE_RANGE = (1.0, 20.0)


class PlanningError(WorkflowError):
    """A refused planning request; shown to the coach as a message, answered with 400/409."""


# --- what a round works on ---------------------------------------------------------------------


def round_offers(unit_id: int) -> Select[Any]:
    """The offers a unit's round may fill: published, with a free slot, and usable by the unit
    under the sharing rule (`services.sharing.usable_by`: its own employers' offers, those
    shared with it by name, and its region's). Rounds, their line changes and their approvals
    all go through here."""
    return (
        select(Offer)
        .where(
            Offer.status == "published",
            Offer.filled < Offer.capacity,
            sharing.usable_by(unit_id),
            candidate_cap.below_cap(),  # the employer's cap on open candidates
        )
        .options(selectinload(Offer.workplace), selectinload(Offer.employer))
        .order_by(Offer.id)
    )


def region_offers(region_id: int | None) -> Select[Any]:
    """The offers a region round may fill: published, with a free slot, shared with the whole
    region by an employer whose home unit is in it (not offers a unit keeps to itself or to
    named partners)."""
    home_in_region = select(Employer.id).join(Unit, Unit.id == Employer.home_unit_id)
    return (
        select(Offer)
        .where(
            Offer.status == "published",
            Offer.filled < Offer.capacity,
            Offer.sharing == "region",
            Offer.employer_id.in_(home_in_region.where(Unit.region_id == region_id)),
        )
        .options(selectinload(Offer.workplace), selectinload(Offer.employer))
        .order_by(Offer.id)
    )


def offers_for(rnd: PlanningRound) -> Select[Any]:
    """The offers this round may use: the region's shared ones, or those its unit may use."""
    if rnd.scope == "region":
        return region_offers(rnd.region_id)
    return round_offers(rnd.unit_id)


def round_participants(rnd: PlanningRound) -> Select[Any]:
    """Active participants of the round's scope with no match under way (approved and on)."""
    busy = exists().where(Match.participant_id == Participant.id, Match.status.in_(ACTIVE))
    if rnd.scope == "region":
        units = select(Unit.id).where(Unit.region_id == rnd.region_id)
        where = Participant.unit_id.in_(units)
    else:
        where = Participant.unit_id == rnd.unit_id
    query = select(Participant).where(where, Participant.exited_on.is_(None), ~busy)
    if rnd.scope == "caseload":
        query = query.where(Participant.coach_id == rnd.created_by_id)
    return query.order_by(Participant.id)


def is_manager(actor: User) -> bool:
    return actor.role == "admin" and actor.unit_id is not None


def leads(actor: User, rnd: PlanningRound) -> bool:
    """May this manager or coordinator work on the round (change lines, refer them)? The
    unit's manager its unit rounds; the region's coordinator its region rounds."""
    if not is_manager(actor):
        return False
    if rnd.scope == "region":
        return actor.coordinates_region_id is not None and actor.coordinates_region_id == (
            rnd.region_id
        )
    return rnd.scope == "unit" and actor.unit_id == rnd.unit_id


# --- starting and computing a round ------------------------------------------------------------


def start_round(
    actor: User,
    *,
    scope: str = "caseload",
    mode: str = "stable",
    exposure_multiple: float = DEFAULT_EXPOSURE_MULTIPLE,
) -> PlanningRound:
    """Record a round and compute it in the background (sent after this commit). A coach's
    round covers their caseload or unit; a manager's their unit; a coordinator's their region."""
    if actor.unit_id is None or actor.role not in ("coach", "admin"):
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    if scope not in ROUND_SCOPES or mode not in ROUND_MODES:
        raise PlanningError(_l("Välj omfattning och metod bland alternativen."))
    allowed = {"caseload", "unit"} if actor.role == "coach" else {"unit"}
    if actor.role == "admin" and actor.coordinates_region_id is not None:
        allowed.add("region")
    if scope not in allowed:
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    lo, hi = EXPOSURE_RANGE
    if not lo <= float(exposure_multiple) <= hi:
        raise PlanningError(_l("Taket ska vara mellan %(lo)s och %(hi)s."), lo=int(lo), hi=int(hi))
    db = Session()
    rnd = PlanningRound(
        unit_id=actor.unit_id,
        region_id=actor.coordinates_region_id if scope == "region" else None,
        created_by_id=actor.id,
        scope=scope,
        mode=mode,
        exposure_multiple=float(exposure_multiple),
    )
    db.add(rnd)
    db.flush()
    rnd.job_id = enqueue(
        compute_round_job,
        rnd.id,
        title="Planeringsomgång",
        subject=("planning_round", rnd.id),
        requested_by_id=actor.id,
    )
    audit.record(
        "planning.started",
        actor=actor,
        subject=rnd,
        details={
            "scope": scope,
            "mode": mode,
            "exposure_multiple": rnd.exposure_multiple,
            "region_id": rnd.region_id,
        },
    )
    db.commit()
    return rnd


@dataclass
class _Pools:
    """Stands in for the offer index inside `allocate`: hands it the capped candidate pools."""

    pools: list[list[Suggestion]]

    def rank_many(self, participants: Sequence[Any], top: int, **_kw: Any) -> Iterator[list]:
        return iter(self.pools)


@dataclass
class Proposal:
    """What the allocation proposes, per participant id: (offer id, suggestion) or a reason."""

    assigned: dict[int, tuple[int, Suggestion | None, float | None]] = field(default_factory=dict)
    none_reason: dict[int, str] = field(default_factory=dict)
    open_slots: int = 0


def propose_allocation(
    people: Sequence[Participant],
    offers: Sequence[Offer],
    *,
    mode: str,
    exposure_multiple: float,
    on_progress: Any = None,
) -> Proposal:
    """The pure part of a round: rows in, proposal out (no writes)."""
    from services.vocabulary import active

    result = Proposal()
    eps, placed = [], []
    for p in people:
        ep = engine_participant(p)
        if ep is None:
            result.none_reason[p.id] = "no_location"
        else:
            eps.append(ep)
            placed.append(p)
    eos = [eo for eo in (engine_offer(o) for o in offers) if eo is not None and eo.capacity > 0]
    result.open_slots = sum(eo.capacity for eo in eos)
    if not eps or not eos:
        result.none_reason.update(dict.fromkeys((p.id for p in placed), "no_feasible"))
        return result
    index = OfferIndex(eos, active())
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if on_progress:
            on_progress(0.8 * done[0] / len(eps), "ranking")

    pools = list(index.rank_many(eps, POOL, on_progress=tick))
    # The same adjustment as every other ranking path (confirmed skills, employer backlog).
    adjusted = ranking_adjust.adjust_many(
        {int(ep.id): pool for ep, pool in zip(eps, pools, strict=True)}
    )
    pools = [adjusted[int(ep.id)] for ep in eps]
    position = {eo.id: n for n, eo in enumerate(eos)}
    candidates = [[position[s.offer_id] for s in pool] for pool in pools]
    picks = capped_top_k(
        candidates, [eo.capacity for eo in eos], POOL, exposure_multiple=exposure_multiple
    )
    capped = [[pool[i] for i in sorted(chosen)] for pool, chosen in zip(pools, picks, strict=True)]
    allocation = allocate(eps, eos, mode=mode, index=_Pools(capped), top=POOL)
    for a in allocation.assignments:
        result.assigned[int(a.participant_id)] = (int(a.offer_id), a.suggestion, a.score)
    by_id = {ep.id: n for n, ep in enumerate(eps)}
    for pid in allocation.unassigned:
        result.none_reason[int(pid)] = "taken" if pools[by_id[pid]] else "no_feasible"
    return result


def compute_round(round_id: int, on_progress: Any = None) -> dict[str, Any]:
    """Compute a round's lines. Idempotent: a run cut short (worker died) is redone from
    scratch; a round already computed is left alone."""
    db = Session()
    rnd = db.get(PlanningRound, round_id)
    if rnd is None:
        return {"status": "missing"}
    if rnd.status == "ready":
        return {"status": "kept"}  # delivered twice: never replace lines a coach may have edited
    rnd.status, rnd.message = "running", ""
    db.commit()
    people = db.scalars(round_participants(rnd)).all()
    offers = db.scalars(offers_for(rnd)).all()
    proposal = propose_allocation(
        people,
        offers,
        mode=rnd.mode,
        exposure_multiple=rnd.exposure_multiple,
        on_progress=on_progress,
    )
    db.execute(delete(PlanningLine).where(PlanningLine.round_id == rnd.id))
    for p in people:
        got = proposal.assigned.get(p.id)
        line = PlanningLine(round_id=rnd.id, participant_id=p.id)
        if got is None:
            line.none_reason = proposal.none_reason.get(p.id, "no_feasible")
        else:
            offer_id, suggestion, score = got
            line.offer_id = line.engine_offer_id = offer_id
            line.score = None if score is None else round(float(score), 6)
            line.reasons = reasons_to_json(suggestion.reasons) if suggestion else []
        db.add(line)
    rnd.participants, rnd.open_slots = len(people), proposal.open_slots
    rnd.status, rnd.finished_at = "ready", utcnow()
    db.commit()
    return {"round_id": rnd.id, "participants": len(people), "assigned": len(proposal.assigned)}


def compute_round_job(round_id: int) -> dict[str, Any]:
    try:
        return compute_round(round_id, on_progress=progress)
    except Exception as exc:
        db = Session()
        db.rollback()
        rnd = db.get(PlanningRound, round_id)
        if rnd is not None:
            rnd.status, rnd.message = "failed", f"{type(exc).__name__}"
            db.commit()
        raise


# --- reviewing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    participants: int
    assigned: int
    open_slots: int
    mean_score: float | None
    by_gender: dict[str, tuple[int, int]]  # gender -> (participants, assigned)


def totals(rnd: PlanningRound, lines: Sequence[PlanningLine]) -> Totals:
    with_offer = [line for line in lines if line.offer_id is not None]
    scores = [line.score for line in with_offer if line.score is not None]
    everyone = Counter(line.participant.gender for line in lines)
    assigned = Counter(line.participant.gender for line in with_offer)
    return Totals(
        participants=len(lines),
        assigned=len(with_offer),
        open_slots=rnd.open_slots,
        mean_score=sum(scores) / len(scores) if scores else None,
        by_gender={g: (everyone[g], assigned[g]) for g in GENDERS if everyone[g]},
    )


def round_lines(rnd: PlanningRound) -> list[PlanningLine]:
    """The lines with their participant and offer loaded in three queries, not one per line."""
    return list(
        Session.scalars(
            select(PlanningLine)
            .where(PlanningLine.round_id == rnd.id)
            .options(
                selectinload(PlanningLine.participant),
                selectinload(PlanningLine.offer).selectinload(Offer.employer),
                selectinload(PlanningLine.offer).selectinload(Offer.workplace),
                selectinload(PlanningLine.match),
            )
            .order_by(PlanningLine.id)
        )
    )


def line_of(rnd: PlanningRound, line_id: int) -> PlanningLine:
    line = Session.get(PlanningLine, line_id)
    if line is None or line.round_id != rnd.id:
        raise LookupError(f"planning line {line_id}")
    return line


def _stale() -> PlanningError:
    return PlanningError(
        _l("Raden har just ändrats av någon annan. Ladda om sidan och försök igen.")
    )


def change_line(
    rnd: PlanningRound, line_id: int, offer_id: int | None, actor: User, version: int
) -> PlanningLine:
    """Put another offer (or none) on a line. The offer must be one the round may use, feasible
    for the participant, and still have a slot this round has not already given away."""
    db = Session()
    line = line_of(rnd, line_id)
    if line.version != version:
        raise _stale()
    if line.status != "proposed":
        raise PlanningError(_l("Raden är redan godkänd."))
    before = line.offer_id
    if offer_id is None:
        line.offer_id, line.score, line.reasons = None, None, []
    else:
        offer = db.scalar(offers_for(rnd).where(Offer.id == offer_id))
        if offer is None:
            raise PlanningError(_l("Platsen finns inte eller har inga lediga platser."))
        check = manual_matches.check_manual(line.participant, offer)
        if not check.feasible:
            raise manual_matches.Conflict(check.codes)
        given = db.scalar(
            select(PlanningLine.id)
            .where(
                PlanningLine.round_id == rnd.id,
                PlanningLine.offer_id == offer_id,
                PlanningLine.id != line.id,
            )
            .limit(offer.open_slots)
            .offset(offer.open_slots - 1)
        )
        if given is not None:
            raise PlanningError(
                _l("Alla lediga platser på den platsen är redan fördelade i omgången.")
            )
        s = check.suggestion
        line.offer_id = offer.id
        line.score = None if s is None else round(float(s.score), 6)
        line.reasons = reasons_to_json(s.reasons) if s is not None else []
    line.none_reason = "" if line.offer_id else "changed"
    line.changed_by_id, line.message = actor.id, ""
    audit.record(
        "planning.line_changed",
        actor=actor,
        subject=rnd,
        details={"line_id": line.id, "from": before, "to": line.offer_id},
    )
    try:
        db.commit()
    except StaleDataError:
        db.rollback()
        raise _stale() from None
    return line


def approve_lines(
    rnd: PlanningRound, line_ids: Sequence[int] | None, actor: User
) -> tuple[int, list[tuple[PlanningLine, str]]]:
    """Approve and send the chosen lines (all with an offer when `line_ids` is None), each in
    its own transaction through the workflow; return how many went and the refusals."""
    if (
        actor.role != "coach"
        or actor.unit_id != rnd.unit_id
        or rnd.scope == "region"
        or rnd.status != "ready"
    ):
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))

    def approve(line: PlanningLine) -> None:
        match = _approve_one(line, actor)
        line.status, line.match_id, line.message = "approved", match.id, ""
        audit.record(
            "planning.line_approved",
            actor=actor,
            subject=rnd,
            details={"line_id": line.id, "match_id": match.id, "offer_id": line.offer_id},
        )

    return _each_chosen_line(rnd, line_ids, approve)


def _each_chosen_line(
    rnd: PlanningRound, line_ids: Sequence[int] | None, act: Callable[[PlanningLine], None]
) -> tuple[int, list[tuple[PlanningLine, str]]]:
    """`act` on each chosen line (all proposed lines with an offer when `line_ids` is None), each
    in its own transaction; a WorkflowError refuses that line with its message on it. Returns
    how many went and the refusals."""
    wanted = None if line_ids is None else set(line_ids)
    sent, refused = 0, []
    for line in round_lines(rnd):
        if line.status != "proposed" or line.offer_id is None:
            continue
        if wanted is not None and line.id not in wanted:
            continue
        try:
            act(line)
        except WorkflowError as exc:
            Session.rollback()
            refused.append((line, str(exc)))
            _note(line, str(exc))
            continue
        Session.commit()
        sent += 1
    return sent, refused


def refer_lines(
    rnd: PlanningRound, line_ids: Sequence[int] | None, actor: User
) -> tuple[int, list[tuple[PlanningLine, str]]]:
    """A manager's or coordinator's approval: pass the chosen lines (all with an offer when
    `line_ids` is None) to the participants' coaches, each in its own transaction. A line's
    pair becomes a suggestion marked as from the round (or the engine's suggestion of it is
    kept), its coach (without one: every coach of the unit) is notified, and the coach decides
    through the workflow. A pair already decided on, a participant with something under way,
    or an offer no longer open is refused with a message on the line."""
    if not leads(actor, rnd) or rnd.status != "ready":
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))

    def refer(line: PlanningLine) -> None:
        match = _refer_one(rnd, line)
        line.status, line.match_id, line.message = "referred", match.id, ""
        audit.record(
            "planning.line_referred",
            actor=actor,
            subject=rnd,
            details={"line_id": line.id, "match_id": match.id, "offer_id": line.offer_id},
        )
        _tell_coaches(line, match, actor)

    return _each_chosen_line(rnd, line_ids, refer)


def _refer_one(rnd: PlanningRound, line: PlanningLine) -> Match:
    db = Session()
    participant, offer = line.participant, line.offer
    if participant.exited_on is not None:
        raise WorkflowError(_l("Deltagaren har avslutats i programmet."))
    if db.scalar(offers_for(rnd).where(Offer.id == offer.id)) is None:
        raise WorkflowError(_l("Det finns ingen ledig plats kvar."))
    busy = db.scalar(
        select(Match.id).where(Match.participant_id == participant.id, Match.status.in_(ACTIVE))
    )
    if busy is not None:
        raise WorkflowError(_l("Deltagaren har redan en plats på gång."))
    match = db.scalar(
        select(Match).where(Match.participant_id == participant.id, Match.offer_id == offer.id)
    )
    if match is not None and match.status != "suggested":
        raise WorkflowError(
            _l("Coachen har redan tagit ställning till platsen: ”%(status)s”."),
            status=workflow.STATUS_LABELS.get(match.status, match.status),
        )
    if match is None:
        check = manual_matches.check_manual(participant, offer)
        if not check.feasible:
            raise manual_matches.Conflict(check.codes)
        match = Match(
            participant_id=participant.id,
            offer_id=offer.id,
            status="suggested",
            source="planning",
            score=line.score if line.score is not None else float(check.score or 0.0),
            reasons=list(line.reasons or []),
            distance_km=check.distance_km,
        )
        db.add(match)
        db.flush()
    return match


def _tell_coaches(line: PlanningLine, match: Match, actor: User) -> None:
    participant = line.participant
    coaches = [participant.coach] if participant.coach is not None else []
    if not coaches or not coaches[0].active:
        coaches = list(
            Session.scalars(
                select(User).where(
                    User.role == "coach",
                    User.unit_id == participant.unit_id,
                    User.active.is_(True),
                )
            )
        )
    params = {
        "match_id": match.id,
        "offer": line.offer.title,
        "employer": line.offer.employer.name,
        "participant_id": participant.id,
        "participant": participant.display_name,
        "by": actor.name,
    }
    link = f"/coach/participants/{participant.id}/suggestions"
    for coach in coaches:
        notifications.notify(coach.id, "planning.referred", params, link=link)


def referred_match_ids(match_ids: Sequence[int]) -> set[int]:
    """Of these matches, those a manager or coordinator referred from a planning round."""
    if not match_ids:
        return set()
    return set(
        Session.scalars(
            select(PlanningLine.match_id).where(
                PlanningLine.status == "referred", PlanningLine.match_id.in_(list(match_ids))
            )
        )
    )


def _note(line: PlanningLine, message: str) -> None:
    line.message = message[:500]
    Session.commit()


def _approve_one(line: PlanningLine, actor: User) -> Match:
    match = Session.scalar(
        select(Match).where(
            Match.participant_id == line.participant_id, Match.offer_id == line.offer_id
        )
    )
    if match is not None and match.status == "suggested":
        return workflow.approve(match, actor, send=True)
    note = str(_l("Från planeringsomgång %(id)s", id=line.round_id))
    return manual_matches.manual_match(line.participant, line.offer, actor, note, send=True)


def line_options(rnd: PlanningRound, line: PlanningLine, top: int = 30) -> list[Offer]:
    """The offers a coach may put on a line: the participant's best feasible ones among those
    the round may use, the line's current offer first."""
    from services.offer_index import lock, offer_index

    ep = engine_participant(line.participant)
    ranked: list[int] = []
    if ep is not None:
        index = offer_index()
        with lock:
            ranked = [int(s.offer_id) for s in index.rank(ep, top=top)]
    if line.offer_id is not None and line.offer_id not in ranked:
        ranked.insert(0, line.offer_id)
    usable = {o.id: o for o in Session.scalars(offers_for(rnd).where(Offer.id.in_(ranked)))}
    return [usable[oid] for oid in ranked if oid in usable]
