"""Hard constraints: which offers a participant may be suggested at all, and why not.

The rules and their reason codes are the file contract's (`docs/matching-files.md`):
distance, hours, swedish, licence, physical, access, capacity. They are checked on arrays over
all offers at once (bit masks for the demand and accessibility sets), so excluding 50,000 offers
costs well under a millisecond, and per pair (`pair_codes`) for explanations and manual matches.
Both paths use the same definitions; the tests hold them to a plain reference implementation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.types import (
    ACCESSIBILITY,
    EXCLUSION_CODES,
    PHYSICAL_DEMANDS,
    SWEDISH_LEVELS,
    HoursRange,
    Offer,
    Participant,
)

DEMAND_BITS = {name: 1 << i for i, name in enumerate(sorted(PHYSICAL_DEMANDS))}
ACCESS_BITS = {name: 1 << i for i, name in enumerate(sorted(ACCESSIBILITY))}
SWEDISH_RANK = {level: i for i, level in enumerate(SWEDISH_LEVELS)}


def bits(names, table: dict[str, int]) -> int:
    value = 0
    for name in names:
        value |= table[name]
    return value


def hours_bounds(hours: HoursRange | None) -> tuple[float, float]:
    """Absent hours mean any hours: an unbounded range overlaps every range."""
    return (-np.inf, np.inf) if hours is None else (float(hours.min), float(hours.max))


@dataclass(slots=True)
class OfferConstraintArrays:
    """The constraint-relevant fields of N offers as flat arrays, one row per offer."""

    lat: np.ndarray
    lon: np.ndarray
    hours_min: np.ndarray
    hours_max: np.ndarray
    swedish: np.ndarray
    licence: np.ndarray
    demands: np.ndarray
    access: np.ndarray
    capacity: np.ndarray

    @classmethod
    def from_offers(cls, offers: Sequence[Offer]) -> OfferConstraintArrays:
        hours = [hours_bounds(o.hours_per_week) for o in offers]
        return cls(
            lat=np.array([o.location.lat for o in offers], dtype=np.float64),
            lon=np.array([o.location.lon for o in offers], dtype=np.float64),
            hours_min=np.array([h[0] for h in hours], dtype=np.float64),
            hours_max=np.array([h[1] for h in hours], dtype=np.float64),
            swedish=np.array([SWEDISH_RANK[o.swedish_level] for o in offers], dtype=np.int8),
            licence=np.array([o.requires_driving_licence for o in offers], dtype=bool),
            demands=np.array(
                [bits(o.physical_demands, DEMAND_BITS) for o in offers], dtype=np.int32
            ),
            access=np.array([bits(o.accessibility, ACCESS_BITS) for o in offers], dtype=np.int32),
            capacity=np.array([o.capacity for o in offers], dtype=np.int64),
        )

    def __len__(self) -> int:
        return len(self.lat)

    def take(self, rows: np.ndarray) -> OfferConstraintArrays:
        return OfferConstraintArrays(*(getattr(self, f)[rows] for f in self.__slots__))

    @classmethod
    def concat(cls, parts: Sequence[OfferConstraintArrays]) -> OfferConstraintArrays:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in cls.__slots__))


@dataclass(frozen=True, slots=True)
class ParticipantConstraints:
    """One participant's side of the constraints, precomputed once per query."""

    max_km: float
    hours_min: float
    hours_max: float
    swedish: int
    licence: bool
    cannot: int
    needs: int

    @classmethod
    def of(cls, p: Participant, default_max_km: float | None = None) -> ParticipantConstraints:
        """`default_max_km`: the limit for a person with none of their own (a unit's default);
        None keeps the file contract: no limit means no limit."""
        lo, hi = hours_bounds(p.hours_per_week)
        return cls(
            max_km=effective_max_km(p, default_max_km),
            hours_min=lo,
            hours_max=hi,
            swedish=SWEDISH_RANK[p.swedish_level],
            licence=bool(p.driving_licence),
            cannot=bits(p.cannot, DEMAND_BITS),
            needs=bits(p.needs, ACCESS_BITS),
        )


def stack_constraints(pcs: Sequence[ParticipantConstraints]) -> ParticipantConstraints:
    """Many participants' constraints as one object of arrays (one entry per pair), for
    `violations` over explicit pairs: the same rules, elementwise instead of broadcast."""
    return ParticipantConstraints(
        *(np.array([getattr(pc, f) for pc in pcs]) for f in ParticipantConstraints.__slots__)
    )


def participant_constraint_arrays(
    people: Sequence[Participant], rows: np.ndarray | None = None
) -> ParticipantConstraints:
    """`stack_constraints` of these participants (no unit default: the file contract), taken
    at `rows` (one entry per pair) when given. Column by column: no per-person objects."""
    inf = np.inf
    hours = [p.hours_per_week for p in people]
    columns = ParticipantConstraints(
        max_km=np.array(
            [inf if p.max_commute_km is None else float(p.max_commute_km) for p in people],
            dtype=np.float64,
        ),
        hours_min=np.array([-inf if h is None else float(h.min) for h in hours], np.float64),
        hours_max=np.array([inf if h is None else float(h.max) for h in hours], np.float64),
        swedish=np.array([SWEDISH_RANK[p.swedish_level] for p in people], np.int64),
        licence=np.array([bool(p.driving_licence) for p in people], bool),
        cannot=np.array([bits(p.cannot, DEMAND_BITS) if p.cannot else 0 for p in people], np.int64),
        needs=np.array([bits(p.needs, ACCESS_BITS) if p.needs else 0 for p in people], np.int64),
    )
    if rows is None:
        return columns
    return ParticipantConstraints(*(getattr(columns, f)[rows] for f in columns.__slots__))


