"""Maximum-total-score assignment under offer capacities, as a min-cost flow.

Why OR-Tools `SimpleMinCostFlow`: at our sizes (10,000 participants x 2,500 offers, top-20 lists,
capacity about 5) it solves in well under a second from flat arrays, with capacities as arc
capacities so nothing is expanded. The alternative, scipy's sparse LAPJV
(`min_weight_full_bipartite_matching`), needs every offer expanded into one column per slot plus
a dummy column per participant; `bench_allocate` measures both and the flow is several times
faster there (figures in benchmarks/ALLOCATE.md). A dense `linear_sum_assignment` on the expanded
matrix would need 10,000 x 22,500 cells; it is kept for the tests on small instances.

The network: every participant node supplies one unit; it flows either along a candidate arc
(capacity 1, cost = -score scaled to an integer) to an offer node and on to the sink (capacity =
the offer's capacity), or along a bypass arc straight to the sink at cost 0. So nobody is forced
into a placement, only positive scores are worth taking, and the flow is always feasible.
Costs are integers: scores are multiplied by `scale` (default 10^6) and rounded, so the total is
optimal to within n_participants / (2 * scale) of the real-valued optimum.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ortools.graph.python import min_cost_flow

UNMATCHED = -1
DEFAULT_SCALE = 1_000_000


class AssignmentError(ValueError):
    """Candidate pairs that cannot be used: out of range, repeated or not finite."""


def _validate(n_participants, n_offers, pairs_p, pairs_o, scores, caps) -> None:
    if not (len(pairs_p) == len(pairs_o) == len(scores)):
        raise AssignmentError("participant, offer and score arrays differ in length")
    if len(caps) != n_offers:
        raise AssignmentError(f"{len(caps)} capacities for {n_offers} offers")
    if np.any(caps < 0):
        raise AssignmentError(f"offer {int(np.flatnonzero(caps < 0)[0])}: negative capacity")
    for name, idx, n in (("participant", pairs_p, n_participants), ("offer", pairs_o, n_offers)):
        bad = np.flatnonzero((idx < 0) | (idx >= n))
        if len(bad):
            raise AssignmentError(
                f"pair {int(bad[0])}: {name} index {int(idx[bad[0]])} out of range"
            )
    bad = np.flatnonzero(~np.isfinite(scores))
    if len(bad):
        raise AssignmentError(f"pair {int(bad[0])}: score is not a finite number")
    keys = pairs_p * max(n_offers, 1) + pairs_o
    order = np.argsort(keys, kind="stable")
    dup = np.flatnonzero(np.diff(keys[order]) == 0)
    if len(dup):
        i = int(order[dup[0] + 1])
        raise AssignmentError(
            f"pair {i}: participant {int(pairs_p[i])} and offer {int(pairs_o[i])} given twice"
        )


def max_score_assignment(
    n_participants: int,
    n_offers: int,
    pairs_participant: Sequence[int] | np.ndarray,
    pairs_offer: Sequence[int] | np.ndarray,
    pairs_score: Sequence[float] | np.ndarray,
    capacities: Sequence[int] | np.ndarray,
    *,
    scale: int = DEFAULT_SCALE,
) -> np.ndarray:
    """`match[p]` (offer index or -1) maximising the summed score of the chosen pairs.

    The candidate pairs are the feasible ones (COO form: three parallel arrays); a pair absent
    from them is never assigned. Pairs whose scaled score is not positive, and offers of
    capacity 0, are left out before solving: taking them could not raise the total.
    """
    pp = np.asarray(pairs_participant, dtype=np.int64)
    po = np.asarray(pairs_offer, dtype=np.int64)
    ps = np.asarray(pairs_score, dtype=np.float64)
    caps = np.asarray(capacities, dtype=np.int64)
    _validate(n_participants, n_offers, pp, po, ps, caps)

    cost = -np.rint(ps * scale).astype(np.int64)
    keep = (cost < 0) & (caps[po] > 0) if len(po) else np.zeros(0, dtype=bool)
    pp, po, cost = pp[keep], po[keep], cost[keep]
    match = np.full(n_participants, UNMATCHED, dtype=np.int64)
    if len(pp) == 0:
        return match

    # Node numbering: participants, then offers, then the sink. Only participants with at least
    # one candidate enter the network; the others are unassigned by definition.
    people = np.unique(pp)
    n_nodes = n_participants + n_offers + 1
    sink = n_nodes - 1
    offers = np.unique(po)
    starts = np.concatenate([pp, people, n_participants + offers])
    ends = np.concatenate(
        [n_participants + po, np.full(len(people), sink), np.full(len(offers), sink)]
    )
    arc_caps = np.concatenate(
        [np.ones(len(pp), np.int64), np.ones(len(people), np.int64), caps[offers]]
    )
    costs = np.concatenate([cost, np.zeros(len(people) + len(offers), np.int64)])

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(starts, ends, arc_caps, costs)
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[people] = 1
    supplies[sink] = -len(people)
    # Without explicit supplies the solver happily returns the zero flow.
    flow.set_nodes_supplies(np.arange(n_nodes), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not reach an optimum (status {status})")
    used = flow.flows(arcs[: len(pp)]) > 0
    match[pp[used]] = po[used]
    return match


def total_score(
    match: np.ndarray,
    pairs_participant: Sequence[int] | np.ndarray,
    pairs_offer: Sequence[int] | np.ndarray,
    pairs_score: Sequence[float] | np.ndarray,
) -> float:
    """Summed score of the assigned pairs (pairs not among the candidates count as 0)."""
    pp = np.asarray(pairs_participant, dtype=np.int64)
    po = np.asarray(pairs_offer, dtype=np.int64)
    chosen = np.asarray(match, dtype=np.int64)[pp] == po
    return float(np.asarray(pairs_score, dtype=np.float64)[chosen].sum())
