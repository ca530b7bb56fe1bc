"""Explicit preferences without explanations check only the listed pairs' feasibility: the
same matching and the same dropped pairs as the scoring path, on random instances with every
kind of hard constraint, and the exact commute limit decided the same way on both paths."""

from __future__ import annotations

import random

import numpy as np
import pytest

from matcher.allocate import Preferences, allocate
from matcher.constraints import (
    OfferConstraintArrays,
    ParticipantConstraints,
    stack_constraints,
    violations,
)
from matcher.geo import chord_km, pair_chord_km, unit_vectors
from matcher.index import OfferIndex
from matcher.types import HoursRange, Location, Offer, Participant

PLACES = [
    Location(59.3267, 14.5239),  # Karlskoga
    Location(59.2378, 14.4306),  # Degerfors
    Location(59.2741, 15.2066),  # Örebro
    Location(56.6634, 16.3568),  # Kalmar
]


def random_instance(seed: int, n_p: int = 40, n_o: int = 15, length: int = 6):
    rng = random.Random(seed)
    offers = [
        Offer(
            f"o{i}",
            rng.choice(["Lagerarbetare", "Städare", "Kock", "Butikssäljare"]),
            rng.choice(PLACES),
            hours_per_week=rng.choice([None, HoursRange(10, 20), HoursRange(30, 40)]),
            swedish_level=rng.choice(["none", "basic", "good"]),
            requires_driving_licence=rng.random() < 0.2,
            physical_demands=frozenset(
                rng.sample(["heavy_lifting", "standing"], rng.randint(0, 1))
            ),
            accessibility=frozenset(rng.sample(["step_free", "quiet_space"], rng.randint(0, 2))),
            capacity=rng.choice([0, 1, 1, 2, 3]),
        )
        for i in range(n_o)
    ]
    people = [
        Participant(
            f"p{i}",
            rng.choice(PLACES),
            max_commute_km=rng.choice([None, 5.0, 30.0, 120.0]),
            hours_per_week=rng.choice([None, HoursRange(8, 16), HoursRange(25, 40)]),
            swedish_level=rng.choice(["none", "basic", "good", "fluent"]),
            driving_licence=rng.random() < 0.5,
            cannot=frozenset(rng.sample(["heavy_lifting", "standing"], rng.randint(0, 1))),
            needs=frozenset(rng.sample(["step_free", "quiet_space"], rng.randint(0, 1))),
        )
        for i in range(n_p)
    ]
    p_lists = {p.id: [o.id for o in rng.sample(offers, length)] for p in people}
    o_lists = {}
    for o in offers:
        fans = [p.id for p in people if o.id in p_lists[p.id] or rng.random() < 0.1]
        rng.shuffle(fans)
        o_lists[o.id] = fans
    return people, offers, Preferences(p_lists, o_lists)


@pytest.mark.parametrize("seed", range(12))
def test_listed_pairs_path_equals_the_scoring_path(seed):
    people, offers, prefs = random_instance(seed)
    index = OfferIndex(offers)
    scored = allocate(people, offers, mode="stable", preferences=prefs, index=index)
    fast = allocate(people, offers, mode="stable", preferences=prefs, explain=False)
    assert fast.offer_for() == scored.offer_for()
    assert sorted(fast.warnings) == sorted(scored.warnings)
    assert fast.total_score is None and scored.total_score is not None
    assert all(a.score is None and a.suggestion is None for a in fast.assignments)


def test_the_instances_exercise_every_constraint():
    """The equality above means something only if pairs really are dropped for each rule."""
    codes = set()
    for seed in range(12):
        people, offers, prefs = random_instance(seed)
        result = allocate(people, offers, mode="stable", preferences=prefs, explain=False)
        for warning in result.warnings:
            codes |= set(warning.split("(")[1].split(")")[0].split(", "))
    assert codes >= {"distance", "hours", "swedish", "licence", "physical", "access", "capacity"}


def test_pair_distances_have_the_same_bits_as_the_ranker():
    rng = np.random.default_rng(3)
    lat_a, lon_a = rng.uniform(55, 69, 50), rng.uniform(11, 24, 50)
    lat_b, lon_b = rng.uniform(55, 69, 70), rng.uniform(11, 24, 70)
    full = chord_km(unit_vectors(lat_a, lon_a), unit_vectors(lat_b, lon_b))
    pa, pb = np.repeat(np.arange(50), 70), np.tile(np.arange(70), 50)
    pairs = pair_chord_km(unit_vectors(lat_a, lon_a)[pa], unit_vectors(lat_b, lon_b)[pb])
    assert np.array_equal(pairs, full.ravel())


def test_a_commute_exactly_at_the_limit_is_decided_alike():
    home, work = PLACES[0], PLACES[1]
    km = float(
        chord_km(unit_vectors([home.lat], [home.lon]), unit_vectors([work.lat], [work.lon]))[0, 0]
    )
    offers = [Offer("o1", "Lagerarbetare", work)]
    for limit, ok in ((km, True), (np.nextafter(km, 0), False)):
        people = [Participant("p1", home, max_commute_km=limit)]
        prefs = Preferences({"p1": ["o1"]}, {"o1": ["p1"]})
        fast = allocate(people, offers, mode="stable", preferences=prefs, explain=False)
        slow = allocate(people, offers, mode="stable", preferences=prefs, index=OfferIndex(offers))
        assert fast.offer_for() == slow.offer_for() == {"p1": "o1" if ok else None}


