"""The engine's suggestions, stored as `Match` rows a coach reviews.

Rows from the database are turned into `matcher.types` values here and nowhere else. One
`OfferIndex` per process and database holds the published offers with open slots; it is brought
up to date before each use by comparing each offer's change stamp (its `updated_at`, its open
slots and its workplace's place and accessibility) with what the index was built from, so an
edited offer costs one upsert, not a rebuild.

Only rows in status `suggested` are ever written or dropped here: every other status is a human
decision (`services.workflow`) and is left alone. An offer the coach rejected is not suggested
again unless the coach asks (`reconsider_rejected=True`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import joinedload

from jobs.queue import enqueue
from matcher import types as mt
from matcher.congestion import DEFAULT_EXPOSURE_MULTIPLE, capped_top_k
from matcher.geo import Gazetteer
from matcher.index import OfferIndex
from matcher.reasons import Reason
from matcher.types import Exclusion, Suggestion
from models import Match, Offer, Participant, Session, Workplace, utcnow
from services import audit

ENGINE_VERSION = "matcher-2026.11"
DEFAULT_TOP = 20

# --- rows -> engine values ---------------------------------------------------------------------


def _place(lat: float | None, lon: float | None, municipality: str) -> mt.Location | None:
    """Stored coordinates, else the municipality's (the offline fallback), else None."""
    if lat is not None and lon is not None:
        return mt.Location(float(lat), float(lon), municipality)
    place = Gazetteer.load_default().lookup(municipality or "")
    return mt.Location(place.lat, place.lon, municipality) if place is not None else None


def _hours(lo: float | None, hi: float | None) -> mt.HoursRange | None:
    if lo is None and hi is None:
        return None
    return mt.HoursRange(float(lo or 0.0), float(hi if hi is not None else 168.0))


def _known(values: Iterable[Any], allowed: frozenset[str]) -> frozenset[str]:
    return frozenset(str(v) for v in values or () if str(v) in allowed)


def engine_offer(offer: Offer) -> mt.Offer | None:
    """The offer as the engine reads it, with its open slots as capacity; None when unplaceable."""
    wp = offer.workplace
    location = _place(wp.lat, wp.lon, wp.municipality)
    if location is None:
        return None
    return mt.Offer(
        id=str(offer.id),
        title=offer.title,
        location=location,
        description=" ".join(x for x in (offer.description, offer.tasks) if x),
        employer=offer.employer.name if offer.employer else "",
        occupation=offer.occupation or "",
        skills_required=tuple(str(s) for s in offer.skills_required or ()),
        skills_desired=tuple(str(s) for s in offer.skills_desired or ()),
        hours_per_week=_hours(offer.hours_min, offer.hours_max),
        swedish_level=offer.swedish_level if offer.swedish_level in mt.SWEDISH_LEVELS else "none",
        requires_driving_licence=bool(offer.requires_driving_licence),
        physical_demands=_known(offer.physical_demands, mt.PHYSICAL_DEMANDS),
        accessibility=_known(offer.all_accessibility, mt.ACCESSIBILITY),
        capacity=offer.open_slots,
        leads_to_employment=offer.leads_to_employment
        if offer.leads_to_employment in mt.LEADS_TO_EMPLOYMENT
        else None,
        kind=offer.kind,
    )


def engine_participant(p: Participant) -> mt.Participant | None:
    location = _place(p.lat, p.lon, p.municipality)
    if location is None:
        return None
    return mt.Participant(
        id=str(p.id),
        location=location,
        skills=tuple(str(s) for s in p.skills or ()),
        interests=tuple(str(s) for s in p.interests or ()),
        max_commute_km=p.max_commute_km,
        hours_per_week=_hours(p.hours_min, p.hours_max),
        swedish_level=p.swedish_level if p.swedish_level in mt.SWEDISH_LEVELS else "none",
        driving_licence=bool(p.driving_licence),
        cannot=_known(p.cannot, mt.PHYSICAL_DEMANDS),
        needs=_known(p.needs, mt.ACCESSIBILITY),
        support_level=p.support_level,
    )


# --- the per-process offer index ---------------------------------------------------------------


@dataclass
class _Cached:
    index: OfferIndex
    stamps: dict[int, tuple[Any, ...]]


_lock = threading.RLock()
_indexes: dict[str, _Cached] = {}


def _open_offers():  # type: ignore[no-untyped-def]
    return (
        select(Offer.id, Offer.updated_at, Offer.filled, Offer.capacity, Workplace)
        .join(Workplace, Workplace.id == Offer.workplace_id)
        .where(Offer.status == "published", Offer.filled < Offer.capacity)
    )


