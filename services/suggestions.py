"""The engine's suggestions, stored as `Match` rows a coach reviews, and their refresh jobs.

Only rows in status `suggested` are ever written or dropped here: every other status is a human
decision (`services.workflow`) and is left alone. An offer the coach rejected is not suggested
again unless the coach asks (`reconsider_rejected=True`). A caseload refresh caps how many
participants each offer is shown to (`matcher.congestion`). The rows-to-engine conversion and
the offer index are in `services.offer_index` (re-exported here).

A unit's participants are ranked only against the offers the unit may use (`services.sharing`).
A placed participant (a match accepted by the employer, a placement planned or under way) rests:
no new suggestions, and their open ones are dropped, until the placement ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as OrmSession

from matcher import ENGINE_VERSION
from matcher.congestion import DEFAULT_EXPOSURE_MULTIPLE, capped_top_k
from matcher.reasons import Reason
from matcher.types import Suggestion
from models import Match, Offer, Participant, PlanningLine, Session, User, utcnow
from models.match import PLACED_STATUSES
from services import audit, candidate_cap, ranking_adjust, sharing
from services.offer_index import (  # noqa: F401  (re-exported for callers of this module)
    check_pair,
    engine_offer,
    engine_participant,
    exclusions,
    forget_indexes,
    lock,
    offer_index,
)
from services.queue import enqueue, progress, task_name
from services.retry import on_sqlite_lock

DEFAULT_TOP = 20

# --- storing suggestions -----------------------------------------------------------------------


def reasons_to_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in reasons]


def reasons_from_json(items: Iterable[dict[str, Any]] | None) -> list[Reason]:
    """Stored reasons back as `Reason`s; an unknown code (an older engine) is skipped."""
    found = []
    for item in items or ():
        try:
            found.append(Reason.from_dict(item))
        except (KeyError, ValueError, TypeError):
            continue
    return found


def _apply(match: Match, s: Suggestion, now: datetime) -> None:
    match.score = round(float(s.score), 6)
    match.rank = s.rank
    match.components = {k: round(float(v), 6) for k, v in s.components.items()}
    match.reasons = reasons_to_json(s.reasons)
    match.gaps = reasons_to_json(s.gaps)
    match.distance_km = None if s.distance_km is None else round(float(s.distance_km), 3)
    match.engine_version = ENGINE_VERSION
    match.computed_at = now


@dataclass(frozen=True)
class RefreshResult:
    participant_id: int
    suggested: int
    dropped: int
    reconsidered: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "participant_id": self.participant_id,
            "suggested": self.suggested,
            "dropped": self.dropped,
            "reconsidered": self.reconsidered,
        }


def _store(
    db: OrmSession,
    participant: Participant,
    suggestions: list[Suggestion],
    existing: dict[int, Match],
    now: datetime,
    *,
    reconsider_rejected: bool = False,
    actor: User | None = None,
) -> RefreshResult:
    """Write one participant's suggestions; drop the `suggested` rows no longer among them."""
    keep: set[int] = set()
    reconsidered = 0
    for s in suggestions:
        oid = int(s.offer_id)
        match = existing.get(oid)
        if match is None:
            match = Match(participant_id=participant.id, offer_id=oid, status="suggested")
            db.add(match)
        elif match.status == "rejected" and reconsider_rejected:
            audit.record(
                "match.reconsidered",
                actor=actor,
                subject=match,
                details={"from": "rejected", "to": "suggested", "offer_id": oid},
                session=db,
            )
            match.status = "suggested"
            reconsidered += 1
        elif match.status != "suggested":
            continue
        match.source = "engine"
        _apply(match, s, now)
        keep.add(oid)
    stale = [m.id for oid, m in existing.items() if m.status == "suggested" and oid not in keep]
    if stale:
        # A suggestion a planning round's line points at stays: a manager referred it to the
        # coach, or a coach's approval of it was undone (and the line's key must hold).
        on_a_line = select(PlanningLine.match_id).where(PlanningLine.match_id.in_(stale))
        db.execute(
            delete(Match).where(
                Match.id.in_(stale), Match.status == "suggested", Match.id.not_in(on_a_line)
            )
        )
    return RefreshResult(participant.id, len(keep), len(stale), reconsidered)


def _existing(db: OrmSession, participant_ids: list[int]) -> dict[int, dict[int, Match]]:
    found: dict[int, dict[int, Match]] = {pid: {} for pid in participant_ids}
    for m in db.scalars(select(Match).where(Match.participant_id.in_(participant_ids))):
        found[m.participant_id][m.offer_id] = m
    return found


def _excluded(existing: dict[int, Match], reconsider_rejected: bool) -> set[str]:
    """Offers with a human decision on them are never suggested again by the engine."""
    return {
        str(oid)
        for oid, m in existing.items()
        if m.status != "suggested" and not (reconsider_rejected and m.status == "rejected")
    }


