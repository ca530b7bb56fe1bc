"""The allocate() library call: modes, explicit preferences, validation and the checker."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from matcher.allocate import AllocationError, Preferences, allocate, check_assignment
from matcher.optimal import max_score_assignment
from matcher.stable import deferred_acceptance
from matcher.types import Exclusion, Location, Offer, Participant, Suggestion

HERE = Location(59.33, 18.06)


class TableIndex:
    """An index double with a fixed score table: (participant, offer) -> score; absent = infeasible.

    It ranks exactly like the contract asks (feasible only, best first) so that allocate() can be
    tested on hand-made numbers; the real OfferIndex is exercised in the CLI tests.
    """

    def __init__(self, table):
        self.table = table

    def rank(self, participant, top=10, *, exclude_offer_ids=(), lang="sv"):
        row = sorted(
            ((s, o) for (p, o), s in self.table.items() if p == participant.id),
            key=lambda t: (-t[0], t[1]),
        )[:top]
        return [
            Suggestion(participant.id, o, n + 1, s, reasons=(f"reason {o}",))
            for n, (s, o) in enumerate(row)
        ]

    def rank_many(self, participants, top=10, *, exclude_offer_ids=(), on_progress=None):
        for p in participants:
            yield self.rank(p, top)
            if on_progress is not None:
                on_progress(1)

    def feasible_scores(self, participants, top=20, on_progress=None):
        """Flat arrays like OfferIndex.feasible_scores; offer ids in an order of its own."""
        offer_ids = sorted({o for _, o in self.table}, reverse=True)
        where = {o: n for n, o in enumerate(offer_ids)}
        pp, po, ps = [], [], []
        for n, p in enumerate(participants):
            for s in self.rank(p, top):
                pp.append(n)
                po.append(where[s.offer_id])
                ps.append(s.score)
        if on_progress is not None:
            on_progress(len(participants))
        return SimpleNamespace(
            participant_ids=tuple(p.id for p in participants),
            offer_ids=tuple(offer_ids),
            pairs_p=np.array(pp, dtype=np.int64),
            pairs_o=np.array(po, dtype=np.int64),
            scores=np.array(ps),
        )

    def score_pairs(self, participant, offer_ids):
        out = []
        for o in offer_ids:
            s = self.table.get((participant.id, o))
            if s is None:
                out.append(Exclusion(participant.id, o, ("distance",)))
            else:
                out.append(Suggestion(participant.id, o, 0, s, reasons=(f"reason {o}",)))
        return out


def people(*ids):
    return [Participant(i, HERE) for i in ids]


def offers(**caps):
    return [Offer(i, f"title {i}", HERE, capacity=c) for i, c in caps.items()]


def test_optimal_maximises_total_and_carries_reasons():
    table = {("p1", "o1"): 0.9, ("p1", "o2"): 0.8, ("p2", "o1"): 0.7}
    result = allocate(people("p1", "p2"), offers(o1=1, o2=1), index=TableIndex(table))
    assert result.offer_for() == {"p1": "o2", "p2": "o1"}
    assert result.total_score == pytest.approx(1.5)
    by_p = {a.participant_id: a for a in result.assignments}
    assert by_p["p1"].reasons == ("reason o2",)
    assert result.unassigned == ()


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_without_explanations_the_result_is_the_same(mode):
    rng = np.random.default_rng(11)
    ps = people(*[f"p{i}" for i in range(30)])
    os_ = offers(**{f"o{j}": int(rng.integers(0, 3)) for j in range(10)})
    table = {
        (p.id, o.id): round(float(rng.random()), 2) for p in ps for o in os_ if rng.random() < 0.5
    }
    calls = []
    index = TableIndex(table)
    full = allocate(ps, os_, mode=mode, index=index, top=5)
    bare = allocate(
        ps, os_, mode=mode, index=index, top=5, explain=False, progress=lambda *a: calls.append(a)
    )
    assert bare.offer_for() == full.offer_for()
    assert [a.score for a in bare.assignments] == [a.score for a in full.assignments]
    assert all(a.suggestion is None for a in bare.assignments)
    assert all(a.suggestion.offer_id == a.offer_id for a in full.assignments)
    assert calls[-1] == (30, 30)


def test_stable_from_scores_prefers_the_higher_scored_participant():
    # Both want o1 (one slot); o1 scores p2 higher, so p2 gets it and p1 falls back to o2.
    table = {("p1", "o1"): 0.6, ("p1", "o2"): 0.5, ("p2", "o1"): 0.8}
    result = allocate(
        people("p1", "p2"), offers(o1=1, o2=1), mode="stable", index=TableIndex(table)
    )
    assert result.offer_for() == {"p1": "o2", "p2": "o1"}


def test_top_limits_the_candidates():
    table = {("p1", "o1"): 0.9, ("p1", "o2"): 0.8, ("p2", "o1"): 0.95}
    result = allocate(people("p1", "p2"), offers(o1=1, o2=1), index=TableIndex(table), top=1)
    # p1 only sees o1, which p2 takes in the optimum (0.95 > 0.9): p1 stays unassigned.
    assert result.offer_for() == {"p1": None, "p2": "o1"}
    assert result.unassigned == ("p1",)


def test_random_instances_agree_with_the_solvers():
    rng = np.random.default_rng(7)
    ps = people(*[f"p{i}" for i in range(40)])
    os_ = offers(**{f"o{j}": int(rng.integers(0, 3)) for j in range(12)})
    table = {
        (p.id, o.id): round(float(rng.random()), 3)
        for p in ps
        for o in os_
        if rng.random() < 0.4 and o.capacity > 0
    }
    index = TableIndex(table)
    caps = {o.id: o.capacity for o in os_}
    feasible = set(table)
    optimal = allocate(ps, os_, index=index)
    assert check_assignment(optimal.offer_for(), caps, feasible=feasible).ok
    o_ix = {o.id: n for n, o in enumerate(os_)}
    pairs = [(n, o_ix[o], s) for (p, o), s in table.items() for n in [int(p[1:])]]
    direct = max_score_assignment(
        40, 12, [a for a, _, _ in pairs], [b for _, b, _ in pairs], [c for *_, c in pairs],
        [o.capacity for o in os_],
    )  # fmt: skip
    best = sum(s for n, o, s in pairs if direct[n] == o)
    assert optimal.total_score == pytest.approx(best)

    stable = allocate(ps, os_, mode="stable", index=index)
    # The score-derived preferences, written out, and checked for blocking pairs.
    prefs = Preferences(
        participants={p.id: [s.offer_id for s in index.rank(p, top=20)] for p in ps},
        offers={
            o.id: [p for _, p in sorted((-s, p) for (p, oo), s in table.items() if oo == o.id)]
            for o in os_
        },
    )
    check = check_assignment(stable.offer_for(), caps, preferences=prefs, feasible=feasible)
    assert check.ok, check
    assert stable.total_score <= optimal.total_score + 1e-9


def test_explicit_preferences_give_the_participant_optimal_matching_and_drop_infeasible():
    table = {("p1", "o1"): 0.5, ("p2", "o1"): 0.5, ("p2", "o2"): 0.5, ("p3", "o2"): 0.5}
    data = {
        "participants": {"p1": ["o2", "o1"], "p2": ["o1", "o2"], "p3": ["o2"]},
        # o2 lists p1, but (p1, o2) is infeasible in the table: dropped with a warning.
        "offers": {"o1": ["p2", "p1"], "o2": ["p1", "p3", "p2"]},
    }
    ps, os_ = people("p1", "p2", "p3"), offers(o1=1, o2=1)
    prefs = Preferences.from_mapping(data, [p.id for p in ps], [o.id for o in os_])
    result = allocate(ps, os_, mode="stable", preferences=prefs, index=TableIndex(table))
    assert result.warnings == ("preferences: pair p1 - o2 is infeasible (distance): dropped",)
    # Without (p1, o2): p1 -> o1 is beaten by p2 (o1 prefers p2); p1 ends with nothing.
    expected = deferred_acceptance([[0], [0, 1], [1]], [[1, 0], [2, 1]], [1, 1])
    assert expected.tolist() == [-1, 0, 1]
    assert result.offer_for() == {"p1": None, "p2": "o1", "p3": "o2"}
    feasible_prefs = Preferences(
        participants={"p1": ["o1"], "p2": ["o1", "o2"], "p3": ["o2"]},
        offers={"o1": ["p2", "p1"], "o2": ["p3", "p2"]},
    )
    assert check_assignment(result.offer_for(), {"o1": 1, "o2": 1}, preferences=feasible_prefs).ok


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "prefs.json: expected a JSON object"),
        ({"offers": {}}, "prefs.json: participants: missing"),
        ({"participants": {"p9": []}, "offers": {}}, "prefs.json: participants.p9: unknown"),
        (
            {"participants": {"p1": ["o1", "o7"]}, "offers": {}},
            "prefs.json: participants.p1\\[1\\]: unknown offer id 'o7'",
        ),
        (
            {"participants": {}, "offers": {"o1": ["p1", "p1"]}},
            "prefs.json: offers.o1\\[1\\]: 'p1' listed twice \\(first at \\[0\\]\\)",
        ),
        (
            {"participants": {"p2": ["o2"], "p1": ["o1", "o2", "o1"]}, "offers": {}},
            "prefs.json: participants.p1\\[2\\]: 'o1' listed twice \\(first at \\[0\\]\\)",
        ),
        ({"participants": {"p1": "o1"}, "offers": {}}, "participants.p1: expected a list"),
        ({"participants": {"p1": [3]}, "offers": {}}, r"participants.p1\[0\]: expected an id"),
    ],
)
def test_bad_preferences_name_their_location(data, message):
    with pytest.raises(AllocationError, match=message):
        Preferences.from_mapping(data, ["p1", "p2"], ["o1", "o2"], source="prefs.json")


def test_all_preference_problems_are_reported_at_once():
    data = {"participants": {"p1": ["x", "y"]}, "offers": {"z": []}}
    with pytest.raises(AllocationError) as err:
        Preferences.from_mapping(data, ["p1"], ["o1"])
    assert len(err.value.problems) == 3


@pytest.mark.parametrize(
    ("ps", "os_", "kwargs", "message"),
    [
        (people("p1", "p1"), offers(o1=1), {}, r"participants\[1\]: duplicate id 'p1'"),
        (people("p1"), offers(o1=-1), {}, r"offers\[0\] \('o1'\): negative capacity -1"),
        (people("p1"), offers(o1=1), {"mode": "greedy"}, "mode: expected one of"),
        (
            people("p1"),
            offers(o1=1),
            {"preferences": Preferences({}, {})},
            "preferences: only used by mode 'stable'",
        ),
    ],
)
def test_bad_input_is_rejected_with_location(ps, os_, kwargs, message):
    with pytest.raises(AllocationError, match=message):
        allocate(ps, os_, index=TableIndex({}), **kwargs)


@pytest.mark.parametrize(
    ("ps", "os_", "message"),
    [
        (people("p1", "p1"), offers(o1=1), r"participants\[1\]: duplicate id 'p1'"),
        (people("p1"), offers(o1=-1, o2=-2), r"negative capacity -1\noffers\[1\] \('o2'\)"),
    ],
)
def test_bad_input_is_rejected_on_the_lists_path_too(ps, os_, message):
    """Explicit lists without explanations go through `allocate_listed`: same checks, every
    problem named."""
    prefs = Preferences({"p1": ["o1"]}, {"o1": ["p1"]})
    with pytest.raises(AllocationError, match=message):
        allocate(ps, os_, mode="stable", preferences=prefs, explain=False)


def test_hand_built_preferences_are_checked_too():
    prefs = Preferences(participants={"p1": ["o1", "o9"]}, offers={"o1": ["p1"]})
    with pytest.raises(AllocationError, match=r"participants.p1\[1\]: unknown offer id 'o9'"):
        allocate(people("p1"), offers(o1=1), mode="stable", preferences=prefs, index=TableIndex({}))


def test_check_assignment_reports_each_kind_of_problem():
    prefs = Preferences(
        participants={"p1": ["o1", "o2"], "p2": ["o1"]}, offers={"o1": ["p1", "p2"], "o2": ["p1"]}
    )
    # p2 holds o1, p1 holds o2 but both prefer p1 at o1: a blocking pair.
    check = check_assignment({"p1": "o2", "p2": "o1"}, {"o1": 1, "o2": 1}, preferences=prefs)
    assert check.blocking_pairs == [("p1", "o1")]
    check = check_assignment({"p1": "o1", "p2": "o1"}, {"o1": 1, "o2": 1})
    assert check.over_capacity == [("o1", 2, 1)]
    check = check_assignment({"p1": "o9"}, {"o1": 1})
    assert check.unknown == ["participant 'p1': unknown offer 'o9'"]
    check = check_assignment({"p1": "o1"}, {"o1": 1}, feasible=[("p2", "o1")])
    assert check.infeasible == [("p1", "o1")]
    check = check_assignment({"p2": "o2"}, {"o1": 1, "o2": 1}, preferences=prefs)
    assert ("p2", "o2") in check.unacceptable
    assert not check.ok
    assert check_assignment({"p1": "o1", "p2": None}, {"o1": 1, "o2": 1}, preferences=prefs).ok


def test_with_the_real_index_assignments_are_feasible_and_explained():
    """Does allocate() with a real OfferIndex respect the hard constraints and capacities?"""
    from matcher.index import OfferIndex

    home = Location(59.33, 18.06)
    far = Location(67.86, 20.23)  # Kiruna: beyond everyone's commute
    os_ = [
        Offer("o1", "Lagerarbetare", home, skills_required=("truckkort",), capacity=1),
        Offer("o2", "Undersköterska", home, capacity=2),
        Offer("o3", "Kock", far, capacity=3),
        Offer("o4", "Städare", home, capacity=0),
    ]
    ps = [
        Participant(f"p{i}", home, skills=("truckkort",) if i % 2 else (), max_commute_km=30)
        for i in range(6)
    ]
    index = OfferIndex(os_)
    feasible = {
        (p.id, s.offer_id)
        for p in ps
        for s in index.score_pairs(p, [o.id for o in os_])
        if isinstance(s, Suggestion)
    }
    assert ("p0", "o3") not in feasible and ("p0", "o4") not in feasible
    caps = {o.id: o.capacity for o in os_}
    for mode in ("optimal", "stable"):
        result = allocate(ps, os_, mode=mode, index=index)
        assert check_assignment(result.offer_for(), caps, feasible=feasible).ok
        assert len(result.assignments) == 3  # o1 and o2 hold three between them
        assert all(a.suggestion is not None and a.reasons for a in result.assignments)
