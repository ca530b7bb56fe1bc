"""Allocate a caseload to placements: the library call behind the web, the jobs and the CLI.

Each participant gets at most one offer and each offer at most `capacity` participants, feasible
pairs only (the ranker's hard constraints decide feasibility; its scores and reasons travel with
every assignment so a coach sees why).

- `mode="optimal"` maximises the total score (`matcher.optimal`, a min-cost flow). Candidates are
  each participant's `top` best feasible offers; nobody is forced into a placement.
- `mode="stable"` runs participant-proposing deferred acceptance (`matcher.stable`). Without
  explicit preferences, a participant ranks its `top` feasible offers by score and an offer ranks
  the participants that have it among their `top` by score (ties: caseload order); so a pair is
  acceptable exactly when the offer is among the participant's top. With `preferences` those
  lists are used as given, except that an infeasible pair is dropped (the contract assigns
  feasible pairs only) and reported in `AllocationResult.warnings`; the result is then the
  participant-optimal stable matching of the feasible part of the lists. `top` does not apply
  there, and a participant or offer the preferences do not mention has an empty list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from matcher.stable import RankedLists, check_stability, deferred_acceptance, propose
from matcher.types import Offer, Participant, Suggestion

MODES = ("optimal", "stable")


class AllocationError(ValueError):
    """Input that cannot be allocated; `problems` lists every one found, each with its location."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more"] if more > 0 else [])))


@dataclass(frozen=True)
class Preferences:
    """Explicit ranked lists, most preferred first: participant id -> offer ids and the reverse."""

    participants: Mapping[str, Sequence[str]]
    offers: Mapping[str, Sequence[str]]
    # The id sets `from_mapping` checked these lists against; allocate() checks again otherwise.
    checked_against: tuple[frozenset[str], frozenset[str]] | None = field(
        default=None, compare=False, repr=False
    )
    # The same lists as index arrays over the id sequences they were checked against, built
    # while checking (allocate() uses them when its participants and offers come in that order).
    indexed: _IndexedLists | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_mapping(
        cls,
        data: object,
        participant_ids: Iterable[str],
        offer_ids: Iterable[str],
        source: str = "preferences",
    ) -> Preferences:
        """Check the `{"participants": {...}, "offers": {...}}` shape against the known ids.

        Every problem is reported with its place (`prefs.json: participants.p1[2]: ...`), all at
        once, so a file can be fixed in one go.
        """
        participant_ids, offer_ids = tuple(participant_ids), tuple(offer_ids)
        known = {"participants": set(participant_ids), "offers": set(offer_ids)}
        other = {"participants": "offers", "offers": "participants"}
        problems: list[str] = []
        if not isinstance(data, Mapping):
            raise AllocationError([f"{source}: expected a JSON object with participants, offers"])
        indexed = _IndexedLists.build(data, participant_ids, offer_ids)
        if indexed is not None:  # nothing wrong: checked while indexing, no copy needed
            checked = (frozenset(known["participants"]), frozenset(known["offers"]))
            return cls(dict(data["participants"]), dict(data["offers"]), checked, indexed)
        lists: dict[str, dict[str, list[str]]] = {}
        for side in ("participants", "offers"):
            where = f"{source}: {side}"
            section = data.get(side)
            lists[side] = {}
            if section is None:
                problems.append(f"{where}: missing (give an object, {{}} if empty)")
                continue
            if not isinstance(section, Mapping):
                problems.append(f"{where}: expected an object of id -> list of ids")
                continue
            if _plain_section(section, known[side], known[other[side]]):
                lists[side] = {owner: list(ranked) for owner, ranked in section.items()}
                continue
            for owner, ranked in section.items():
                if owner in known[side] and _plainly_valid(ranked, known[other[side]]):
                    lists[side][owner] = list(ranked)
                    continue
                if owner not in known[side]:
                    problems.append(f"{where}.{owner}: unknown {side[:-1]} id")
                    continue
                if not isinstance(ranked, list | tuple):
                    problems.append(f"{where}.{owner}: expected a list of {other[side]} ids")
                    continue
                seen: dict[str, int] = {}
                for n, item in enumerate(ranked):
                    at = f"{where}.{owner}[{n}]"
                    if not isinstance(item, str):
                        problems.append(f"{at}: expected an id (string), got {item!r}")
                    elif item not in known[other[side]]:
                        problems.append(f"{at}: unknown {other[side][:-1]} id {item!r}")
                    elif item in seen:
                        problems.append(f"{at}: {item!r} listed twice (first at [{seen[item]}])")
                    else:
                        seen[item] = n
                lists[side][owner] = [i for i in ranked if isinstance(i, str)]
        if problems:
            raise AllocationError(problems)
        checked = (frozenset(known["participants"]), frozenset(known["offers"]))
        return cls(lists["participants"], lists["offers"], checked_against=checked)