def test_stacked_constraints_give_the_per_participant_verdicts():
    people, offers, _prefs = random_instance(5)
    arrays = OfferConstraintArrays.from_offers(offers)
    pcs = [ParticipantConstraints.of(p) for p in people[:3]]
    dist = np.full(len(offers), 10.0)
    stacked = stack_constraints([pc for pc in pcs for _ in offers])
    rows = np.tile(np.arange(len(offers)), 3)
    pairwise = violations(arrays.take(rows), stacked, np.tile(dist, 3))
    for n, pc in enumerate(pcs):
        single = violations(arrays, pc, dist)
        for code, mask in single.items():
            assert np.array_equal(pairwise[code][n * len(offers) : (n + 1) * len(offers)], mask)


def test_constraint_columns_equal_the_per_person_constraints():
    """The column-wise build used by the listed-pairs path gives what `of` + stacking gives."""
    people, _offers, _prefs = random_instance(5, n_p=60)
    rows = np.array([3, 0, 59, 3, 17])
    from matcher.constraints import participant_constraint_arrays

    columns = participant_constraint_arrays(people, rows)
    stacked = stack_constraints([ParticipantConstraints.of(people[i]) for i in rows.tolist()])
    for name in ParticipantConstraints.__slots__:
        assert np.array_equal(getattr(columns, name), getattr(stacked, name)), name


@pytest.mark.parametrize("seed", range(4))
def test_ranks_and_repeats_by_table_and_by_sorting(seed, monkeypatch):
    """Small games use an uninitialised table indexed by key, huge ones a sort: same ranks, and
    both refuse a key repeated on either side. The table is filled with junk first, so a cell
    nobody wrote can never pass for a rank."""
    import matcher.allocate as allocation

    rng = np.random.default_rng(seed)
    size = 10**6
    o_keys = rng.choice(size, 5_000, replace=False)
    o_ranks = rng.integers(0, 50, len(o_keys))
    p_keys = np.concatenate([rng.permutation(o_keys)[:2_000],
                             rng.choice(np.setdiff1d(np.arange(size), o_keys), 2_000, replace=False)])  # fmt: skip
    rank_of = dict(zip(o_keys.tolist(), o_ranks.tolist(), strict=True))
    expected = [rank_of.get(k, -1) for k in p_keys.tolist()]
    real_empty = np.empty
    monkeypatch.setattr(allocation.np, "empty", lambda n, dtype: np.full(n, 3, dtype))
    try:
        by_table = allocation._ranks_unless_repeats(p_keys, o_keys, o_ranks, size)
    finally:
        monkeypatch.setattr(allocation.np, "empty", real_empty)
    by_sorting = allocation._ranks_unless_repeats(p_keys, o_keys, o_ranks, 10**9)
    assert by_table.tolist() == expected == by_sorting.tolist()
    twice_p = np.concatenate([p_keys, p_keys[-1:]])
    twice_o = np.concatenate([o_keys, o_keys[:1]])
    for limit in (size, 10**9):
        assert allocation._ranks_unless_repeats(twice_p, o_keys, o_ranks, limit) is None
        assert (
            allocation._ranks_unless_repeats(p_keys, twice_o, np.append(o_ranks, 0), limit) is None
        )
        none = allocation._ranks_unless_repeats(p_keys, o_keys[:0], o_ranks[:0], limit)
        assert none.tolist() == [-1] * len(p_keys)


@pytest.mark.parametrize("seed", range(6))
def test_lists_in_any_order_or_missing_give_the_same_matching(seed):
    """The indexed lists are built while checking a file; owners out of caseload order, some
    owners missing, or lists handed over as tuples (then indexed later) change nothing."""
    people, offers, prefs = random_instance(seed)
    rng = random.Random(seed)
    expected = allocate(people, offers, mode="stable", preferences=prefs, index=OfferIndex(offers))
    p_ids, o_ids = [p.id for p in people], [o.id for o in offers]
    shuffled_p = list(prefs.participants.items())
    rng.shuffle(shuffled_p)
    shuffled_o = list(prefs.offers.items())
    rng.shuffle(shuffled_o)
    data = {"participants": dict(shuffled_p), "offers": dict(shuffled_o)}
    checked = Preferences.from_mapping(data, p_ids, o_ids)
    assert checked.indexed is not None and checked.indexed.refers_to(p_ids, o_ids)
    as_tuples = Preferences(
        {k: tuple(v) for k, v in data["participants"].items()},
        {k: tuple(v) for k, v in data["offers"].items()},
    )
    for variant in (checked, as_tuples):
        got = allocate(people, offers, mode="stable", preferences=variant, explain=False)
        assert got.offer_for() == expected.offer_for()
        assert sorted(got.warnings) == sorted(expected.warnings)
    # Offers in another order than the file's: the arrays no longer refer to them, and the
    # allocation indexes again rather than misreading them.
    reordered = list(reversed(offers))
    assert not checked.indexed.refers_to(p_ids, [o.id for o in reordered])
    got = allocate(people, reordered, mode="stable", preferences=checked, explain=False)
    assert got.offer_for() == expected.offer_for()
    # An owner with no list at all is simply unassigned.
    missing = dict(shuffled_p[1:])
    partial = Preferences.from_mapping({"participants": missing, "offers": data["offers"]},
                                       p_ids, o_ids)  # fmt: skip
    got = allocate(people, offers, mode="stable", preferences=partial, explain=False)
    assert got.offer_for()[shuffled_p[0][0]] is None
