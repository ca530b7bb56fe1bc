"""Hard constraints: nothing infeasible is ever suggested, and every exclusion names its rules.

The engine checks constraints on arrays; these tests hold it to a plain per-pair reference written
here from the file contract's wording, over random offers and participants (hypothesis).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.constraints import pair_codes
from matcher.geo import chord_km, unit_vectors
from matcher.index import OfferIndex
from matcher.types import (
    ACCESSIBILITY,
    EXCLUSION_CODES,
    PHYSICAL_DEMANDS,
    SWEDISH_LEVELS,
    HoursRange,
    Location,
    Offer,
    Participant,
)
from tests.matcher.conftest import KARLSKOGA, offer, person, tiny_vocabulary

VOCAB = tiny_vocabulary()


def reference_codes(o: Offer, p: Participant) -> tuple[str, ...]:
    """The contract, pair by pair, in the plainest Python."""
    km = distance(o, p)
    codes = []
    if p.max_commute_km is not None and km > p.max_commute_km:
        codes.append("distance")
    if o.hours_per_week is not None and p.hours_per_week is not None:
        lo = max(o.hours_per_week.min, p.hours_per_week.min)
        hi = min(o.hours_per_week.max, p.hours_per_week.max)
        if lo > hi:
            codes.append("hours")
    if SWEDISH_LEVELS.index(o.swedish_level) > SWEDISH_LEVELS.index(p.swedish_level):
        codes.append("swedish")
    if o.requires_driving_licence and not p.driving_licence:
        codes.append("licence")
    if any(d in p.cannot for d in o.physical_demands):
        codes.append("physical")
    if any(n not in o.accessibility for n in p.needs):
        codes.append("access")
    if o.capacity == 0:
        codes.append("capacity")
    return tuple(codes)


def distance(o: Offer, p: Participant) -> float:
    """The engine's own great-circle function, so that the test is about the rules."""
    a = unit_vectors([p.location.lat], [p.location.lon])
    b = unit_vectors([o.location.lat], [o.location.lon])
    return float(chord_km(a, b)[0, 0])


locations = st.builds(
    Location, st.floats(55.5, 68.0), st.floats(11.5, 23.5), st.just("")
) | st.just(KARLSKOGA)
hours = st.none() | st.tuples(st.integers(0, 60), st.integers(0, 60)).map(
    lambda t: HoursRange(min(t), max(t))
)
demands = st.frozensets(st.sampled_from(sorted(PHYSICAL_DEMANDS)), max_size=4)
access = st.frozensets(st.sampled_from(sorted(ACCESSIBILITY)), max_size=5)
levels = st.sampled_from(SWEDISH_LEVELS)
terms = st.lists(
    st.sampled_from(["truckkort", "B-körkort", "städning", "kassavana", "svetsning"]), max_size=3
).map(tuple)


@st.composite
def offers(draw, n: int):
    return [
        Offer(
            id=f"o{i:02d}",
            title=draw(st.sampled_from(["Lagerarbetare", "Städare", "Truckförare", "Kock"])),
            location=draw(locations),
            skills_required=draw(terms),
            skills_desired=draw(terms),
            hours_per_week=draw(hours),
            swedish_level=draw(levels),
            requires_driving_licence=draw(st.booleans()),
            physical_demands=draw(demands),
            accessibility=draw(access),
            capacity=draw(st.integers(0, 3)),
            leads_to_employment=draw(st.sampled_from(["yes", "maybe", "no", None])),
        )
        for i in range(n)
    ]


participants = st.builds(
    Participant,
    id=st.just("p"),
    location=locations,
    skills=terms,
    interests=st.lists(st.sampled_from(["lager", "städning", "vård"]), max_size=2).map(tuple),
    max_commute_km=st.none() | st.floats(0, 400) | st.just(0.0),
    hours_per_week=hours,
    swedish_level=levels,
    driving_licence=st.booleans(),
    cannot=demands,
    needs=st.frozensets(st.sampled_from(sorted(ACCESSIBILITY)), max_size=2),
    support_level=st.none() | st.integers(1, 3),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 12).flatmap(offers), participants)