def closed_to_new(unit_id: int | None, db: OrmSession) -> set[str]:
    """Open offers that get no new suggestions for this unit's participants: those the unit may
    not use (`sharing`) and those at the employer's cap on open candidates (`candidate_cap`)."""
    return sharing.unusable_open_offer_ids(unit_id, db) | candidate_cap.capped_offer_ids(db)


def placed_participant_ids(
    participant_ids: Iterable[int] | None = None, db: OrmSession | None = None
) -> set[int]:
    """Of these participants (None: all), those with an accepted, planned or ongoing placement."""
    db = db or Session()
    query = select(Match.participant_id).where(Match.status.in_(PLACED_STATUSES))
    if participant_ids is not None:
        ids = list(participant_ids)
        if not ids:
            return set()
        query = query.where(Match.participant_id.in_(ids))
    return set(db.scalars(query.distinct()))


def _setting(name: str, default: Any) -> Any:
    try:
        from flask import current_app

        return current_app.config.get(name, default)
    except RuntimeError:  # outside an app context (CLI scripts, plain tests)
        return default


def refresh_participant(
    participant_id: int,
    *,
    top: int | None = None,
    reconsider_rejected: bool = False,
    actor: User | None = None,
) -> RefreshResult | None:
    """Rank one participant and store the top suggestions; None when the participant is gone.

    A participant who has left the programme, or who is placed, keeps no open suggestions.
    """
    db = Session()
    participant = db.get(Participant, participant_id)
    if participant is None:
        return None
    top = top or int(_setting("SUGGESTIONS_PER_PARTICIPANT", DEFAULT_TOP))
    existing = _existing(db, [participant.id])[participant.id]
    resting = participant.exited_on is not None or bool(
        placed_participant_ids([participant.id], db)
    )
    ep = None if resting else engine_participant(participant)
    suggestions: list[Suggestion] = []
    if ep is not None:
        index = offer_index(db)
        excluded = _excluded(existing, reconsider_rejected) | closed_to_new(participant.unit_id, db)
        # Ranking is pure computation: end the reading transaction first, so that on SQLite
        # (whose transactions take the write lock at BEGIN) nobody waits for it, and read the
        # stored matches again in the writing one below.
        db.commit()
        with lock:
            suggestions = index.rank(ep, top=top, exclude_offer_ids=excluded)
        suggestions = ranking_adjust.adjust(participant, suggestions)  # confirmed skills, backlog
        existing = _existing(db, [participant.id])[participant.id]
    result = _store(
        db,
        participant,
        suggestions,
        existing,
        utcnow(),
        reconsider_rejected=reconsider_rejected,
        actor=actor,
    )
    db.commit()
    return result