@dataclass(frozen=True, slots=True)
class OfferColumns:
    """Offers as columns: ids in input order and the constraint fields (capacity included).
    What allocation with explicit lists needs; `of` builds it from Offer objects,
    `matcher.io.read_offer_columns` straight from a file."""

    ids: list[str]
    arrays: OfferConstraintArrays

    @classmethod
    def of(cls, offers: Sequence[Offer]) -> OfferColumns:
        return cls([o.id for o in offers], OfferConstraintArrays.from_offers(offers))

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class ParticipantColumns:
    """A caseload as columns: ids in input order, coordinates and the constraint fields (no
    unit default: the file contract). What allocation with explicit lists needs, and all it
    needs; `of` builds it from Participant objects, `matcher.io.read_participant_columns`
    straight from a file."""

    ids: list[str]
    lat: np.ndarray
    lon: np.ndarray
    constraints: ParticipantConstraints

    @classmethod
    def of(cls, people: Sequence[Participant]) -> ParticipantColumns:
        return cls(
            [p.id for p in people],
            np.array([p.location.lat for p in people], dtype=np.float64),
            np.array([p.location.lon for p in people], dtype=np.float64),
            participant_constraint_arrays(people),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def constraints_at(self, rows: np.ndarray) -> ParticipantConstraints:
        """The constraint fields repeated along `rows` (one entry per pair)."""
        c = self.constraints
        return ParticipantConstraints(*(getattr(c, f)[rows] for f in c.__slots__))


def effective_max_km(p: Participant, default_max_km: float | None = None) -> float:
    """The person's own commuting limit, else the default, else none (infinity)."""
    if p.max_commute_km is not None:
        return float(p.max_commute_km)
    return np.inf if default_max_km is None else float(default_max_km)


def violations(
    arrays: OfferConstraintArrays, pc: ParticipantConstraints, distance_km: np.ndarray
) -> dict[str, np.ndarray]:
    """Per reason code, a boolean array: True where that rule excludes the offer.

    `pc` is one participant (scalars, against N offers) or, for N given pairs, the participants'
    fields as arrays aligned with the offers' rows (`ParticipantConstraints.stack`).
    """
    return {
        "distance": distance_km > pc.max_km,
        "hours": np.maximum(arrays.hours_min, pc.hours_min)
        > np.minimum(arrays.hours_max, pc.hours_max),
        "swedish": arrays.swedish > pc.swedish,
        "licence": arrays.licence & np.logical_not(pc.licence),
        "physical": (arrays.demands & pc.cannot) != 0,
        "access": (pc.needs & ~arrays.access) != 0,
        "capacity": arrays.capacity <= 0,
    }


def feasible_mask(
    arrays: OfferConstraintArrays, pc: ParticipantConstraints, distance_km: np.ndarray
) -> np.ndarray:
    """True where every hard constraint holds."""
    bad = np.zeros(len(arrays), dtype=bool)
    for mask in violations(arrays, pc, distance_km).values():
        bad |= mask
    return ~bad


def feasible_without_distance(
    arrays: OfferConstraintArrays, pc: ParticipantConstraints
) -> np.ndarray:
    """True where every rule but distance holds: the ranker checks these over all offers and
    computes distances only for the offers that pass (see `violations` for the rules)."""
    ok = np.maximum(arrays.hours_min, pc.hours_min) <= np.minimum(arrays.hours_max, pc.hours_max)
    ok &= arrays.swedish <= pc.swedish
    if not pc.licence:
        ok &= ~arrays.licence
    if pc.cannot:
        ok &= (arrays.demands & pc.cannot) == 0
    if pc.needs:
        ok &= (pc.needs & ~arrays.access) == 0
    ok &= arrays.capacity > 0
    return ok


def feasible_block(
    arrays: OfferConstraintArrays, pcs: Sequence[ParticipantConstraints], distance_km: np.ndarray
) -> np.ndarray:
    """Every rule for B participants (rows) x N offers (columns), `distance_km` of shape B x N:
    the batched form of `feasible_without_distance` plus the distance rule."""

    def col(name: str) -> np.ndarray:
        return np.array([getattr(pc, name) for pc in pcs])[:, None]

    ok = distance_km <= col("max_km")
    ok &= np.maximum(arrays.hours_min[None, :], col("hours_min")) <= np.minimum(
        arrays.hours_max[None, :], col("hours_max")
    )
    ok &= arrays.swedish[None, :] <= col("swedish")
    ok &= ~(arrays.licence[None, :] & ~col("licence"))
    ok &= (arrays.demands[None, :] & col("cannot")) == 0
    ok &= (col("needs") & ~arrays.access[None, :]) == 0
    ok &= (arrays.capacity > 0)[None, :]
    return ok


def codes_at(violation_arrays: dict[str, np.ndarray], row: int) -> tuple[str, ...]:
    """The reason codes excluding offer `row`, in the contract's order."""
    return tuple(code for code in EXCLUSION_CODES if violation_arrays[code][row])


def pair_codes(
    offer: Offer, participant: Participant, distance_km: float, default_max_km: float | None = None
) -> tuple[str, ...]:
    """The reason codes excluding one pair, for explanations and manual matches."""
    arrays = OfferConstraintArrays.from_offers([offer])
    pc = ParticipantConstraints.of(participant, default_max_km)
    found = violations(arrays, pc, np.array([distance_km]))
    return codes_at(found, 0)