@dataclass(frozen=True)
class _IndexedLists:
    """Both sides' lists as flat index arrays over `p_ids` and `o_ids`: the participants' lists
    in caseload order (`p_lengths[p]` entries each, offer indices in `p_flat`) and, for each of
    those entries, the offer's rank of that participant (`p_ranks`, -1 where the offer does not
    list them); the offers' lists in the file's order (offer `o_rows[k]` lists `o_lengths[k]`
    participants, best first, in `o_flat`)."""

    p_ids: tuple[str, ...]
    o_ids: tuple[str, ...]
    p_lengths: np.ndarray
    p_flat: np.ndarray
    p_ranks: np.ndarray
    o_rows: np.ndarray
    o_lengths: np.ndarray
    o_flat: np.ndarray

    @classmethod
    def build(cls, data: Mapping, p_ids: tuple[str, ...], o_ids: tuple[str, ...]):
        """The arrays, or None at the first doubt (an unknown or repeated id, a list that is not
        a list of strings, ids not unique): the owner-by-owner check then names each problem."""
        p_index = dict(zip(p_ids, range(len(p_ids)), strict=True))
        o_index = dict(zip(o_ids, range(len(o_ids)), strict=True))
        if len(p_index) != len(p_ids) or len(o_index) != len(o_ids):
            return None
        sides = data.get("participants"), data.get("offers")
        if not all(isinstance(side, Mapping) for side in sides):
            return None
        try:
            p_rows, p_lengths, p_flat = _index_section(sides[0], p_index, o_index)
            o_rows, o_lengths, o_flat = _index_section(sides[1], o_index, p_index)
        except _NotIndexed:
            return None
        if len(p_rows) != len(p_ids) or np.any(p_rows != np.arange(len(p_ids))):
            # Not every participant listed, or not in caseload order: regroup by caseload.
            order = np.argsort(np.repeat(p_rows, p_lengths), kind="stable")
            p_flat = p_flat[order]
            by_row = np.zeros(len(p_ids), dtype=np.int64)
            by_row[p_rows] = p_lengths
            p_lengths = by_row
        # Both sides keyed alike, participant * offers + offer: a repeat within a list is a
        # repeated key, and the offer's rank of a participant's entry is found by its key.
        n_o = max(len(o_ids), 1)
        p_keys = np.repeat(np.arange(len(p_ids), dtype=np.int64), p_lengths) * n_o + p_flat
        starts = np.zeros(len(o_lengths), dtype=np.int64)
        np.cumsum(o_lengths[:-1], out=starts[1:])
        o_keys = o_flat * n_o + np.repeat(o_rows, o_lengths)
        o_ranks = np.arange(len(o_flat), dtype=np.int64) - np.repeat(starts, o_lengths)
        p_ranks = _ranks_unless_repeats(p_keys, o_keys, o_ranks, max(len(p_ids), 1) * n_o)
        if p_ranks is None:
            return None
        return cls(p_ids, o_ids, p_lengths, p_flat, p_ranks, o_rows, o_lengths, o_flat)

    def refers_to(self, p_ids: Sequence[str], o_ids: Sequence[str]) -> bool:
        """True when these are the participant and offer ids, in the order, the arrays index."""
        return tuple(p_ids) == self.p_ids and tuple(o_ids) == self.o_ids

    @classmethod
    def from_preferences(cls, prefs: Preferences, p_ids, o_ids) -> _IndexedLists:
        """For checked preferences that did not come with arrays (built by hand, then checked)."""
        p_ids, o_ids = tuple(p_ids), tuple(o_ids)
        data = {"participants": prefs.participants, "offers": prefs.offers}
        built = cls.build(data, p_ids, o_ids)
        if built is None:  # lists were checked, so only tuples (not lists) can land here
            data = {side: {k: list(v) for k, v in lists.items()} for side, lists in data.items()}
            built = cls.build(data, p_ids, o_ids)
        if built is None:  # checked against these ids (`_checked`), so this is a caller's bug
            raise AllocationError(["preferences: lists were not checked against these ids"])
        return built