def _stamp(row: Any) -> tuple[Any, ...]:
    wp = row.Workplace
    return (row.updated_at, row.filled, row.capacity, wp.lat, wp.lon, tuple(wp.accessibility or ()))


def _db_key(db: OrmSession) -> str:
    bind = db.get_bind()
    return str(getattr(bind, "engine", bind).url)


def offer_index(db: OrmSession | None = None) -> OfferIndex:
    """The index of published offers with open slots, brought up to date with the database."""
    db = db or Session()
    rows = db.execute(_open_offers()).all()
    current = {row.id: _stamp(row) for row in rows}
    key = _db_key(db)
    with _lock:
        cached = _indexes.get(key)
        if cached is None:
            offers = _load_offers(db, current)
            cached = _Cached(OfferIndex([o for o in offers.values() if o]), {})
            cached.stamps = {oid: current[oid] for oid, o in offers.items() if o}
            _indexes[key] = cached
            return cached.index
        for oid in [oid for oid in cached.stamps if oid not in current]:
            cached.index.remove(str(oid))
            del cached.stamps[oid]
        changed = [oid for oid, stamp in current.items() if cached.stamps.get(oid) != stamp]
        for oid, offer in _load_offers(db, changed).items():
            if offer is None:
                if oid in cached.stamps:
                    cached.index.remove(str(oid))
                    del cached.stamps[oid]
                continue
            cached.index.upsert(offer)
            cached.stamps[oid] = current[oid]
        return cached.index


def _load_offers(db: OrmSession, ids: Iterable[int]) -> dict[int, mt.Offer | None]:
    ids = list(ids)
    if not ids:
        return {}
    rows = db.scalars(
        select(Offer)
        .options(joinedload(Offer.workplace), joinedload(Offer.employer))
        .where(Offer.id.in_(ids))
    ).all()
    return {o.id: engine_offer(o) for o in rows}


def forget_indexes() -> None:
    """Drop every cached index (tests that rebuild a database under the same URL)."""
    with _lock:
        _indexes.clear()


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
            audit.record("match.reconsidered", subject=match, details={"offer_id": oid}, session=db)
            match.status = "suggested"
            reconsidered += 1
        elif match.status != "suggested":
            continue
        match.source = "engine"
        _apply(match, s, now)
        keep.add(oid)
    stale = [m.id for oid, m in existing.items() if m.status == "suggested" and oid not in keep]
    if stale:
        db.execute(delete(Match).where(Match.id.in_(stale), Match.status == "suggested"))
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


def _setting(name: str, default: Any) -> Any:
    try:
        from flask import current_app

        return current_app.config.get(name, default)
    except RuntimeError:  # outside an app context (CLI scripts, plain tests)
        return default


