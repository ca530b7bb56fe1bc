"""Deferred acceptance against the `matching` package and against the definition of stability."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import stable
from matcher.stable import (
    PreferenceError,
    RankedLists,
    check_stability,
    deferred_acceptance,
)


def oracle(participant_prefs, offer_prefs, capacities):
    """The `matching` package's resident-optimal HR matching, as `match[p]`.

    The package raises IndexError for a hospital of capacity 0 and for an empty list, and warns
    about (and, uncleaned, mishandles) one-sided pairs. Those are facts of the instance, not
    reasons to skip it, so the input is reduced to what they mean: only mutually acceptable pairs
    at offers with capacity, and players left with nothing are simply unmatched.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from matching.games import HospitalResident

        listed_by_offer = [set(row) for row in offer_prefs]
        listed_by_part = [set(row) for row in participant_prefs]
        res = {
            f"r{p}": [f"h{o}" for o in row if capacities[o] > 0 and p in listed_by_offer[o]]
            for p, row in enumerate(participant_prefs)
        }
        hos = {
            f"h{o}": [f"r{p}" for p in row if o in listed_by_part[p]]
            for o, row in enumerate(offer_prefs)
            if capacities[o] > 0
        }
        res = {name: row for name, row in res.items() if row}
        hos = {name: row for name, row in hos.items() if row}
        match = np.full(len(participant_prefs), -1, dtype=np.int64)
        if not res:
            return match
        caps = {name: capacities[int(name[1:])] for name in hos}
        game = HospitalResident.create_from_dictionaries(res, hos, caps)
        for hospital, residents in game.solve(optimal="resident").items():
            for resident in residents:
                match[int(resident.name[1:])] = int(hospital.name[1:])
        return match


def _prefix(draw, n):
    """A random ranked list: the first few entries of a random permutation of range(n)."""
    perm = draw(st.permutations(range(n)))
    return list(perm[: draw(st.integers(0, n))])


@st.composite
def instances(draw, max_participants=9, max_offers=6):
    n_p = draw(st.integers(0, max_participants))
    n_o = draw(st.integers(0, max_offers))
    caps = draw(st.lists(st.integers(0, 3), min_size=n_o, max_size=n_o))
    p_prefs = [_prefix(draw, n_o) for _ in range(n_p)]
    listed = [[p for p in range(n_p) if o in p_prefs[p]] for o in range(n_o)]
    o_prefs = []
    for o in range(n_o):
        # Mostly the participants who listed the offer (so many pairs are mutual), some dropped
        # (one-sided pairs), plus now and then someone who never listed it.
        keep = [p for p in listed[o] if draw(st.integers(0, 4)) > 0]
        extra = [p for p in range(n_p) if p not in listed[o] and draw(st.integers(0, 5)) == 0]
        o_prefs.append(list(draw(st.permutations(keep + extra))))
    return p_prefs, o_prefs, caps


@settings(max_examples=400, deadline=None)
@given(instances())
def test_same_matching_as_the_matching_package(instance):
    p_prefs, o_prefs, caps = instance
    ours = deferred_acceptance(p_prefs, o_prefs, caps)
    assert ours.tolist() == oracle(p_prefs, o_prefs, caps).tolist()


@pytest.mark.parametrize("seed", range(5))
def test_same_matching_as_the_matching_package_on_larger_instances(seed):
    # Long displacement chains: 300 participants with lists of 8 over 40 offers of 0-4 slots.
    rng = np.random.default_rng(seed)
    p_prefs = [rng.choice(40, 8, replace=False).tolist() for _ in range(300)]
    o_prefs = [
        [p for p in rng.permutation(300).tolist() if o in p_prefs[p] and rng.random() < 0.9]
        for o in range(40)
    ]
    caps = rng.integers(0, 5, 40).tolist()
    ours = deferred_acceptance(p_prefs, o_prefs, caps)
    assert ours.tolist() == oracle(p_prefs, o_prefs, caps).tolist()
    assert (ours >= 0).sum() > 50


def one_at_a_time(participant_prefs, offer_prefs, capacities):
    """The textbook loop: one free participant proposes to its next offer; the offer keeps its
    best `capacity` and releases the worst. A reference for the round-based solver."""
    rank = [{p: r for r, p in enumerate(row)} for row in offer_prefs]
    held = [[] for _ in offer_prefs]
    nxt = [0] * len(participant_prefs)
    match = [-1] * len(participant_prefs)
    free = list(range(len(participant_prefs)))
    while free:
        p = free.pop()
        while nxt[p] < len(participant_prefs[p]):
            o = participant_prefs[p][nxt[p]]
            nxt[p] += 1
            if p not in rank[o] or capacities[o] == 0:
                continue
            held[o].append(p)
            held[o].sort(key=rank[o].get)
            if len(held[o]) <= capacities[o]:
                match[p] = o
                break
            loser = held[o].pop()
            if loser != p:
                match[p], match[loser] = o, -1
                free.append(loser)
                break
    return match