class _NotIndexed(Exception):
    pass


def _index_section(section: Mapping, owners: dict[str, int], items: dict[str, int]):
    """(owner rows, list lengths, flat item indices) of one side, each a C-level pass; raises
    _NotIndexed for an unknown id, a non-list, a non-string or a repeat within a list."""
    lists = section.values()
    try:
        rows = np.fromiter(map(owners.__getitem__, section), np.int64, len(section))
        if not all(type(ranked) is list for ranked in lists):
            raise _NotIndexed
        lengths = np.fromiter(map(len, lists), np.int64, len(section))
        total = int(lengths.sum())
        flat = np.fromiter(map(items.__getitem__, chain.from_iterable(lists)), np.int64, total)
    except (KeyError, TypeError) as err:  # unknown id; unhashable or non-string item
        raise _NotIndexed from err
    return rows, lengths, flat  # repeats within a list: `_ranks_unless_repeats`


# Above this many participant x offer keys, repeats and ranks are found by sorting instead of
# through a table indexed by key (4 bytes a key: 256 MB).
KEY_TABLE_MAX = 64_000_000


def _ranks_unless_repeats(p_keys, o_keys, o_ranks, size: int) -> np.ndarray | None:
    """For each participant entry, the offer's rank (`o_ranks` of the offer entry with the same
    key, -1 if none); None if a key repeats on either side (an id listed twice in one list).

    Through one uninitialised table: each side writes its positions at its keys and reads them
    back (a repeated key reads back another position); then a participant entry's candidate is
    accepted only if the offer entry there has the same key, so stale or garbage cells are
    never believed. Above `KEY_TABLE_MAX` keys, by sorting."""
    if size > KEY_TABLE_MAX:
        return _ranks_by_sorting(p_keys, o_keys, o_ranks)
    table = np.empty(size, dtype=np.int64 if max(len(p_keys), len(o_keys)) >= 2**31 else np.int32)
    for keys in (p_keys, o_keys):
        at = np.arange(len(keys), dtype=table.dtype)
        table[keys] = at
        if (table[keys] != at).any():
            return None
    if not len(o_keys):
        return np.full(len(p_keys), -1, dtype=np.int64)
    candidate = table[p_keys].astype(np.int64)
    found = (candidate >= 0) & (candidate < len(o_keys))
    candidate[~found] = 0
    found &= o_keys[candidate] == p_keys
    return np.where(found, o_ranks[candidate], -1)


def _ranks_by_sorting(p_keys, o_keys, o_ranks) -> np.ndarray | None:
    sorted_p = np.sort(p_keys)
    order = np.argsort(o_keys, kind="stable")
    sorted_o = o_keys[order]
    if (sorted_p[1:] == sorted_p[:-1]).any() or (sorted_o[1:] == sorted_o[:-1]).any():
        return None
    if not len(sorted_o):
        return np.full(len(p_keys), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(sorted_o, p_keys), len(sorted_o) - 1)
    return np.where(sorted_o[at] == p_keys, o_ranks[order][at], -1)


def _plain_section(section: Mapping, owners: set[str], known: set[str]) -> bool:
    """The whole side at once when nothing is wrong (one pass in C per check); any doubt goes
    to the owner-by-owner check that names each problem."""
    lists = section.values()
    try:
        return (
            owners.issuperset(section)
            and all(type(ranked) is list for ranked in lists)
            and known.issuperset(chain.from_iterable(lists))
            and all(len(set(ranked)) == len(ranked) for ranked in lists)
        )
    except TypeError:  # an unhashable item
        return False


