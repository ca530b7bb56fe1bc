"""Distance in the reasons: a strength only when near, a gap when long for this person."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.index import OfferIndex
from matcher.reasons import FAR_WITHOUT_LIMIT_KM, NEAR_KM, distance_reason, render_all
from matcher.types import Location
from tests.matcher.conftest import KARLSKOGA, offer, person, tiny_vocabulary

VOCAB = tiny_vocabulary()
NYBRO = Location(56.7444, 15.9076, "Nybro")  # about 298 km from Karlskoga
NEAR_KARLSKOGA = Location(59.35, 14.55, "Karlskoga")


def test_a_coach_never_reads_300_km_as_a_reason_why_it_fits():
    """Karlskoga, no limit of their own: is Nybro a gap, never a reason?"""
    index = OfferIndex(
        [offer("nybro", title="Trädgårdsarbetare", location=NYBRO),
         offer("near", title="Lagerarbetare", location=NEAR_KARLSKOGA)],
        vocabulary=VOCAB,
    )  # fmt: skip
    found = {s.offer_id: s for s in index.rank(person(location=KARLSKOGA, interests=("lager",)))}
    nybro = found["nybro"]
    assert nybro.distance_km > 290
    assert not any("km" in text for text in render_all(nybro.reasons, "sv"))
    assert render_all(nybro.gaps, "sv") == ["långt att resa: 298 km hemifrån"]
    assert render_all(nybro.gaps, "en") == ["a long way to travel: 298 km from home"]
    near = found["near"]
    assert "nära hemmet: 3,0 km" in render_all(near.reasons, "sv")
    assert "close to home: 3,0 km" in render_all(near.reasons, "en")


def test_a_default_limit_applies_only_to_people_without_their_own():
    """Does the unit's default exclude Nybro for a person with no limit, and only for them?"""
    offers = [offer("nybro", location=NYBRO), offer("near", location=NEAR_KARLSKOGA)]
    index = OfferIndex(offers, vocabulary=VOCAB, default_max_km=60)
    nobody = person(location=KARLSKOGA)
    assert [s.offer_id for s in index.rank(nobody)] == ["near"]
    [excluded] = index.explain_exclusions(nobody)
    assert (excluded.offer_id, excluded.codes) == ("nybro", ("distance",))
    own = person(location=KARLSKOGA, max_commute_km=400)
    assert {s.offer_id for s in index.rank(own)} == {"nybro", "near"}
    # per call: another unit's default, or none
    assert {s.offer_id for s in index.rank(nobody, default_max_km=500)} == {"nybro", "near"}
    assert [s.offer_id for s in OfferIndex(offers, vocabulary=VOCAB).rank(nobody)] == [
        "near",
        "nybro",
    ]
    [pair] = index.score_pairs(nobody, ["nybro"])
    assert pair.codes == ("distance",)
    fs = index.feasible_scores([nobody])
    assert [fs.offer_ids[o] for o in fs.pairs_o] == ["near"]
    with pytest.raises(ValueError, match="default_max_km"):
        OfferIndex(offers, vocabulary=VOCAB, default_max_km=-5)


def test_with_a_limit_the_gap_names_it_and_near_shrinks():
    assert distance_reason(4.0, 6.0) is None  # near is at most half of a short limit
    assert distance_reason(2.5, 6.0) == ("near", {"km": 2.5})
    assert distance_reason(50.0, 60.0) == ("far", {"km": 50.0, "limit": 60.0})
    assert distance_reason(30.0, 60.0) is None
    assert distance_reason(NEAR_KM, math.inf)[0] == "near"
    assert distance_reason(FAR_WITHOUT_LIMIT_KM + 1, math.inf) == (
        "far",
        {"km": FAR_WITHOUT_LIMIT_KM + 1},
    )


@settings(max_examples=300, deadline=None)
@given(
    st.floats(0, 2000, allow_nan=False),
    st.one_of(st.just(math.inf), st.floats(0, 500, allow_nan=False)),
)
def test_distance_is_never_a_reason_beyond_near(km, limit):
    found = distance_reason(km, limit)
    if found is not None and found[0] == "near":
        assert (
            km <= NEAR_KM
            and km <= max(limit, 0) / 2 + 1e-9
            or (km <= NEAR_KM and limit == math.inf)
        )
    if found is not None and found[0] == "far":
        assert km > NEAR_KM


@settings(max_examples=60, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.one_of(st.none(), st.floats(1, 400)))
def test_every_ranked_suggestion_keeps_distance_out_of_its_reasons_unless_near(dlat, dlon, limit):
    place = Location(KARLSKOGA.lat + dlat, KARLSKOGA.lon + dlon)
    index = OfferIndex([offer("o", location=place)], vocabulary=VOCAB)
    for s in index.rank(person(location=KARLSKOGA, max_commute_km=limit)):
        codes = [r.code for r in s.reasons]
        assert "distance" not in codes and "far" not in codes
        if "near" in codes:
            assert s.distance_km <= NEAR_KM


def test_an_unknown_job_title_is_judged_by_its_text_and_says_so():
    """English or invented titles: does the title similarity rank and explain the match?"""
    index = OfferIndex(
        [offer("wh", title="Warehouse operative"), offer("cl", title="Office cleaner")],
        vocabulary=VOCAB,
    )
    [first, second] = index.rank(person(interests=("warehouse operator",)))
    assert first.offer_id == "wh" and first.components["title"] > second.components["title"]
    assert "the job title resembles what the person wants: 'warehouse operator'" in render_all(
        first.reasons, "en"
    )
