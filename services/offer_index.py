"""Database rows as the engine's values, and the per-process `OfferIndex` of open offers.

Rows are turned into `matcher.types` values here and nowhere else. One `OfferIndex` per process
and database holds the published offers with open slots; before each use it is brought up to
date by comparing each offer's change stamp (its `updated_at`, its filled and total slots, and
its workplace's place and accessibility) with what the index was built from, so an edited offer
costs one upsert, not a rebuild. Every use of the index holds `lock`: the index refreshes itself
lazily inside queries, and jobs and requests run on several threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, DateTime, Text, cast, func, select, type_coerce
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import joinedload

from matcher import types as mt
from matcher.geo import Gazetteer
from matcher.index import OfferIndex
from matcher.types import Exclusion, Suggestion
from models import Offer, Participant, Session, Workplace

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


def commute_limit(p: Participant) -> tuple[float | None, bool]:
    """The participant's commuting limit in km and whether it is their unit's default (they
    have none of their own). The engine excludes offers beyond it with the `distance` reason."""
    if p.max_commute_km is not None:
        return float(p.max_commute_km), False
    unit = p.unit
    default = None if unit is None else unit.default_max_commute_km
    return (None if default is None else float(default)), default is not None


def engine_participant(p: Participant) -> mt.Participant | None:
    location = _place(p.lat, p.lon, p.municipality)
    if location is None:
        return None
    return mt.Participant(
        id=str(p.id),
        location=location,
        skills=tuple(str(s) for s in p.skills or ()),
        interests=tuple(str(s) for s in p.interests or ()),
        max_commute_km=commute_limit(p)[0],
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
    built_with: int  # offers in the index when it was last built from scratch
    changes: int = 0  # upserts and removals since then
    signature: Any = None  # of the stamps it was last checked against (PostgreSQL)


lock = threading.RLock()
_indexes: dict[str, _Cached] = {}
# Rebuild from scratch once this share of the index has changed. Lower than the engine's own
# lazy refit threshold (matcher.index.REFIT_SHARE, at least 50 changes), so the engine never
# refits inside a query: its refit after many removals currently runs after the participant's
# text was vectorised with the old model and fails (reported to the engine team).
REBUILD_SHARE = 0.2
REBUILD_MIN = 20


def _open_offers():  # type: ignore[no-untyped-def]
    # Plain columns, not Workplace entities, with the time and the JSON read as they come (no
    # per-row conversion): this runs before every use of the index, and converting 2,000 rows
    # per request was most of a large unit's picker page (benchmarks/LOAD.md). The stamps are
    # only compared with each other, so their raw form will do.
    return (
        select(
            Offer.id,
            type_coerce(Offer.updated_at, DateTime()).label("updated_at"),
            Offer.filled,
            Offer.capacity,
            Workplace.lat,
            Workplace.lon,
            cast(Workplace.accessibility, Text).label("accessibility"),
        )
        .join(Workplace, Workplace.id == Offer.workplace_id)
        .where(Offer.status == "published", Offer.filled < Offer.capacity)
    )


def _stamp(row: Any) -> tuple[Any, ...]:
    return (
        row.updated_at,
        row.filled,
        row.capacity,
        row.lat,
        row.lon,
        row.accessibility,
    )


def _signature(db: OrmSession) -> tuple[int, int] | None:
    """One row that changes whenever any open offer's stamp does: the count and the sum of a
    hash of each stamp, computed by PostgreSQL (about 1 ms for 2,000 offers, against ~10 ms to
    fetch and compare every stamp in Python). None on SQLite, which always compares stamps."""
    if db.get_bind().dialect.name != "postgresql":
        return None
    stamps = _open_offers().subquery()
    hashed = cast(func.hashtext(func.concat_ws("|", *stamps.c)), BigInteger)
    row = db.execute(select(func.count(), func.coalesce(func.sum(hashed), 0))).one()
    return int(row[0]), int(row[1])


def _db_key(db: OrmSession) -> str:
    bind = db.get_bind()
    return str(getattr(bind, "engine", bind).url)


def _build(db: OrmSession, current: dict[int, tuple[Any, ...]]) -> _Cached:
    offers = {oid: o for oid, o in _load_offers(db, current).items() if o is not None}
    from services.vocabulary import active

    index = OfferIndex(list(offers.values()), active())
    return _Cached(index, {oid: current[oid] for oid in offers}, built_with=len(offers))


def offer_index(db: OrmSession | None = None) -> OfferIndex:
    """The index of published offers with open slots, brought up to date with the database.
    On PostgreSQL an unchanged signature (`_signature`) skips comparing each offer's stamp."""
    db = db or Session()
    key = _db_key(db)
    signature = _signature(db)
    if signature is not None:
        with lock:
            cached = _indexes.get(key)
            if cached is not None and cached.signature == signature:
                return cached.index
    rows = db.execute(_open_offers()).all()
    current = {row.id: _stamp(row) for row in rows}
    with lock:
        cached = _indexes.get(key)
        gone = [] if cached is None else [oid for oid in cached.stamps if oid not in current]
        changed = (
            []
            if cached is None
            else [oid for oid, stamp in current.items() if cached.stamps.get(oid) != stamp]
        )
        if cached is None or cached.changes + len(gone) + len(changed) > max(
            REBUILD_MIN, REBUILD_SHARE * cached.built_with
        ):
            cached = _indexes[key] = _build(db, current)
            cached.signature = signature
            return cached.index
        for oid in gone:
            cached.index.remove(str(oid))
            del cached.stamps[oid]
            cached.changes += 1
        for oid, offer in _load_offers(db, changed).items():
            cached.changes += 1
            if offer is None:
                if oid in cached.stamps:
                    cached.index.remove(str(oid))
                    del cached.stamps[oid]
                continue
            cached.index.upsert(offer)
            cached.stamps[oid] = current[oid]
        # Taken before the stamps were read: if anything changed in between, the next call
        # sees another signature and compares again.
        cached.signature = signature
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
    with lock:
        _indexes.clear()


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
    with lock:
        if eo.id in index:
            return index.score_pairs(ep, [eo.id])[0]
        single = OfferIndex([eo], index.vocabulary, index.weights)
        return single.score_pairs(ep, [eo.id])[0]


def exclusions(participant: Participant, top: int = 10) -> list[Exclusion]:
    """Why the nearest other offers the participant's unit may use were not suggested (the
    coach asks for it); offers at the employer's cap on open candidates come first."""
    from services.candidate_cap import capped_offer_ids
    from services.sharing import unusable_open_offer_ids

    ep = engine_participant(participant)
    if ep is None:
        return []
    index = offer_index()
    unusable = unusable_open_offer_ids(participant.unit_id)
    capped = capped_offer_ids() - unusable
    with lock:
        found = index.explain_exclusions(ep, top=top + len(unusable) + len(capped))
    # An offer at the employer's cap on open candidates is left out whatever else fits.
    full = [Exclusion(str(participant.id), oid, ("candidate_cap",)) for oid in sorted(capped)]
    rest = [e for e in found if e.offer_id not in unusable and e.offer_id not in capped]
    return (full + rest)[:top]