def _plainly_valid(ranked: object, known: set[str]) -> bool:
    """The common case at set speed: a list of distinct known ids (then nothing to report)."""
    if not isinstance(ranked, list | tuple):
        return False
    try:
        return len(set(ranked)) == len(ranked) and known.issuperset(ranked)
    except TypeError:  # an unhashable item: the slow path names it
        return False


@dataclass(frozen=True)
class Assignment:
    participant_id: str
    offer_id: str
    score: float | None
    suggestion: Suggestion | None  # the ranker's view of the pair: components, reasons, gaps

    @property
    def reasons(self) -> tuple:
        return self.suggestion.reasons if self.suggestion else ()


@dataclass(frozen=True)
class AllocationResult:
    mode: str
    assignments: tuple[Assignment, ...]
    unassigned: tuple[str, ...]  # participant ids, caseload order
    warnings: tuple[str, ...] = ()

    @property
    def total_score(self) -> float | None:
        """Sum of the assigned pairs' scores; None when the allocation did not score (explicit
        preferences without explanations: feasibility alone decides there)."""
        if any(a.score is None for a in self.assignments):
            return None
        return float(sum(a.score for a in self.assignments))

    def offer_for(self) -> dict[str, str | None]:
        """Participant id -> offer id or None, for every participant of the caseload."""
        out: dict[str, str | None] = {a.participant_id: a.offer_id for a in self.assignments}
        out.update(dict.fromkeys(self.unassigned))
        return out


def _validate_inputs(participants: Sequence[Participant], offers: Sequence[Offer]) -> None:
    _validate_ids_and_capacities(
        [p.id for p in participants], [o.id for o in offers], [o.capacity for o in offers]
    )


def _validate_ids_and_capacities(p_ids, o_ids, capacities) -> None:
    """Every repeated id and every negative capacity, all named at once (AllocationError)."""
    problems = []
    for label, ids in (("participants", p_ids), ("offers", o_ids)):
        if len(set(ids)) == len(ids):
            continue
        first: dict[str, int] = {}
        for n, item in enumerate(ids):
            if item in first:
                problems.append(
                    f"{label}[{n}]: duplicate id {item!r} (first at {label}[{first[item]}])"
                )
            else:
                first[item] = n
    for n, capacity in enumerate(capacities):
        if capacity < 0:
            problems.append(f"offers[{n}] ({o_ids[n]!r}): negative capacity {capacity}")
    if problems:
        raise AllocationError(problems)