def refresh_participant(
    participant_id: int, *, top: int | None = None, reconsider_rejected: bool = False
) -> RefreshResult | None:
    """Rank one participant and store the top suggestions; None when the participant is gone.

    A participant who has left the programme keeps no open suggestions.
    """
    db = Session()
    participant = db.get(Participant, participant_id)
    if participant is None:
        return None
    top = top or int(_setting("SUGGESTIONS_PER_PARTICIPANT", DEFAULT_TOP))
    existing = _existing(db, [participant.id])[participant.id]
    ep = engine_participant(participant) if participant.exited_on is None else None
    suggestions: list[Suggestion] = []
    if ep is not None:
        index = offer_index(db)
        excluded = _excluded(existing, reconsider_rejected)
        with _lock:
            suggestions = index.rank(ep, top=top, exclude_offer_ids=excluded)
    result = _store(
        db, participant, suggestions, existing, utcnow(), reconsider_rejected=reconsider_rejected
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

    Each participant's pool is its best feasible offers (twice `top`); `capped_top_k` then shows
    an offer to at most `exposure_multiple` x its open slots participants, so one attractive
    place is not shown to everyone while others are never shown (engine-notes.md).
    """
    db = Session()
    top = top or int(_setting("SUGGESTIONS_PER_PARTICIPANT", DEFAULT_TOP))
    multiple = float(exposure_multiple or _setting("EXPOSURE_MULTIPLE", DEFAULT_EXPOSURE_MULTIPLE))
    report = on_progress or (lambda _f, _m: None)
    participants = db.scalars(
        select(Participant)
        .where(Participant.unit_id == unit_id, Participant.exited_on.is_(None))
        .order_by(Participant.id)
    ).all()
    existing = _existing(db, [p.id for p in participants])
    index = offer_index(db)
    capacities = {o.id: o.capacity for o in index.offers()}
    position = {oid: n for n, oid in enumerate(capacities)}
    ranked: list[list[Suggestion]] = []
    placed = []
    report(0.0, "ranking")
    with _lock:
        for n, p in enumerate(participants):
            ep = engine_participant(p)
            rows = []
            if ep is not None:
                excluded = _excluded(existing[p.id], False)
                rows = index.rank(ep, top=2 * top, exclude_offer_ids=excluded)
            ranked.append(rows)
            placed.append(p)
            if n % 20 == 19:
                report(0.8 * (n + 1) / max(len(participants), 1), "ranking")
    candidates = [[position[s.offer_id] for s in rows] for rows in ranked]
    chosen = capped_top_k(candidates, list(capacities.values()), top, exposure_multiple=multiple)
    now = utcnow()
    total = {"participants": len(placed), "suggested": 0, "dropped": 0}
    for n, (p, rows, picks) in enumerate(zip(placed, ranked, chosen, strict=True)):
        shown = [_rerank(rows[i], r) for r, i in enumerate(picks, start=1)]
        result = _store(db, p, shown, existing[p.id], now)
        total["suggested"] += result.suggested
        total["dropped"] += result.dropped
        if n % 50 == 49:
            db.commit()
            report(0.8 + 0.2 * (n + 1) / max(len(placed), 1), "saving")
    db.commit()
    report(1.0, "done")
    return total


def _rerank(s: Suggestion, rank: int) -> Suggestion:
    return Suggestion(
        s.participant_id, s.offer_id, rank, s.score, s.components, s.reasons, s.gaps, s.distance_km
    )


# --- checking a pair the engine did not suggest (manual match), and exclusions -----------------


def check_pair(participant: Participant, offer: Offer) -> Suggestion | Exclusion | None:
    """The engine's verdict on one pair: a scored Suggestion, or an Exclusion with its codes.

    Used for manual matches. An offer not in the index (paused, full, unpublished) is scored on
    a one-offer index of its own so its conflicts still show; capacity 0 then reads "no open
    places". None when either side cannot be placed on the map.
    """
    ep = engine_participant(participant)
    eo = engine_offer(offer)
    if ep is None or eo is None:
        return None
    index = offer_index()
    with _lock:
        if eo.id in index:
            return index.score_pairs(ep, [eo.id])[0]
        single = OfferIndex([eo], index.vocabulary, index.weights)
        return single.score_pairs(ep, [eo.id])[0]


def exclusions(participant: Participant, top: int = 10) -> list[Exclusion]:
    """Why the nearest other offers were not suggested (the coach asks for it)."""
    ep = engine_participant(participant)
    if ep is None:
        return []
    index = offer_index()
    with _lock:
        return index.explain_exclusions(ep, top=top)


# --- scheduling (debounced background refreshes) -----------------------------------------------


def schedule_refresh_for_participant(
    participant_id: int, requested_by_id: int | None = None
) -> str:
    """Refresh one participant's suggestions in the background, after the current commit.

    Coalesced: while a refresh for this participant is still waiting, further calls (many quick
    profile edits) reuse it. Returns the job id for `/api/jobs/<id>`.
    """
    return enqueue(
        "jobs.suggestions.refresh_participant",
        participant_id,
        title="Uppdatera förslag",
        subject=("participant", participant_id),
        coalesce=True,
        requested_by_id=requested_by_id,
    )


def schedule_refresh_for_offer(offer_id: int, requested_by_id: int | None = None) -> str:
    """After an offer changes: refresh those for whom it is feasible or who had it suggested."""
    return enqueue(
        "jobs.suggestions.refresh_for_offer",
        offer_id,
        title="Uppdatera förslag för en plats",
        subject=("offer", offer_id),
        coalesce=True,
        requested_by_id=requested_by_id,
    )


def schedule_refresh_for_unit(unit_id: int, requested_by_id: int | None = None) -> str:
    return enqueue(
        "jobs.suggestions.refresh_unit",
        unit_id,
        title="Uppdatera förslag för hela ärendelistan",
        subject=("unit", unit_id),
        coalesce=True,
        requested_by_id=requested_by_id,
    )


def participants_affected_by_offer(offer_id: int) -> list[int]:
    """Active participants for whom the offer is feasible, plus those who had it suggested."""
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
        active = db.scalars(select(Participant).where(Participant.exited_on.is_(None))).all()
        eps = [ep for ep in (engine_participant(p) for p in active) if ep is not None]
        if eo is not None and eps:
            index = offer_index(db)
            with _lock:
                found = index.rank_participants(eo, eps, top=len(eps))
            feasible = {int(s.participant_id) for s in found}
    return sorted(had | feasible)
