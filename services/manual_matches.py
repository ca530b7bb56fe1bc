"""Manual matches: a coach proposes an offer the engine did not suggest.

The pair is checked against the engine's hard constraints first (`OfferIndex.score_pairs`). With a
conflict the coach may still go ahead, but only deliberately: `override=True` and a note saying
why. A human decides (the engine only advises), and the audit log keeps the conflicts, the
override and the reason. Without both, the proposal is refused with the conflicts listed. The
match then enters the ordinary state machine (`services.workflow`) as approved and sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, selectinload

from matcher.types import Exclusion
from models import Employer, Match, Offer, Participant, Session, User, Workplace
from services import audit, candidate_cap, sharing, suggestions
from services.workflow import (
    STATUS_LABELS,
    NotAllowed,
    WorkflowError,
    approve_in_transaction,
    committed,
)


@dataclass(frozen=True)
class PairCheck:
    feasible: bool
    codes: tuple[str, ...]
    score: float | None
    distance_km: float | None
    suggestion: Any = None


class Conflict(WorkflowError):
    """The pair breaks the participant's hard constraints and the coach did not override with a
    note; `codes` are the conflicts (rendered with `matcher.reasons.exclusion_text`)."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        # The codes are not in the message: a reader sees them in words, from `codes`.
        super().__init__(
            _l(
                "Platsen bryter mot deltagarens villkor. Kryssa i att du ändå vill föreslå den "
                "och skriv varför."
            )
        )
        self.codes = codes


def offers_for_manual(participant: Participant) -> list[Offer]:
    """The published offers with a free place that the participant's unit may use
    (`services.sharing`), the participant's own municipality first."""
    return list(
        Session.scalars(
            sharing.offers_usable_by(participant.unit_id)
            .join(Workplace, Workplace.id == Offer.workplace_id)
            .where(Offer.status == "published", Offer.filled < Offer.capacity)
            .options(contains_eager(Offer.workplace), selectinload(Offer.employer))
            .order_by(Workplace.municipality != participant.municipality, Workplace.municipality)
            .order_by(Offer.title)
        )
    )


@dataclass(frozen=True)
class Candidate:
    """One offer of the picker, as plain values (the picker shows no more)."""

    offer_id: int
    title: str
    employer: str
    municipality: str
    feasible: bool
    score: float | None
    distance_km: float | None


OPEN_MATCH = frozenset({"approved", "proposed", "interested", "accepted", "placement_planned",
                        "ongoing"})  # fmt: skip


def manual_candidates(
    participant: Participant, q: str = "", limit: int | None = 60, *, only: int | None = None
) -> list[Candidate]:
    """The offers a coach may propose by hand, best first: those that fit the participant's
    constraints by score, then the rest by distance. Offers already proposed to (or held by) the
    participant are left out, and `q` searches title, employer, occupation and municipality;
    `only`: just that offer (checking a posted choice).

    Only offers the participant's unit may use (`services.sharing`) are listed. The database
    filters and searches and returns ids and titles only; the engine scores those ids in one
    vectorised pass (`pair_scores`, no reasons built); no Offer rows are loaded at all. A large
    unit's picker over 2,000 offers costs one query and one engine pass (benchmarks/LOAD.md). Which conflicts
    an offer has is not returned: they are read from health fields, so they are shown (and
    logged) only when the coach picks that offer.
    """
    from services.offer_index import engine_participant, lock, offer_index

    taken = select(Match.offer_id).where(
        Match.participant_id == participant.id, Match.status.in_(OPEN_MATCH)
    )
    stmt = (
        select(Offer.id, Offer.title, Employer.name, Workplace.municipality)
        .join(Workplace, Workplace.id == Offer.workplace_id)
        .join(Employer, Employer.id == Offer.employer_id)
        .where(
            Offer.status == "published",
            Offer.filled < Offer.capacity,
            Offer.id.not_in(taken),
            sharing.usable_by(participant.unit_id),  # only offers the unit may use
        )
    )
    if only is not None:
        stmt = stmt.where(Offer.id == only)
    for word in q.strip().split()[:4]:
        stmt = stmt.where(
            or_(
                Offer.title.icontains(word, autoescape=True),
                Employer.name.icontains(word, autoescape=True),
                Offer.occupation.icontains(word, autoescape=True),
                Workplace.municipality.icontains(word, autoescape=True),
            )
        )
    found = Session.execute(stmt).all()
    verdicts: dict[int, tuple[float | None, float | None]] = {}
    ep = engine_participant(participant)
    if ep is not None and found:
        index = offer_index()
        with lock:
            pairs = index.pair_scores(ep, [str(row[0]) for row in found])
        verdicts = {row[0]: pair for row, pair in zip(found, pairs, strict=True)}
    far = float("inf")

    def best_first(row: Any) -> tuple[bool, float, str, int]:
        score, km = verdicts.get(row[0], (None, None))
        if score is not None:
            return (False, -score, row[1], row[0])
        return (True, km if km is not None else far, row[1], row[0])

    chosen = sorted(found, key=best_first)
    if limit is not None:
        chosen = chosen[:limit]
    rows = []
    for oid, title, employer, municipality in chosen:
        score, km = verdicts.get(oid, (None, None))
        rows.append(Candidate(oid, title, employer, municipality, score is not None, score, km))
    return rows


