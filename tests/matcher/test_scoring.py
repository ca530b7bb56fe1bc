"""Scoring: bounded named components, documented weights, reasons a coach can read."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.index import OfferIndex
from matcher.reasons import CODES, Reason, render_all
from matcher.scoring import COMPONENTS, Weights, combine, hours_component
from matcher.types import HoursRange
from tests.matcher.conftest import KIRUNA, OREBRO, offer, person, tiny_vocabulary
from tests.matcher.test_constraints import offers, participants

VOCAB = tiny_vocabulary()


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 8).flatmap(offers), participants)
def test_score_and_components_within_unit_interval(all_offers, p):
    index = OfferIndex(all_offers, vocabulary=VOCAB)
    for s in index.rank(p, top=len(all_offers)):
        assert 0.0 <= s.score <= 1.0
        assert set(s.components) == set(COMPONENTS)
        assert all(0.0 <= v <= 1.0 for v in s.components.values())
        for r in (*s.reasons, *s.gaps):
            assert r.render("sv") and r.render("en")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=len(COMPONENTS), max_size=len(COMPONENTS)))
def test_combine_stays_in_unit_interval(values):
    comps = {name: np.array([v]) for name, v in zip(COMPONENTS, values, strict=True)}
    assert 0.0 <= combine(comps, Weights())[0] <= 1.0


def test_weights_are_checked():
    with pytest.raises(ValueError, match="skills"):
        Weights(skills=-1)
    with pytest.raises(ValueError, match="at least one"):
        Weights(**{name: 0.0 for name in COMPONENTS})
    assert abs(sum(Weights().component_weights().values()) - 1.0) < 1e-9


def test_missing_required_skill_lowers_score_and_is_a_gap():
    """Does a person without the required licence score lower, with the gap named?"""
    o = offer(skills_required=("truckkort", "B-körkort"))
    index = OfferIndex([o], vocabulary=VOCAB)
    [has_both] = index.rank(person(skills=("truckförarbevis", "körkort B")))
    [has_one] = index.rank(person(skills=("truckförarbevis",)))
    [has_none] = index.rank(person(skills=()))
    assert has_both.score > has_one.score > has_none.score
    assert has_one.components["skills"] == 0.5
    assert [g.render("sv") for g in has_one.gaps] == ["saknar: B-körkort (krav)"]
    assert [g.render("en") for g in has_one.gaps] == ["missing: B-körkort (required)"]
    assert has_both.gaps == ()


def test_reasons_in_swedish_and_english():
    o = offer(skills_required=("truckkort",), skills_desired=("B-körkort",))
    index = OfferIndex([o], vocabulary=VOCAB)
    [s] = index.rank(person(skills=("truckförarbevis",)))
    assert render_all(s.reasons, "sv")[:1] == [
        "har det som krävs: truckkort (som ”truckförarbevis”)"
    ]
    assert render_all(s.reasons, "en")[:1] == [
        "matches required skill 'truckkort' (as 'truckförarbevis')"
    ]
    assert not any("km" in r for r in render_all(s.reasons, "sv"))  # 11 km: not "near"
    assert render_all(s.gaps, "sv") == ["saknar: B-körkort (önskat)"]
    assert s.distance_km is not None and 10 < s.distance_km < 12


def test_same_words_are_not_repeated_as_an_alias():
    index = OfferIndex([offer(skills_required=("Truckkort",))], vocabulary=VOCAB)
    [s] = index.rank(person(skills=("truckkort",)))
    assert s.reasons[0].render("en") == "matches required skill 'Truckkort'"


def test_unknown_terms_still_match_exactly_and_by_text():
    """Is a competence the vocabulary does not know still credited when written the same?"""
    a = offer("a", title="Svetsare", skills_required=("MIG-svetsning",))
    b = offer("b", title="Svetsare", skills_required=("TIG-svetsning",))
    index = OfferIndex([a, b], vocabulary=VOCAB)
    ranked = index.rank(person(skills=("mig svetsning",)))
    assert [s.offer_id for s in ranked] == ["a", "b"]
    assert ranked[0].components["skills"] == 1.0 and ranked[1].components["skills"] == 0.0


def test_interest_and_related_occupation_lift_offers():
    """Does substitutability lift an occupation the person could also do?"""
    lager = offer("a-lager", title="Lagerarbetare")
    truck = offer("b-truck", title="Truckförare")
    vard = offer("c-vard", title="Undersköterska")
    index = OfferIndex([vard, truck, lager], vocabulary=VOCAB)
    ranked = index.rank(person(interests=("lager",)))
    by_id = {s.offer_id: s for s in ranked}
    assert [s.offer_id for s in ranked] == ["a-lager", "b-truck", "c-vard"]
    assert by_id["a-lager"].components["occupation"] == 1.0
    assert 0 < by_id["b-truck"].components["occupation"] < 1.0
    assert by_id["c-vard"].components["occupation"] == 0.0
    assert by_id["a-lager"].reasons[0] == Reason(
        "interest", {"interest": "lager", "occupation": "Lagerarbetare"}
    )
    assert by_id["b-truck"].reasons[0].code == "related_occupation"
    assert "närliggande yrke" in by_id["b-truck"].reasons[0].render("sv")


def test_support_level_one_prefers_offers_that_give_support():
    plain = offer("a")
    supported = offer("b", accessibility=frozenset({"low_pace_possible", "supervisor_trained"}))
    index = OfferIndex([plain, supported], vocabulary=VOCAB)
    ranked = index.rank(person(support_level=1))
    assert ranked[0].offer_id == "b"
    assert ranked[0].components["support"] > ranked[1].components["support"]
    assert any(r.code == "support" for r in ranked[0].reasons)
    # level 3 needs nothing extra: the two are tied and ordered by id
    tied = index.rank(person(support_level=3))
    assert [s.offer_id for s in tied] == ["a", "b"] and tied[0].score == tied[1].score


def test_nearer_ranks_higher_and_ties_break_by_offer_id():
    far = offer("a-far", location=OREBRO)
    near_b = offer("c-near")
    near_a = offer("b-near")
    index = OfferIndex([far, near_b, near_a], vocabulary=VOCAB)
    ranked = index.rank(person())
    assert [s.offer_id for s in ranked] == ["b-near", "c-near", "a-far"]
    assert [s.rank for s in ranked] == [1, 2, 3]
    assert index.rank(person()) == ranked  # same input, same output


def test_hours_fit_is_the_share_of_available_hours():
    share = hours_component(np.array([0.0, 15.0, 0.0]), np.array([40.0, 40.0, np.inf]), 10.0, 20.0)
    np.testing.assert_allclose(share, [1.0, 0.5, 1.0])
    index = OfferIndex([offer(hours_per_week=HoursRange(15, 40))], vocabulary=VOCAB)
    [s] = index.rank(person(hours_per_week=HoursRange(10, 20)))
    assert s.components["hours"] == 0.5
    assert [g.render("en") for g in s.gaps] == ["hours overlap only partly: 15–20 h/week"]


def test_employment_potential_orders_otherwise_equal_offers():
    offers_ = [offer(f"o-{v}", leads_to_employment=v) for v in ("no", "maybe", "yes")]
    ranked = OfferIndex(offers_, vocabulary=VOCAB).rank(person())
    assert [s.offer_id for s in ranked] == ["o-yes", "o-maybe", "o-no"]


def test_custom_weights_change_the_order():
    near = offer("near", title="Undersköterska")
    far_fit = offer("far", title="Lagerarbetare", location=OREBRO)
    p = person(interests=("lager",))
    default = OfferIndex([near, far_fit], vocabulary=VOCAB).rank(p)
    distance_only = Weights(**{n: 0.0 for n in COMPONENTS if n != "distance"}, distance=1.0)
    by_distance = OfferIndex([near, far_fit], vocabulary=VOCAB, weights=distance_only).rank(p)
    assert default[0].offer_id == "far" and by_distance[0].offer_id == "near"


def test_reason_codes_render_and_round_trip():
    samples = {
        "skill_required": {"skill": "x", "as": None},
        "skill_desired": {"skill": "x", "as": "y"},
        "interest": {"interest": "x", "occupation": "y"},
        "related_occupation": {"occupation": "x", "from": "y"},
        "similar_text": {},
        "similar_title": {"interest": "warehouse operative"},
        "distance": {"km": 3.4},
        "near": {"km": 3.4},
        "far": {"km": 301.2, "limit": 80},
        "hours": {"min": 10, "max": 20},
        "hours_partial": {"min": 10, "max": 12},
        "support": {"items": ["low_pace_possible"]},
        "support_missing": {"items": ["supervisor_trained"]},
        "employment": {"value": "maybe"},
        "missing_required": {"skill": "x"},
        "missing_desired": {"skill": "x"},
        "excluded": {"codes": ["distance", "capacity"]},
        "confirmed_skill": {"skill": "kassavana"},
        "employer_backlog": {"count": 3},
    }
    assert set(samples) == CODES
    for code, params in samples.items():
        r = Reason(code, params)
        assert Reason.from_dict(r.to_dict()) == r
        assert r.render("sv") != r.render("en") or code == "similar_text"
    assert Reason("excluded", {"codes": ["distance"]}).render("en") == "too far from home"
    with pytest.raises(ValueError, match="unknown reason code"):
        Reason("nope")
    with pytest.raises(ValueError, match="lang"):
        Reason("similar_text").render("de")


def test_far_offer_has_low_distance_component():
    index = OfferIndex([offer("k", location=KIRUNA)], vocabulary=VOCAB)
    [s] = index.rank(person())
    assert s.components["distance"] < 0.01


def test_weights_dataclass_is_the_single_documented_place():
    doc = Weights.__doc__ or ""
    for f in dataclasses.fields(Weights):
        if f.name in COMPONENTS or f.name == "missing_required_penalty":
            assert f"{f.name}:" in doc, f"weight {f.name} has no documented reason"