def test_no_infeasible_suggestion_and_every_exclusion_has_the_right_codes(all_offers, p):
    """Is every feasible offer suggested, no infeasible one, and each exclusion explained?"""
    index = OfferIndex(all_offers, vocabulary=VOCAB)
    n = len(all_offers)
    expected = {o.id: reference_codes(o, p) for o in all_offers}
    suggested = index.rank(p, top=n)
    assert {s.offer_id for s in suggested} == {oid for oid, c in expected.items() if not c}
    excluded = index.explain_exclusions(p, top=n)
    assert {e.offer_id: e.codes for e in excluded} == {
        oid: codes for oid, codes in expected.items() if codes
    }
    dists = [e.distance_km for e in excluded]
    assert dists == sorted(dists)  # nearest first
    for o in all_offers:
        assert pair_codes(o, p, distance(o, p)) == expected[o.id]
    full = index.score_pairs(p, [o.id for o in all_offers])
    for result in full:
        codes = getattr(result, "codes", ())
        assert codes == expected[result.offer_id]
    # The picker's cheap pass agrees with the full one: same score, or None when infeasible.
    ids = [o.id for o in all_offers] + ["unknown"]
    cheap = index.pair_scores(p, ids)
    assert cheap[-1] == (None, None)
    for result, (score, km) in zip(full, cheap, strict=False):
        assert score == (
            None if getattr(result, "codes", ()) else pytest.approx(result.score, abs=1e-6)
        )
        assert km == pytest.approx(result.distance_km, abs=1e-3)
    fs = index.feasible_scores([p, p], top=n)
    assert {fs.offer_ids[o] for o in fs.pairs_o} <= {oid for oid, c in expected.items() if not c}
    grown = OfferIndex(all_offers[: n // 2], vocabulary=VOCAB)  # the rest arrive one by one
    for late in all_offers[n // 2 :]:
        grown.upsert(late)
    assert {s.offer_id for s in grown.rank(p, top=n)} == {s.offer_id for s in suggested}
    grown_cheap = grown.pair_scores(p, ids)
    assert [s is None for s, _km in grown_cheap] == [s is None for s, _km in cheap]
    assert {e.offer_id: e.codes for e in grown.explain_exclusions(p, top=n)} == {
        e.offer_id: e.codes for e in excluded
    }
    o = all_offers[0]
    others = [p, Participant(id="q", location=o.location)]
    best = {s.participant_id for s in index.rank_participants(o, others, top=2)}
    assert ("p" in best) == (not expected[o.id])
    assert ("q" in best) == (
        o.capacity > 0 and o.swedish_level == "none" and not o.requires_driving_licence
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8).flatmap(offers), participants, st.integers(1, 5))
def test_top_k_is_the_best_k_feasible(all_offers, p, k):
    """Is a short list exactly the head of the full ranking (deterministic ties)?"""
    index = OfferIndex(all_offers, vocabulary=VOCAB)
    full = index.rank(p, top=len(all_offers))
    short = index.rank(p, top=k)
    assert [s.offer_id for s in short] == [s.offer_id for s in full[:k]]
    keys = [(-s.score, s.offer_id) for s in full]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("offer_kw", "person_kw", "codes"),
    [
        ({}, {"max_commute_km": 5}, ("distance",)),
        ({}, {"max_commute_km": 15}, ()),
        (
            {"hours_per_week": HoursRange(30, 40)},
            {"hours_per_week": HoursRange(10, 20)},
            ("hours",),
        ),
        ({"hours_per_week": HoursRange(20, 40)}, {"hours_per_week": HoursRange(10, 20)}, ()),
        ({"swedish_level": "good"}, {"swedish_level": "basic"}, ("swedish",)),
        ({"swedish_level": "good"}, {"swedish_level": "fluent"}, ()),
        ({"requires_driving_licence": True}, {}, ("licence",)),
        ({"requires_driving_licence": True}, {"driving_licence": True}, ()),
        ({"physical_demands": frozenset({"cold"})}, {"cannot": frozenset({"cold"})}, ("physical",)),
        ({}, {"needs": frozenset({"step_free"})}, ("access",)),
        ({"accessibility": frozenset({"step_free"})}, {"needs": frozenset({"step_free"})}, ()),
        ({"capacity": 0}, {}, ("capacity",)),
        (
            {"capacity": 0, "requires_driving_licence": True, "swedish_level": "fluent"},
            {"max_commute_km": 1},
            ("distance", "swedish", "licence", "capacity"),
        ),
    ],
)
def test_each_rule_with_its_code(offer_kw, person_kw, codes):
    """Does each contract rule exclude exactly when it should, with its own code, in order?"""
    o, p = offer(**offer_kw), person(**person_kw)
    index = OfferIndex([o], vocabulary=VOCAB)
    assert all(c in EXCLUSION_CODES for c in codes)
    if codes:
        assert index.rank(p) == []
        [e] = index.explain_exclusions(p)
        assert e.codes == codes and e.offer_id == "o1"
        assert 10 < e.distance_km < 12
    else:
        assert [s.offer_id for s in index.rank(p)] == ["o1"]
        assert index.explain_exclusions(p) == []


def test_chord_distance_equals_haversine():
    from matcher.geo import haversine_km

    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(55, 69, 500), rng.uniform(11, 24, 500)
    chord = chord_km(unit_vectors(lat[:1], lon[:1]), unit_vectors(lat, lon))[0]
    np.testing.assert_allclose(chord, haversine_km(lat[0], lon[0], lat, lon), atol=1e-6)