@settings(max_examples=300, deadline=None)
@given(instances(max_participants=40, max_offers=12))
def test_rounds_give_the_same_matching_as_one_proposal_at_a_time(instance):
    """All in rounds, all one by one, and rounds handing over to the loop part-way."""
    p_prefs, o_prefs, caps = instance
    expected = one_at_a_time(p_prefs, o_prefs, caps)
    saved = stable.ROUND_MIN
    try:
        for round_min in (1, 3, 10**9):
            stable.ROUND_MIN = round_min
            assert deferred_acceptance(p_prefs, o_prefs, caps).tolist() == expected, round_min
    finally:
        stable.ROUND_MIN = saved


@settings(max_examples=300, deadline=None)
@given(instances(max_participants=25, max_offers=10))
def test_result_is_stable_and_within_capacity(instance):
    p_prefs, o_prefs, caps = instance
    report = check_stability(deferred_acceptance(p_prefs, o_prefs, caps), p_prefs, o_prefs, caps)
    assert report.ok, report


def test_capacity_zero_empty_lists_and_nobody_accepts():
    # p0 only wants o0 (capacity 0); p1 has no list; p2 wants o1, which does not list p2;
    # p3 and p4 compete for o2's single slot, which prefers p4.
    p_prefs = [[0], [], [1], [2, 1], [2]]
    o_prefs = [[0], [3], [4, 3]]
    match = deferred_acceptance(p_prefs, o_prefs, [0, 1, 1])
    assert match.tolist() == [-1, -1, -1, 1, 2]


def test_a_better_proposer_displaces_the_worst_held():
    # o0 (capacity 2) prefers p2 > p0 > p1; p2 arrives last and pushes p1 to o1.
    p_prefs = [[0], [0, 1], [0]]
    o_prefs = [[2, 0, 1], [1]]
    assert deferred_acceptance(p_prefs, o_prefs, [2, 1]).tolist() == [0, 1, 0]


def test_check_stability_finds_blocking_pair_and_over_capacity():
    p_prefs = [[0, 1], [0]]
    o_prefs = [[0, 1], [0]]
    # p0 sits at o1 but prefers o0, and o0 prefers p0 to its p1: (0, 0) blocks.
    report = check_stability([1, 0], p_prefs, o_prefs, [1, 1])
    assert report.blocking_pairs == [(0, 0)]
    report = check_stability([0, 0], p_prefs, o_prefs, [1, 1])
    assert report.over_capacity == [(0, 2, 1)]
    report = check_stability([-1, 1], p_prefs, o_prefs, [1, 1])
    assert report.unacceptable == [(1, 1)]
    assert not report.ok


def test_accepts_csr_input_and_matches_list_input():
    rng = np.random.default_rng(3)
    p_prefs = [rng.choice(30, 5, replace=False).tolist() for _ in range(100)]
    o_prefs = [[p for p in rng.permutation(100).tolist() if o in p_prefs[p]] for o in range(30)]
    caps = rng.integers(0, 4, 30).tolist()
    from_lists = deferred_acceptance(p_prefs, o_prefs, caps)
    from_csr = deferred_acceptance(
        RankedLists.from_lists(p_prefs), RankedLists.from_lists(o_prefs), np.array(caps)
    )
    assert from_lists.tolist() == from_csr.tolist()
    assert RankedLists.from_lists(p_prefs).to_lists() == p_prefs
    assert check_stability(from_lists, p_prefs, o_prefs, caps).ok


@pytest.mark.parametrize(
    ("p_prefs", "o_prefs", "caps", "message"),
    [
        ([[0, 0]], [[0]], [1], "participant 0: index 0 listed twice"),
        ([[2]], [[0]], [1], "participant 0: index 2 out of range"),
        ([[0]], [[0, 1]], [1], "offer 0: index 1 out of range"),
        ([[0]], [[0]], [-1], "offer 0: negative capacity"),
        ([[0]], [[0]], [1, 1], "2 capacities for 1 offers"),
    ],
)
def test_bad_preferences_are_named(p_prefs, o_prefs, caps, message):
    with pytest.raises(PreferenceError, match=message):
        deferred_acceptance(p_prefs, o_prefs, caps)
