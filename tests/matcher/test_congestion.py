"""Capped suggestions: caps hold, nobody is skipped without cause, the spread evens out."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.congestion import (
    capped_top_k,
    exposure_caps,
    exposure_report,
    fill_multiple,
    gini,
    plain_top_k,
    suggest_for_caseload,
)
from matcher.types import Location, Participant, Suggestion


def _prefix(draw, n):
    """A random ranked list: the first few entries of a random permutation of range(n)."""
    perm = draw(st.permutations(range(n)))
    return list(perm[: draw(st.integers(0, n))])


@st.composite
def caseloads(draw):
    n_o = draw(st.integers(1, 8))
    caps = draw(st.lists(st.integers(0, 3), min_size=n_o, max_size=n_o))
    n_p = draw(st.integers(0, 20))
    candidates = [_prefix(draw, n_o) for _ in range(n_p)]
    k = draw(st.integers(1, 4))
    multiple = draw(st.sampled_from([0.5, 1.0, 2.0, 3.0]))
    return candidates, caps, k, multiple


@settings(max_examples=300, deadline=None)
@given(caseloads())
def test_caps_hold_and_nothing_is_withheld_without_cause(case):
    candidates, caps, k, multiple = case
    shown = capped_top_k(candidates, caps, k, exposure_multiple=multiple)
    cap = exposure_caps(caps, multiple)
    exposure = np.zeros(len(caps), dtype=int)
    for p, positions in enumerate(shown):
        assert positions == sorted(set(positions)) and len(positions) <= k
        for i in positions:
            exposure[candidates[p][i]] += 1
    assert np.all(exposure <= cap)
    for p, positions in enumerate(shown):
        # A candidate passed over (before the last shown, or anywhere when fewer than k were
        # shown) must be an offer whose exposure is used up.
        horizon = len(candidates[p]) if len(positions) < k else positions[-1]
        for i in range(horizon):
            if i not in positions:
                assert exposure[candidates[p][i]] == cap[candidates[p][i]]


def test_scarce_participant_goes_first():
    # o0 has one slot, cap 1 with multiple 1. p0 could also use o1; p1 has only o0.
    shown = capped_top_k([[0, 1], [0]], [1, 1], 1, exposure_multiple=1.0)
    assert shown == [[1], [0]]


def test_round_robin_gives_everyone_a_first_suggestion_before_anyone_a_second():
    # One offer, cap 2: p0 and p1 each get it; p2 with the same list still gets o1.
    candidates = [[0, 1], [0, 1], [1, 0]]
    shown = capped_top_k(candidates, [1, 1], 2, exposure_multiple=2.0)
    exposure = [0, 0]
    for p, positions in enumerate(shown):
        for i in positions:
            exposure[candidates[p][i]] += 1
    assert exposure == [2, 2]
    assert all(len(positions) >= 1 for positions in shown)


def test_large_multiple_equals_plain_top_k():
    rng = np.random.default_rng(1)
    candidates = [rng.permutation(10)[:6].tolist() for _ in range(30)]
    assert capped_top_k(candidates, [1] * 10, 4, exposure_multiple=100) == plain_top_k(
        candidates, 4
    )


def test_capacity_zero_is_never_shown_and_multiple_must_be_positive():
    assert capped_top_k([[0, 1]], [0, 1], 2) == [[1]]
    with pytest.raises(ValueError, match="exposure multiple must be positive"):
        capped_top_k([[0]], [1], 1, exposure_multiple=0)


def test_fill_multiple_makes_room_for_k_each():
    assert fill_multiple([1, 1], 10, 3, 3.0) == 15.0
    assert fill_multiple([5, 5], 2, 3, 3.0) == 3.0
    shown = capped_top_k([[0, 1]] * 10, [1, 1], 2, fill=True)
    assert all(len(positions) == 2 for positions in shown)


@pytest.mark.parametrize(
    ("values", "expected"), [([1, 1, 1], 0.0), ([0, 0, 3], 2 / 3), ([], 0.0), ([0, 0], 0.0)]
)
def test_gini(values, expected):
    assert gini(values) == pytest.approx(expected)


def test_exposure_report_on_a_hand_example():
    candidates = [[0, 1], [0, 2]]
    scores = [[0.9, 0.5], [0.8, 0.4]]
    report = exposure_report(candidates, scores, [1, 1, 0], [[0, 1], [0]])
    assert report.mean_score == pytest.approx((0.9 + 0.5 + 0.8) / 3)
    assert report.mean_top_score == pytest.approx((0.9 + 0.8) / 2)
    assert report.offers_never_suggested_share == 0.0  # o2 has no capacity: not counted
    assert report.max_exposure == 2
    assert report.exposure_gini == pytest.approx(gini([2, 1]))


class _Ranker:
    """A stand-in for OfferIndex.rank_many: fixed scored lists per participant."""

    def __init__(self, lists):
        self.lists = lists

    def rank_many(self, participants, top=10):
        for participant in participants:
            yield [
                Suggestion(participant.id, offer_id, n + 1, score, reasons=(f"why {offer_id}",))
                for n, (offer_id, score) in enumerate(self.lists[participant.id][:top])
            ]


def test_suggest_for_caseload_keeps_scores_and_reasons_and_reranks():
    here = Location(59.3, 18.0)
    people = [Participant("p1", here), Participant("p2", here)]
    ranker = _Ranker({"p1": [("o1", 0.9), ("o2", 0.7)], "p2": [("o1", 0.8), ("o3", 0.6)]})
    out = suggest_for_caseload(
        ranker, people, {"o1": 1, "o2": 1, "o3": 1}, k=2, exposure_multiple=1.0
    )
    # o1 can be shown once; p1 and p2 have two usable options each, so p1 (first) takes it.
    assert [(s.offer_id, s.rank, s.score) for s in out["p1"]] == [("o1", 1, 0.9), ("o2", 2, 0.7)]
    assert [(s.offer_id, s.rank) for s in out["p2"]] == [("o3", 1)]
    assert out["p2"][0].reasons == ("why o3",)


def test_suggest_for_caseload_with_the_real_index():
    """Does a popular offer stay within its exposure cap when a whole caseload is suggested?"""
    from matcher.index import OfferIndex
    from matcher.types import Offer

    here = Location(59.33, 18.06)
    offers = [
        Offer("star", "Lagerarbetare", here, skills_required=("truckkort",), capacity=1),
        *[Offer(f"o{i}", "Lagerarbetare", here, capacity=1) for i in range(6)],
    ]
    people = [Participant(f"p{i}", here, skills=("truckkort",)) for i in range(8)]
    index = OfferIndex(offers)
    caps = {o.id: o.capacity for o in offers}
    plain = [row for row in index.rank_many(people, 3)]
    assert sum(1 for row in plain if row[0].offer_id == "star") == 8  # everyone's favourite
    out = suggest_for_caseload(index, people, caps, k=3, exposure_multiple=2.0)
    shown = [s.offer_id for rows in out.values() for s in rows]
    assert shown.count("star") == 2
    assert all(shown.count(o) <= 2 for o in caps)
    assert all(
        rows and [s.rank for s in rows] == list(range(1, len(rows) + 1)) for rows in out.values()
    )