def allocate(
    participants: Sequence[Participant],
    offers: Sequence[Offer],
    *,
    mode: str = "optimal",
    preferences: Preferences | None = None,
    index=None,
    top: int = 20,
    explain: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> AllocationResult:
    """Assign the caseload to the offers; see the module docstring for the two modes.

    `index` is an `OfferIndex` over (at least) these offers; one is built when not given.
    Suggestions the index makes for offers outside `offers` are ignored, so an index over all
    offers can serve an allocation over a subset. With `explain` every assignment carries the
    ranker's Suggestion (components, reasons, gaps); without it only the score, which lets the
    index skip building reasons for every candidate (the file CLI writes ids only).
    `progress(done, total)` is called while participants are scored: the slow part, since the
    solvers take well under a second at our sizes.
    """
    if mode not in MODES:
        raise AllocationError([f"mode: expected one of {', '.join(MODES)}, got {mode!r}"])
    if preferences is not None and mode != "stable":
        raise AllocationError(["preferences: only used by mode 'stable'"])
    if top < 1:
        raise AllocationError([f"top: expected at least 1, got {top}"])
    if preferences is not None and not explain:
        # Explicit lists and no explanations: only feasibility decides (see allocate_listed,
        # which checks the ids and capacities).
        from matcher.constraints import ParticipantColumns

        result = allocate_listed(ParticipantColumns.of(participants), offers, preferences)
        if progress is not None:
            progress(len(participants), len(participants))
        return result
    _validate_inputs(participants, offers)
    if preferences is not None:
        preferences = _checked(preferences, [p.id for p in participants], [o.id for o in offers])
    o_index = {o.id: n for n, o in enumerate(offers)}
    caps = np.array([o.capacity for o in offers], dtype=np.int64)
    warnings: list[str] = []
    tick = _counter(progress, len(participants))
    if index is None:
        from matcher.index import OfferIndex

        index = OfferIndex(offers)

    found: dict[tuple[int, int], Suggestion] | None = None
    if preferences is not None:
        pools = _pools_from_preferences(index, participants, o_index, preferences, warnings, tick)
        pp, po, ps, found = _flatten(pools, o_index)
    elif explain:
        pools = list(index.rank_many(participants, top, on_progress=tick))
        pp, po, ps, found = _flatten(pools, o_index)
    else:
        scored = index.feasible_scores(participants, top, on_progress=tick)
        remap = np.array([o_index.get(oid, -1) for oid in scored.offer_ids] + [-1])
        po = remap[np.asarray(scored.pairs_o, dtype=np.int64)]
        keep = po >= 0
        pp = np.asarray(scored.pairs_p, dtype=np.int64)[keep]
        po, ps = po[keep], np.asarray(scored.scores, dtype=np.float64)[keep]

    n_p, n_o = len(participants), len(offers)
    if mode == "optimal":
        from matcher.optimal import max_score_assignment  # OR-Tools: loaded when needed

        match = max_score_assignment(n_p, n_o, pp, po, ps, caps)
    else:
        p_prefs = _lists(pp, po, np.lexsort((np.arange(len(pp)), pp)), n_p)
        if preferences is None:
            # An offer ranks those who have it in their pool: best score first, then caseload.
            o_prefs = _lists(po, pp, np.lexsort((pp, -ps, po)), n_o)
        else:
            p_index = {p.id: n for n, p in enumerate(participants)}
            o_prefs = [[p_index[pid] for pid in preferences.offers.get(o.id, ())] for o in offers]
        match = deferred_acceptance(p_prefs, o_prefs, caps)

    chosen = np.flatnonzero(match[pp] == po) if len(pp) else np.zeros(0, dtype=np.int64)
    score_of = dict(zip(pp[chosen].tolist(), ps[chosen].tolist(), strict=True))
    assignments, unassigned = [], []
    for n, p in enumerate(participants):
        o = int(match[n])
        if o < 0:
            unassigned.append(p.id)
            continue
        suggestion = found.get((n, o)) if found is not None else None
        assignments.append(Assignment(p.id, offers[o].id, score_of[n], suggestion))
    return AllocationResult(mode, tuple(assignments), tuple(unassigned), tuple(warnings))


def allocate_listed(people, offers, preferences: Preferences) -> AllocationResult:
    """Stable allocation by explicit lists, ids only: `allocate(..., mode="stable",
    preferences=..., explain=False)` for a caseload given as `ParticipantColumns` (ids in
    caseload order, coordinates, constraint fields) and offers as Offer objects or
    `OfferColumns`, as the file CLI reads them.

    Only the pairs both sides list can ever be assigned, so only those are checked for
    feasibility (a few array passes; nobody is scored against every offer, scores stay None);
    an infeasible one is dropped with a warning naming its constraints.
    """
    from matcher.constraints import OfferColumns

    if not isinstance(offers, OfferColumns):
        offers = OfferColumns.of(offers)
    _validate_ids_and_capacities(people.ids, offers.ids, offers.arrays.capacity.tolist())
    preferences = _checked(preferences, people.ids, offers.ids)
    warnings: list[str] = []
    pp, po, ranks = _feasible_listed_pairs(people, offers, preferences, warnings)
    n_p = len(people)
    indptr = np.zeros(n_p + 1, dtype=np.int64)
    np.cumsum(np.bincount(pp, minlength=n_p), out=indptr[1:])
    match = propose(indptr, po, ranks, offers.arrays.capacity)
    assignments, unassigned = [], []
    o_ids = offers.ids
    for pid, o in zip(people.ids, match.tolist(), strict=True):
        if o < 0:
            unassigned.append(pid)
        else:
            assignments.append(Assignment(pid, o_ids[o], None, None))
    return AllocationResult("stable", tuple(assignments), tuple(unassigned), tuple(warnings))


def _checked(preferences: Preferences, p_ids: Sequence[str], o_ids: Sequence[str]):
    """The preferences, checked against these ids (again, unless they were already)."""
    if preferences.indexed is not None and preferences.indexed.refers_to(p_ids, o_ids):
        return preferences
    if preferences.checked_against == (frozenset(p_ids), frozenset(o_ids)):
        return preferences
    # built by hand, or checked against other ids: check it the same way as a file
    return Preferences.from_mapping(
        {"participants": preferences.participants, "offers": preferences.offers}, p_ids, o_ids
    )


def _counter(progress, total: int):
    """Adapt `progress(done, total)` to the index's `on_progress(chunk_size)` increments."""
    if progress is None:
        return None
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        progress(done, total)

    return tick


def _flatten(pools, o_index):
    """Per-participant Suggestion lists -> flat pair arrays and a (p, o) -> Suggestion map."""
    found: dict[tuple[int, int], Suggestion] = {}
    pp, po, ps = [], [], []
    for n, pool in enumerate(pools):
        for s in pool:
            o = o_index.get(s.offer_id)
            if o is not None:
                pp.append(n)
                po.append(o)
                ps.append(s.score)
                found[(n, o)] = s
    as_int = np.asarray(pp, dtype=np.int64), np.asarray(po, dtype=np.int64)
    return *as_int, np.asarray(ps, dtype=np.float64), found


def _lists(rows: np.ndarray, items: np.ndarray, order: np.ndarray, n_rows: int) -> RankedLists:
    """CSR lists: `items` grouped by `rows`, in the order `order` gives (rows must be its key)."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return RankedLists(indptr, items[order].astype(np.int64))


def _feasible_listed_pairs(people, offers, prefs, warnings):
    """The pairs both sides list, in each participant's order, without the infeasible ones
    (each dropped with a warning naming its constraints): flat (participant, offer) arrays and
    the offers' ranks of them. `people` are `ParticipantColumns`, `offers` `OfferColumns`;
    `prefs` is checked against their ids. A handful of array passes over the listed pairs."""
    from matcher.constraints import violations
    from matcher.geo import pair_chord_km, unit_vectors
    from matcher.types import EXCLUSION_CODES

    n_p = len(people)
    lists = prefs.indexed
    o_ids = offers.ids
    if lists is None or not lists.refers_to(people.ids, o_ids):
        lists = _IndexedLists.from_preferences(prefs, people.ids, o_ids)
    # The participants' lists in caseload order, with the offers' ranks of each entry.
    mine_o = lists.p_flat
    mine_p = np.repeat(np.arange(n_p, dtype=np.int64), lists.p_lengths)
    ranks = lists.p_ranks
    mutual = ranks >= 0
    p_rows, o_rows_kept, ranks = mine_p[mutual], mine_o[mutual], ranks[mutual]
    if not len(p_rows):
        return p_rows, o_rows_kept, ranks
    arrays = offers.arrays
    pair_pc = people.constraints_at(p_rows)
    # Distances only where the person has a commuting limit: without one no trip is too far.
    dist = np.zeros(len(p_rows))
    limited = np.flatnonzero(np.isfinite(pair_pc.max_km))
    if len(limited):
        p_xyz = unit_vectors(people.lat, people.lon)[p_rows[limited]]
        o_xyz = unit_vectors(arrays.lat, arrays.lon)[o_rows_kept[limited]]
        dist[limited] = pair_chord_km(p_xyz, o_xyz)
    found = violations(arrays.take(o_rows_kept), pair_pc, dist)
    bad = np.zeros(len(p_rows), dtype=bool)
    for mask in found.values():
        bad |= mask
    if not bad.any():
        return p_rows, o_rows_kept, ranks
    combo = np.zeros(len(p_rows), dtype=np.int64)
    for bit, code in enumerate(EXCLUSION_CODES):
        combo |= found[code].astype(np.int64) << bit
    text: dict[int, str] = {}
    for i, mask in zip(np.flatnonzero(bad).tolist(), combo[bad].tolist(), strict=True):
        if mask not in text:
            text[mask] = ", ".join(c for b, c in enumerate(EXCLUSION_CODES) if mask >> b & 1)
        pid, oid = people.ids[p_rows[i]], o_ids[o_rows_kept[i]]
        warnings.append(f"preferences: pair {pid} - {oid} is infeasible ({text[mask]}): dropped")
    keep = ~bad
    return p_rows[keep], o_rows_kept[keep], ranks[keep]


def _pools_from_preferences(index, participants, o_index, prefs, warnings, progress) -> list[list]:
    """Each participant's explicit list, as Suggestions, with infeasible mutual pairs dropped.

    Only pairs listed by both sides can ever be assigned, so only those are scored; an
    infeasible one is dropped with a warning naming the constraints that exclude it.
    """
    listed_by = {oid: set(pids) for oid, pids in prefs.offers.items()}
    pools = []
    for p in participants:
        wanted = [oid for oid in prefs.participants.get(p.id, ()) if p.id in listed_by.get(oid, ())]
        scored = {}
        for item in index.score_pairs(p, wanted) if wanted else ():
            if isinstance(item, Suggestion):
                scored[item.offer_id] = item
            else:
                codes = ", ".join(getattr(item, "codes", ())) or "infeasible"
                warnings.append(
                    f"preferences: pair {p.id} - {item.offer_id} is infeasible ({codes}): dropped"
                )
        pools.append([scored[oid] for oid in wanted if oid in scored])
        if progress is not None:
            progress(1)
    return pools


@dataclass
class AssignmentCheck:
    """Problems of an assignment by id; all empty means valid (and stable, if prefs were given)."""

    blocking_pairs: list[tuple[str, str]] = field(default_factory=list)
    over_capacity: list[tuple[str, int, int]] = field(default_factory=list)  # offer, held, cap
    unacceptable: list[tuple[str, str]] = field(default_factory=list)  # not in both lists
    infeasible: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(
            (self.blocking_pairs, self.over_capacity, self.unacceptable, self.infeasible,
             self.unknown)
        )  # fmt: skip


def check_assignment(
    assignment: Mapping[str, str | None],
    capacities: Mapping[str, int],
    *,
    preferences: Preferences | None = None,
    feasible: Iterable[tuple[str, str]] | None = None,
) -> AssignmentCheck:
    """Report blocking pairs (against `preferences`), over-full offers and infeasible pairs.

    Works for any assignment (ours, a coach's manual one, another system's), so tests and audits
    use the same definition. Without `preferences` there is no blocking-pair check; without
    `feasible` (the set of feasible participant-offer pairs) no feasibility check.
    """
    check = AssignmentCheck()
    offer_ids = list(capacities)
    o_index = {oid: n for n, oid in enumerate(offer_ids)}
    p_ids = list(assignment)
    if preferences is not None:
        p_ids += [pid for pid in preferences.participants if pid not in assignment]
    p_index = {pid: n for n, pid in enumerate(p_ids)}
    match = np.full(len(p_ids), -1, dtype=np.int64)
    for pid, oid in assignment.items():
        if oid is None:
            continue
        if oid not in o_index:
            check.unknown.append(f"participant {pid!r}: unknown offer {oid!r}")
            continue
        match[p_index[pid]] = o_index[oid]
    if feasible is not None:
        ok_pairs = set(feasible)
        check.infeasible = [
            (pid, oid)
            for pid, oid in assignment.items()
            if oid is not None and oid in o_index and (pid, oid) not in ok_pairs
        ]
    caps = np.array([capacities[oid] for oid in offer_ids], dtype=np.int64)
    if preferences is None:
        held = np.bincount(match[match >= 0], minlength=len(offer_ids))
        check.over_capacity = [
            (offer_ids[o], int(held[o]), int(caps[o])) for o in np.flatnonzero(held > caps)
        ]
        return check
    # Ids the preferences name but the assignment does not know cannot block anything here.
    p_prefs = [
        [o_index[o] for o in preferences.participants.get(pid, ()) if o in o_index] for pid in p_ids
    ]
    o_prefs = [
        [p_index[p] for p in preferences.offers.get(oid, ()) if p in p_index] for oid in offer_ids
    ]
    report = check_stability(match, p_prefs, o_prefs, caps)
    check.blocking_pairs = [(p_ids[p], offer_ids[o]) for p, o in report.blocking_pairs]
    check.over_capacity = [(offer_ids[o], h, c) for o, h, c in report.over_capacity]
    check.unacceptable = [(p_ids[p], offer_ids[o]) for p, o in report.unacceptable]
    return check