def refresh_unit(
    unit_id: int,
    *,
    top: int | None = None,
    exposure_multiple: float | None = None,
    on_progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    """Suggestions for a whole caseload at once, with each offer's exposure capped.

    Each participant's pool is its best feasible offers (twice `top`, scored in batches by
    `feasible_scores`, without reasons); `capped_top_k` then shows an offer to at most
    `exposure_multiple` x its open slots participants, so one attractive place is not shown to
    everyone while others are never shown (docs/engine-notes.md). Reasons are built only for the
    offers actually shown (`score_pairs`), which is most of the saving over ranking each
    participant with reasons for the whole pool.
    """
    db = Session()
    top = top or int(_setting("SUGGESTIONS_PER_PARTICIPANT", DEFAULT_TOP))
    multiple = float(exposure_multiple or _setting("EXPOSURE_MULTIPLE", DEFAULT_EXPOSURE_MULTIPLE))
    report = on_progress or (lambda _f, _m: None)
    people = db.scalars(
        select(Participant)
        .where(Participant.unit_id == unit_id, Participant.exited_on.is_(None))
        .order_by(Participant.id)
    ).all()
    existing = _existing(db, [p.id for p in people])
    resting = placed_participant_ids([p.id for p in people], db)
    engine_people = [(p, engine_participant(p)) for p in people if p.id not in resting]
    placed = [(p, ep) for p, ep in engine_people if ep is not None]
    unusable = closed_to_new(unit_id, db)
    excluded = {p.id: _excluded(existing[p.id], False) | unusable for p, _ep in placed}
    widest = max((len(x) for x in excluded.values()), default=0)
    index = offer_index(db)
    report(0.0, "ranking")
    done = [0]

    def ranked(n: int) -> None:
        done[0] += n
        report(0.6 * done[0] / max(len(placed), 1), "ranking")

    with lock:
        fs = index.feasible_scores([ep for _p, ep in placed], 2 * top + widest, ranked)
    candidates: list[list[int]] = [[] for _ in placed]
    for b, o in zip(fs.pairs_p.tolist(), fs.pairs_o.tolist(), strict=True):
        if fs.offer_ids[o] not in excluded[placed[b][0].id] and len(candidates[b]) < 2 * top:
            candidates[b].append(o)
    chosen = capped_top_k(candidates, fs.capacities, top, exposure_multiple=multiple)
    now = utcnow()
    total = {"participants": len(people), "suggested": 0, "dropped": 0, "resting": len(resting)}
    shown_for: dict[int, list[Suggestion]] = {}
    for b, ((p, ep), picks) in enumerate(zip(placed, chosen, strict=True)):
        ids = [fs.offer_ids[candidates[b][i]] for i in picks]
        with lock:
            found = index.score_pairs(ep, ids) if ids else []
        shown_for[p.id] = sorted(
            (s for s in found if isinstance(s, Suggestion)), key=lambda s: s.rank
        )
    shown_for = ranking_adjust.adjust_many(shown_for)  # confirmed skills, employer backlog
    for n, p in enumerate(people, start=1):
        result = _store(db, p, shown_for.get(p.id, []), existing[p.id], now)
        total["suggested"] += result.suggested
        total["dropped"] += result.dropped
        if n % 100 == 0:
            db.commit()
            report(0.6 + 0.4 * n / len(people), "saving")
    db.commit()
    report(1.0, "done")
    return total


# --- scheduling (debounced background refreshes) -----------------------------------------------


def schedule_refresh_for_participant(
    participant_id: int, requested_by_id: int | None = None
) -> str:
    """Refresh one participant's suggestions in the background, after the current commit.

    Coalesced: while a refresh for this participant is still waiting, further calls (many quick
    profile edits) reuse it. Returns the job id for `/api/jobs/<id>`.
    """
    return enqueue(
        refresh_participant_job,
        participant_id,
        title="Uppdatera förslag",
        subject=("participant", participant_id),
        coalesce=True,
        requested_by_id=requested_by_id,
    )


def schedule_refresh_for_offer(offer_id: int, requested_by_id: int | None = None) -> str:
    """After an offer changes: refresh those for whom it is feasible or who had it suggested."""
    return enqueue(
        refresh_for_offer_job,
        offer_id,
        title="Uppdatera förslag för en plats",
        subject=("offer", offer_id),
        coalesce=True,
        requested_by_id=requested_by_id,
    )


def schedule_refresh_for_unit(unit_id: int, requested_by_id: int | None = None) -> str:
    return enqueue(
        refresh_unit_job,
        unit_id,
        title="Uppdatera förslag för hela ärendelistan",
        subject=("unit", unit_id),
        coalesce=True,
        requested_by_id=requested_by_id,
    )


# --- the background refreshes (the tasks the schedule_* functions enqueue) ----------------------


def refresh_participant_job(participant_id: int) -> dict[str, Any]:
    result = on_sqlite_lock(lambda: refresh_participant(participant_id))
    return {"status": "missing"} if result is None else result.as_dict()


def refresh_for_offer_job(offer_id: int) -> dict[str, Any]:
    """An offer changed: refresh those for whom it is now feasible or who had it suggested."""
    affected = on_sqlite_lock(lambda: participants_affected_by_offer(offer_id))
    for n, participant_id in enumerate(affected, start=1):
        on_sqlite_lock(lambda pid=participant_id: refresh_participant(pid))
        progress(n / len(affected), f"{n}/{len(affected)}")
    return {"offer_id": offer_id, "participants": len(affected)}


def refresh_unit_job(unit_id: int) -> dict[str, Any]:
    return on_sqlite_lock(lambda: refresh_unit(unit_id, on_progress=progress))


# What a page asks about when it says "suggestions are being refreshed" (`JobRun.name`).
REFRESH_JOBS = frozenset(
    task_name(task) for task in (refresh_participant_job, refresh_for_offer_job, refresh_unit_job)
)


def participants_affected_by_offer(offer_id: int) -> list[int]:
    """Active participants for whom the offer is feasible, plus those who had it suggested;
    only of the units that may use the offer, and none who are placed."""
    db = Session()
    had = set(
        db.scalars(
            select(Match.participant_id).where(
                Match.offer_id == offer_id, Match.status == "suggested"
            )
        )
    )
    offer = db.get(Offer, offer_id)
    feasible: set[int] = set()
    if offer is not None and offer.status == "published" and offer.open_slots > 0:
        eo = engine_offer(offer)
        units = {
            u
            for u in db.scalars(select(Participant.unit_id).distinct())
            if sharing.may_use(u, offer_id, db)
        }
        active = db.scalars(
            select(Participant).where(
                Participant.exited_on.is_(None), Participant.unit_id.in_(units)
            )
        ).all()
        resting = placed_participant_ids(None, db)
        eps = [
            ep
            for ep in (engine_participant(p) for p in active if p.id not in resting)
            if ep is not None
        ]
        if eo is not None and eps:
            index = offer_index(db)
            with lock:
                found = index.rank_participants(eo, eps, top=len(eps))
            feasible = {int(s.participant_id) for s in found}
    return sorted(had | feasible)