def check_manual(participant: Participant, offer: Offer) -> PairCheck:
    """The engine's hard constraints for a pair the engine did not suggest."""
    verdict = suggestions.check_pair(participant, offer)
    if verdict is None:
        return PairCheck(False, ("location",), None, None)
    if isinstance(verdict, Exclusion):
        return PairCheck(False, verdict.codes, None, verdict.distance_km)
    codes: tuple[str, ...] = () if offer.status == "published" else ("not_published",)
    if offer.max_open_candidates is not None and (
        candidate_cap.open_candidates(offer.id) >= offer.max_open_candidates
    ):
        codes += ("candidate_cap",)  # no override: the workflow refuses it whatever the note
    return PairCheck(not codes, codes, verdict.score, verdict.distance_km, verdict)


def manual_match(
    participant: Participant,
    offer: Offer,
    actor: User,
    note: str = "",
    *,
    override: bool = False,
    send: bool = True,
) -> Match:
    """A coach proposes an offer the engine did not suggest.

    The pair is checked against the hard constraints first. With a conflict the coach may still
    go ahead, but only deliberately: `override=True` and a note saying why (a human decides,
    and the audit log keeps the conflicts and the reason). Without both, it is refused with the
    conflicts listed.
    """
    if actor.role != "coach" or actor.unit_id != participant.unit_id:
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    if offer.status != "published":
        raise WorkflowError(_l("Platsen är inte publicerad."))
    if not sharing.may_use(participant.unit_id, offer.id):
        raise NotAllowed(_l("Platsen delas inte med din enhet."))
    check = check_manual(participant, offer)  # once per request: the engine's work is not cheap
    note = (note or "").strip()
    if not check.feasible and not (override and note):
        raise Conflict(check.codes)

    def run() -> Match:
        match = Session.scalar(
            select(Match).where(Match.participant_id == participant.id, Match.offer_id == offer.id)
        )
        if match is None:
            match = Match(participant_id=participant.id, offer_id=offer.id, status="suggested")
            Session.add(match)
        elif match.status == "rejected":
            match.status = "suggested"  # the coach changes their mind; audited below
        elif match.status != "suggested":
            raise WorkflowError(
                _l("Det finns redan ett förslag med status ”%(status)s”."),
                status=STATUS_LABELS.get(match.status, match.status),
            )
        match.source = "manual"
        s = check.suggestion
        if s is not None:
            match.score, match.components = float(s.score), dict(s.components)
            match.reasons = suggestions.reasons_to_json(s.reasons)
            match.gaps = suggestions.reasons_to_json(s.gaps)
            match.engine_version = suggestions.ENGINE_VERSION
        match.distance_km = check.distance_km
        match.rank = None
        Session.flush()
        audit.record(
            "match.manual",
            actor=actor,
            subject=match,
            details={"offer_id": offer.id, "conflicts": list(check.codes), "override": override},
        )
        return approve_in_transaction(match, actor, note, send=send, manual=True)

    return committed(run)
