"""Participant-proposing deferred acceptance with capacities (hospitals/residents).

Why a hand-written solver rather than the `matching` package: that package builds one Python
object per player and per preference and needs a raised recursion limit from 1,000 x 200 on; at
our sizes its build alone takes seconds. Here everything is integer indices in flat (CSR-style)
arrays, the offer-side rank of every proposal is looked up once with a vectorised sort, and the
proposals go in rounds of array passes (every free participant at once; an offer keeps its best
`capacity`) until few are free, then one at a time with a heap per offer. The result is the
participant-optimal stable matching, which is unique, so it equals what any correct solver
returns (the tests check it against the `matching` package).

Conventions: participants are 0..n_participants-1, offers 0..n_offers-1; a preference list is most
preferred first; a pair is acceptable only when each side lists the other; an offer of capacity 0
takes nobody. `match[p]` is the offer index or -1.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

UNMATCHED = -1
# Rounds run while at least this many participants are free; fewer finish one by one (a round
# costs a dozen array passes whatever its size; measured on both benchmark instances).
ROUND_MIN = 128


class PreferenceError(ValueError):
    """A preference list that cannot be used: out of range or repeated entries."""


@dataclass(frozen=True)
class RankedLists:
    """Ranked lists in CSR form: row r holds `indices[indptr[r]:indptr[r + 1]]`, best first."""

    indptr: np.ndarray
    indices: np.ndarray

    @classmethod
    def from_lists(cls, lists: Sequence[Sequence[int]]) -> RankedLists:
        lengths = np.fromiter((len(row) for row in lists), dtype=np.int64, count=len(lists))
        indptr = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        flat = [i for row in lists for i in row]
        indices = np.asarray(flat, dtype=np.int64) if flat else np.zeros(0, dtype=np.int64)
        return cls(indptr, indices)

    def to_lists(self) -> list[list[int]]:
        flat, ptr = self.indices.tolist(), self.indptr.tolist()
        return [flat[ptr[r] : ptr[r + 1]] for r in range(self.n_rows)]

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def rows(self) -> np.ndarray:
        """The row of every entry (same length as `indices`)."""
        return np.repeat(np.arange(self.n_rows, dtype=np.int64), np.diff(self.indptr))

    def positions(self) -> np.ndarray:
        """The position of every entry within its own row (0 = most preferred)."""
        return np.arange(len(self.indices), dtype=np.int64) - np.repeat(
            self.indptr[:-1], np.diff(self.indptr)
        )

    def validate(self, n_targets: int, side: str) -> None:
        """Raise PreferenceError naming the first bad row: index out of range or listed twice."""
        idx = self.indices
        bad = np.flatnonzero((idx < 0) | (idx >= n_targets))
        if len(bad):
            row = int(self.rows()[bad[0]])
            raise PreferenceError(f"{side} {row}: index {int(idx[bad[0]])} out of range")
        keys = self.rows() * max(n_targets, 1) + idx
        order = np.argsort(keys, kind="stable")
        dup = np.flatnonzero(np.diff(keys[order]) == 0)
        if len(dup):
            entry = order[dup[0]]
            row = int(self.rows()[entry])
            raise PreferenceError(f"{side} {row}: index {int(idx[entry])} listed twice")


def _as_lists(prefs: RankedLists | Sequence[Sequence[int]]) -> RankedLists:
    return prefs if isinstance(prefs, RankedLists) else RankedLists.from_lists(prefs)


def _offer_ranks(
    participant_prefs: RankedLists, offer_prefs: RankedLists, n_participants: int
) -> np.ndarray:
    """For each entry of the participants' lists, that participant's rank in the offer's list.

    -1 where the offer does not list the participant (the pair is unacceptable). One sort and one
    binary search over all entries instead of a rank matrix (which would be n_p x n_o).
    """
    n = max(n_participants, 1)
    offer_keys = offer_prefs.rows() * n + offer_prefs.indices
    order = np.argsort(offer_keys, kind="stable")
    sorted_keys = offer_keys[order]
    sorted_ranks = offer_prefs.positions()[order]
    wanted = participant_prefs.indices * n + participant_prefs.rows()
    at = np.searchsorted(sorted_keys, wanted)
    at_clipped = np.minimum(at, max(len(sorted_keys) - 1, 0))
    if len(sorted_keys) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    found = sorted_keys[at_clipped] == wanted
    return np.where(found, sorted_ranks[at_clipped], -1)


def deferred_acceptance(
    participant_prefs: RankedLists | Sequence[Sequence[int]],
    offer_prefs: RankedLists | Sequence[Sequence[int]],
    capacities: Sequence[int] | np.ndarray,
) -> np.ndarray:
    """The participant-optimal stable matching: `match[p]` is an offer index or -1.

    Every free participant proposes down its own list; an offer holds the best `capacity`
    proposers it has seen and releases its worst when a better one comes. The order in which free
    participants propose does not change the result.
    """
    p_lists = _as_lists(participant_prefs)
    o_lists = _as_lists(offer_prefs)
    caps = np.asarray(capacities, dtype=np.int64)
    n_p, n_o = p_lists.n_rows, o_lists.n_rows
    if len(caps) != n_o:
        raise PreferenceError(f"{len(caps)} capacities for {n_o} offers")
    if np.any(caps < 0):
        raise PreferenceError(f"offer {int(np.flatnonzero(caps < 0)[0])}: negative capacity")
    p_lists.validate(n_o, "participant")
    o_lists.validate(n_p, "offer")

    ranks = _offer_ranks(p_lists, o_lists, n_p)
    return propose(p_lists.indptr, p_lists.indices, ranks, caps)


def propose(
    p_indptr: np.ndarray, p_offers: np.ndarray, p_ranks: np.ndarray, caps: np.ndarray
) -> np.ndarray:
    """The proposal rounds of `deferred_acceptance` on prepared, already checked arrays.

    Participant p's list is `p_offers[p_indptr[p]:p_indptr[p + 1]]`, best first; `p_ranks` gives
    for each entry the offer's rank of that participant (-1: the offer does not list them). For
    callers that know the ranks already (the allocate command builds them while reading).

    Rounds, as array passes: every free participant proposes to the next offer on its list that
    could still take it, and each offer keeps the best `capacity` of those it holds and those who
    proposed. An offer that is full takes only someone it ranks above its worst held participant,
    and that bar only rises, so a proposal below it is skipped at once. When fewer than
    `ROUND_MIN` are free, the rest goes one proposal at a time (long displacement chains would
    otherwise cost a round each). Which proposals go in the same round does not change the result
    (the participant-optimal stable matching is unique); the tests compare it with the `matching`
    package and with a one-at-a-time reference, at several hand-over points.
    """
    n_p = len(p_indptr) - 1
    caps = np.asarray(caps, dtype=np.int64)
    match = np.full(n_p, UNMATCHED, dtype=np.int64)
    if not len(p_offers):
        return match
    # An offer without capacity takes nobody: mark those pairs unacceptable up front.
    ranks = np.where(caps[p_offers] == 0, -1, p_ranks).astype(np.int64)
    bar = np.full(len(caps), np.iinfo(np.int64).max, dtype=np.int64)  # rank to beat, when full
    span = np.int64(int(ranks.max()) + 1)
    nxt = p_indptr[:-1].astype(np.int64)
    end = p_indptr[1:].astype(np.int64)
    held_p = held_o = held_r = np.zeros(0, dtype=np.int64)
    free = np.flatnonzero(nxt < end)
    while len(free) >= ROUND_MIN:
        entry = nxt[free]
        o, r = p_offers[entry], ranks[entry]
        refused = (r < 0) | (r >= bar[o])
        while refused.any():  # walk past offers that would refuse them anyway
            entry = entry + refused
            left = entry < end[free]
            if not left.all():
                nxt[free[~left]] = entry[~left]
                free, entry = free[left], entry[left]
            o, r = p_offers[entry], ranks[entry]
            refused = (r < 0) | (r >= bar[o])
        if not len(free):
            break
        nxt[free] = entry + 1
        cand_p = np.concatenate((held_p, free))
        cand_o = np.concatenate((held_o, o))
        cand_r = np.concatenate((held_r, r))
        order = np.argsort(cand_o * span + cand_r, kind="stable")  # by offer, best rank first
        by_offer = cand_o[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = by_offer[1:] != by_offer[:-1]
        place = np.arange(len(order))
        place -= np.maximum.accumulate(np.where(first, place, 0))  # position within the offer
        kept = place < caps[by_offer]
        last = kept & (place == caps[by_offer] - 1)  # the worst one a full offer holds
        bar[by_offer[last]] = cand_r[order[last]]
        chosen = order[kept]
        held_p, held_o, held_r = cand_p[chosen], cand_o[chosen], cand_r[chosen]
        losers = cand_p[order[~kept]]
        match[losers] = UNMATCHED
        match[held_p] = held_o
        free = losers[nxt[losers] < end[losers]]
    if len(free):  # a few left: a round's fixed cost would exceed their proposals' cost
        held = (held_p, held_o, held_r)
        return _one_by_one(free, nxt, end, p_offers, ranks, caps, held, match)
    return match


def _one_by_one(free, nxt, end, p_offers, ranks, caps, held, match) -> np.ndarray:
    """The textbook loop from a state the rounds left: one free participant proposes at a time;
    each offer keeps a heap of (negated rank, participant) so its worst is at the top. Only the
    lists of those who propose here are turned into Python lists."""
    next_entry, ends, cap = nxt.tolist(), end.tolist(), caps.tolist()
    out = match.tolist()
    heaps: list[list[tuple[int, int]]] = [[] for _ in cap]
    for p, o, r in zip(*(column.tolist() for column in held), strict=True):
        heaps[o].append((-r, p))
    for heap in heaps:
        heapq.heapify(heap)
    heappush, heapreplace = heapq.heappush, heapq.heapreplace
    waiting = free.tolist()
    while waiting:
        p = waiting.pop()
        i, stop = next_entry[p], ends[p]
        for r, o in zip(ranks[i:stop].tolist(), p_offers[i:stop].tolist(), strict=True):
            i += 1
            if r < 0:
                continue
            heap = heaps[o]
            if len(heap) < cap[o]:
                heappush(heap, (-r, p))
                out[p] = o
                break
            if -heap[0][0] > r:
                loser = heapreplace(heap, (-r, p))[1]
                out[loser] = UNMATCHED
                waiting.append(loser)
                out[p] = o
                break
        next_entry[p] = i
    return np.asarray(out, dtype=np.int64)


@dataclass
class StabilityReport:
    """What is wrong with an assignment; empty lists mean valid and stable."""

    blocking_pairs: list[tuple[int, int]] = field(default_factory=list)
    over_capacity: list[tuple[int, int, int]] = field(default_factory=list)  # offer, held, cap
    unacceptable: list[tuple[int, int]] = field(default_factory=list)  # participant, offer

    @property
    def ok(self) -> bool:
        return not (self.blocking_pairs or self.over_capacity or self.unacceptable)


def check_stability(
    match: Sequence[int] | np.ndarray,
    participant_prefs: RankedLists | Sequence[Sequence[int]],
    offer_prefs: RankedLists | Sequence[Sequence[int]],
    capacities: Sequence[int] | np.ndarray,
) -> StabilityReport:
    """Blocking pairs, over-full offers and unacceptable pairs of any assignment.

    A pair (p, o) blocks when both list each other, p is unmatched or prefers o to its match, and
    o has a free slot or holds someone it ranks below p. Written independently of
    `deferred_acceptance` (vectorised over all list entries) so that each can check the other.
    """
    p_lists = _as_lists(participant_prefs)
    o_lists = _as_lists(offer_prefs)
    caps = np.asarray(capacities, dtype=np.int64)
    m = np.asarray(match, dtype=np.int64)
    n_p, n_o = p_lists.n_rows, o_lists.n_rows
    report = StabilityReport()
    ranks = _offer_ranks(p_lists, o_lists, n_p)
    rows = p_lists.rows()

    # Rank each matched participant holds at its offer (-1 if the pair is unacceptable).
    is_match = p_lists.indices == m[rows]
    rank_at_match = np.full(n_p, -1, dtype=np.int64)
    rank_at_match[rows[is_match]] = ranks[is_match]
    pos_of_match = np.full(n_p, np.iinfo(np.int64).max, dtype=np.int64)
    pos_of_match[rows[is_match]] = p_lists.positions()[is_match]
    matched = np.flatnonzero(m >= 0)
    for p in matched[rank_at_match[matched] < 0].tolist():
        report.unacceptable.append((p, int(m[p])))

    held = np.bincount(m[matched], minlength=n_o) if len(matched) else np.zeros(n_o, np.int64)
    for o in np.flatnonzero(held > caps).tolist():
        report.over_capacity.append((o, int(held[o]), int(caps[o])))
    worst = np.full(n_o, -1, dtype=np.int64)
    ok = matched[rank_at_match[matched] >= 0]
    np.maximum.at(worst, m[ok], rank_at_match[ok])

    o = p_lists.indices
    blocks = (
        (ranks >= 0)
        & (caps[o] > 0)
        & (p_lists.positions() < pos_of_match[rows])
        & ((held[o] < caps[o]) | (ranks < worst[o]))
    )
    report.blocking_pairs = list(zip(rows[blocks].tolist(), o[blocks].tolist(), strict=True))
    return report
