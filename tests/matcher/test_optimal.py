"""Optimal assignment against brute force (tiny) and scipy's assignment solver (medium)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matcher.optimal import AssignmentError, max_score_assignment, total_score


def brute_force(n_p, caps, pairs):
    """Best total over every way of giving each participant one candidate or nothing."""
    options = [[None] + [(o, s) for (q, o, s) in pairs if q == p] for p in range(n_p)]
    best = 0.0
    for choice in itertools.product(*options):
        load = [0] * len(caps)
        total = 0.0
        for pick in choice:
            if pick is not None:
                load[pick[0]] += 1
                total += pick[1]
        if all(load[o] <= caps[o] for o in range(len(caps))):
            best = max(best, total)
    return best


def expanded_assignment_total(n_p, caps, pp, po, ps):
    """Second solver: one column per slot, weight 0 for a non-candidate, maximise."""
    slot_offer = np.repeat(np.arange(len(caps)), caps)
    weights = np.zeros((n_p, max(len(slot_offer), 1)))
    for p, o, s in zip(pp, po, ps, strict=True):
        weights[p, slot_offer == o] = max(s, 0.0)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return float(weights[rows, cols].sum())


def check_valid(match, caps, pp, po):
    candidates = set(zip(np.asarray(pp).tolist(), np.asarray(po).tolist(), strict=True))
    for p, o in enumerate(match.tolist()):
        assert o == -1 or (p, o) in candidates, (p, o)
    load = np.bincount(match[match >= 0], minlength=len(caps))
    assert np.all(load <= np.asarray(caps))


@st.composite
def tiny(draw):
    n_p = draw(st.integers(0, 5))
    n_o = draw(st.integers(0, 3))
    caps = draw(st.lists(st.integers(0, 2), min_size=n_o, max_size=n_o))
    pairs = []
    for p in range(n_p):
        for o in range(n_o):
            if draw(st.booleans()):
                # Scores on a coarse grid, zero and negative included: they must not be taken.
                pairs.append((p, o, draw(st.integers(-2, 10)) / 10))
    return n_p, caps, pairs


@settings(max_examples=300, deadline=None)
@given(tiny())
def test_matches_brute_force(instance):
    n_p, caps, pairs = instance
    pp = [p for p, _, _ in pairs]
    po = [o for _, o, _ in pairs]
    ps = [s for _, _, s in pairs]
    match = max_score_assignment(n_p, len(caps), pp, po, ps, caps)
    check_valid(match, caps, pp, po)
    assert total_score(match, pp, po, ps) == pytest.approx(brute_force(n_p, caps, pairs), abs=1e-6)
    # Nobody is placed on a pair worth nothing.
    chosen = {(p, o) for p, o in enumerate(match.tolist()) if o >= 0}
    assert all(s > 0 for p, o, s in pairs if (p, o) in chosen)


@pytest.mark.parametrize("seed", range(6))
def test_matches_scipy_on_medium_instances(seed):
    rng = np.random.default_rng(seed)
    n_p, n_o, top = 120, 40, 8
    caps = rng.integers(0, 4, n_o)
    pp = np.repeat(np.arange(n_p), top)
    po = np.concatenate([rng.choice(n_o, top, replace=False) for _ in range(n_p)])
    ps = rng.random(len(pp)).round(4)
    match = max_score_assignment(n_p, n_o, pp, po, ps, caps)
    check_valid(match, caps, pp, po)
    ours = total_score(match, pp, po, ps)
    assert ours == pytest.approx(expanded_assignment_total(n_p, caps, pp, po, ps), abs=1e-6)
    assert (match >= 0).sum() > 0


def test_does_not_force_a_perfect_matching():
    # Two people, one slot: the better-scoring one gets it, the other stays unassigned.
    match = max_score_assignment(2, 1, [0, 1], [0, 0], [0.4, 0.9], [1])
    assert match.tolist() == [-1, 0]


def test_prefers_total_over_greedy():
    # Greedy would give p0 its 0.9 at o0 and leave p1 (only o0) out: 0.9 < 0.8 + 0.7.
    match = max_score_assignment(2, 2, [0, 0, 1], [0, 1, 0], [0.9, 0.8, 0.7], [1, 1])
    assert match.tolist() == [1, 0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1, 1, [0], [1], [0.5], [1]), "pair 0: offer index 1 out of range"),
        ((1, 1, [0, 0], [0, 0], [0.5, 0.4], [1]), "pair 1: participant 0 and offer 0 given twice"),
        ((1, 1, [0], [0], [float("nan")], [1]), "pair 0: score is not a finite number"),
        ((1, 1, [0], [0], [0.5], [-1]), "offer 0: negative capacity"),
    ],
)
def test_bad_pairs_are_named(args, message):
    with pytest.raises(AssignmentError, match=message):
        max_score_assignment(*args)
