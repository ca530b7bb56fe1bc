"""OfferIndex: incremental change, both directions, manual matches and allocation input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import matcher.block as block_module
import matcher.index as index_module
from matcher.index import OfferIndex
from matcher.types import Exclusion, Suggestion
from tests.matcher.conftest import KIRUNA, OREBRO, offer, person, tiny_vocabulary

VOCAB = tiny_vocabulary()


def ids(suggestions):
    return [s.offer_id for s in suggestions]


def many_offers(n: int):
    titles = ("Lagerarbetare", "Städare", "Truckförare", "Undersköterska")
    return [
        offer(f"o{i:03d}", title=titles[i % 4], skills_required=(("truckkort",) if i % 3 else ()))
        for i in range(n)
    ]


def test_upsert_adds_changes_and_remove_drops_without_refit():
    index = OfferIndex([offer("a"), offer("b", location=OREBRO)], vocabulary=VOCAB)
    vectorizer = index.vectorizer
    p = person()
    assert ids(index.rank(p)) == ["a", "b"]
    index.upsert(offer("c", title="Lagerarbetare"))
    assert ids(index.rank(p)) == ["a", "c", "b"]
    index.upsert(dataclasses.replace(offer("a"), capacity=0))  # change: no longer bookable
    assert ids(index.rank(p)) == ["c", "b"]
    assert [e.offer_id for e in index.explain_exclusions(p)] == ["a"]
    index.remove("b")
    assert ids(index.rank(p)) == ["c"]
    assert index.vectorizer is vectorizer  # no refit for a few changes
    assert len(index) == 2 and "b" not in index and "a" in index
    with pytest.raises(KeyError, match="no offer 'b'"):
        index.remove("b")


def test_upserted_offer_scores_like_a_built_one():
    base = many_offers(30)
    extra = offer("zzz", title="Lagerarbetare", skills_required=("truckkort",))
    built = OfferIndex([*base, extra], vocabulary=VOCAB)
    grown = OfferIndex(base, vocabulary=VOCAB)
    grown.upsert(extra)
    p = person(skills=("truckkort",), interests=("lager",))
    [a] = built.score_pairs(p, ["zzz"])
    [b] = grown.score_pairs(p, ["zzz"])
    for name in ("skills", "occupation", "distance", "support", "employment", "hours"):
        assert a.components[name] == b.components[name]
    assert abs(a.components["text"] - b.components["text"]) < 0.1


def test_many_changes_trigger_a_refit(monkeypatch):
    index = OfferIndex(many_offers(8), vocabulary=VOCAB)
    before = index.vectorizer
    monkeypatch.setattr(index_module, "REFIT_SHARE", 0.0)
    for i in range(51):
        index.upsert(offer(f"new{i:02d}", title="Städare"))
    ranked = index.rank(person(), top=100)
    assert index.vectorizer is not before
    assert len(ranked) == 59 and len(index) == 59
    assert index._tail is None and index._changed == 0


def test_refit_due_at_query_time_happens_before_the_participant_is_vectorised():
    """Does ranking survive a refit triggered by the query itself (many removals, then upserts)?

    Regression: the participant was vectorised with the old text model, then the blocks were
    refitted, and scoring failed with an IndexError.
    """
    rare = [
        offer(f"r{i:03d}", title=f"Specialist{i} xq{i}zv", description=f"unika{i} ord{i}qq")
        for i in range(90)
    ]
    index = OfferIndex([*many_offers(30), *rare], vocabulary=VOCAB)
    p = person(skills=("truckkort", "unika5 ord5qq"), interests=("lager", "Specialist7 xq7zv"))
    index.rank(p)  # warm: the participant's n-grams exist in the first text model
    for i in range(90):
        index.remove(f"r{i:03d}")
    index.upsert(offer("fresh1", title="Lagerarbetare"))
    index.upsert(offer("fresh2", title="Städare"))
    ranked = index.rank(p, top=100)
    assert {"fresh1", "fresh2"} <= set(ids(ranked))
    assert len(index) == 32 and index._changed == 0
    rebuilt = OfferIndex(index.offers(), vocabulary=VOCAB)
    assert ids(rebuilt.rank(p, top=100)) == ids(ranked)


def test_empty_index_then_first_offer():
    index = OfferIndex([], vocabulary=VOCAB)
    assert index.rank(person()) == []
    assert index.explain_exclusions(person()) == []
    assert index.rank_participants(offer("x"), [person()])[0].participant_id == "p1"
    index.upsert(offer("x"))
    assert ids(index.rank(person())) == ["x"]


def test_duplicate_offer_ids_are_refused():
    with pytest.raises(ValueError, match="'a' appears more than once"):
        OfferIndex([offer("a"), offer("a")], vocabulary=VOCAB)


def test_exclude_offer_ids_and_top():
    index = OfferIndex(many_offers(20), vocabulary=VOCAB)
    p = person()
    full = ids(index.rank(p, top=20))
    assert (
        ids(index.rank(p, top=5, exclude_offer_ids={full[0], full[2]}))
        == [oid for oid in full if oid not in {full[0], full[2]}][:5]
    )
    assert index.rank(p, top=0) == []
    with pytest.raises(ValueError, match="lang"):
        index.rank(p, lang="de")


@pytest.mark.parametrize("dense_max", [0, 10_000])
def test_rank_many_equals_rank_one_by_one(monkeypatch, dense_max):
    """Do the batched paths (per participant, dense B x N) rank exactly as one by one?"""
    monkeypatch.setattr(index_module, "CELLS_PER_CHUNK", 3 * 40)  # chunks of 3 participants
    monkeypatch.setattr(block_module, "DENSE_MAX_OFFERS", dense_max)
    index = OfferIndex(many_offers(40), vocabulary=VOCAB)
    people = [
        person(f"p{i}", skills=("truckkort",) if i % 2 else (), max_commute_km=[None, 5, 50][i % 3])
        for i in range(7)
    ]
    batched = list(index.rank_many(people, 6))
    assert batched == [index.rank(p, 6) for p in people]


def test_score_pairs_for_manual_matches():
    index = OfferIndex(
        [offer("near"), offer("far", location=KIRUNA), offer("full", capacity=0)],
        vocabulary=VOCAB,
    )
    p = person(max_commute_km=50)
    results = index.score_pairs(p, ["far", "full", "near"])
    assert [type(r) for r in results] == [Exclusion, Exclusion, Suggestion]
    assert results[0].codes == ("distance",) and results[1].codes == ("capacity",)
    assert results[2].rank == 1 and results[2].score == index.rank(p)[0].score
    with pytest.raises(KeyError, match="nope"):
        index.score_pairs(p, ["nope"])


def test_best_participants_for_an_offer():
    o = offer("o", skills_required=("truckkort",))
    index = OfferIndex([o], vocabulary=VOCAB)
    people = [
        person("c-none"),
        person("a-skilled", skills=("truckförarbevis",)),
        person("b-far", skills=("truckkort",), location=KIRUNA),
        person("d-excluded", skills=("truckkort",), max_commute_km=1),
    ]
    ranked = index.rank_participants(o, people, top=10)
    assert [s.participant_id for s in ranked] == ["a-skilled", "b-far", "c-none"]
    assert [s.rank for s in ranked] == [1, 2, 3]
    assert all(s.offer_id == "o" for s in ranked)
    assert index.rank_participants(o, people, top=1)[0].participant_id == "a-skilled"


def test_feasible_scores_match_rank_for_allocation():
    index = OfferIndex(many_offers(25), vocabulary=VOCAB)
    index.upsert(offer("tail-1", title="Städare"))
    people = [person("p1", skills=("truckkort",)), person("p2", max_commute_km=1), person("p3")]
    fs = index.feasible_scores(people, top=4)
    assert fs.participant_ids == ("p1", "p2", "p3")
    assert len(fs.offer_ids) == 26 and len(fs.capacities) == 26
    for n, p in enumerate(people):
        mine = fs.pairs_p == n
        expected = index.rank(p, top=4)
        assert [fs.offer_ids[o] for o in fs.pairs_o[mine]] == ids(expected)
        np.testing.assert_allclose(fs.scores[mine], [s.score for s in expected], atol=1e-6)
    assert not np.any(fs.pairs_p == 1)  # p2 can reach nothing within 1 km


CORPUS = [
    "Lagerarbetare ; Lagerarbetare ; truckkort ; B-körkort ; plock och pack i lager",
    "Städare ; lokalvård städning ; kontor och trappuppgångar",
    "Undersköterska ; vård och omsorg, äldreboende ; natt",
    "IT-support C++ c# ; a+b ; Ö Å ä x",
    "Kock ; kök ; café och restaurang ; lager",
    "Lagerarbetare ; plock",
]


@pytest.mark.parametrize("max_df", [1.0, 0.5])
def test_char_ngram_tfidf_equals_scikit_learn(max_df):
    """Is the fast n-gram counting exactly scikit-learn's char_wb TF-IDF?"""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from matcher.features import QueryVectorizer
    from matcher.text import CharNgramTfidf

    reference = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, max_df=max_df
    )
    expected = reference.fit_transform(CORPUS).toarray()
    ours = CharNgramTfidf(max_df=max_df)
    got = ours.fit_transform(CORPUS).toarray()
    assert ours.vocabulary_ == reference.vocabulary_
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.idf_, reference.idf_)
    query = QueryVectorizer(ours)
    for text in ("lager ; truckförarbevis", "städning städning", "", "zzzz", CORPUS[3]):
        cols, values = query(text)
        dense = np.zeros(len(ours.vocabulary_))
        dense[cols] = values
        np.testing.assert_allclose(dense, reference.transform([text]).toarray()[0], atol=1e-6)
        np.testing.assert_allclose(
            ours.transform_one(text).toarray()[0], dense, rtol=1e-6, atol=1e-7
        )
    np.testing.assert_allclose(
        ours.transform(CORPUS[:2]).toarray(), reference.transform(CORPUS[:2]).toarray(), atol=1e-6
    )


def test_text_product_paths_agree(monkeypatch):
    """Do the gather and the scipy product give the same cosines?"""
    offers_ = many_offers(60)
    index = OfferIndex(offers_, vocabulary=VOCAB)
    p = person(skills=("truckkort", "städning"), interests=("lager",))
    gathered = index.rank(p, top=60)
    monkeypatch.setattr(block_module, "GATHER_MAX_POSTINGS", -1)
    multiplied = index.rank(p, top=60)
    assert [s.offer_id for s in gathered] == [s.offer_id for s in multiplied]
    for a, b in zip(gathered, multiplied, strict=True):
        assert abs(a.components["text"] - b.components["text"]) < 1e-6


def test_offers_without_any_text_still_index():
    from matcher.text import CharNgramTfidf

    assert CharNgramTfidf().fit_transform(["", "  "]).shape == (2, 0)
    index = OfferIndex([offer("a", title=""), offer("b", title="")], vocabulary=VOCAB)
    assert ids(index.rank(person(skills=("truckkort",)))) == ["a", "b"]


@pytest.mark.parametrize("dense_max", [0, 10_000])
def test_upsert_with_new_terms_and_occupations(monkeypatch, dense_max):
    """Does an offer added later with a skill no other offer names still match on it?"""
    monkeypatch.setattr(block_module, "DENSE_MAX_OFFERS", dense_max)
    index = OfferIndex(many_offers(10), vocabulary=VOCAB)
    index.upsert(offer("weld", title="Svetsare", skills_required=("MIG-svetsning",)))
    welder = person("w", skills=("MIG-svetsning",))
    other = person("x", skills=("kassavana",))
    [single] = [s for s in index.rank(welder, top=20) if s.offer_id == "weld"]
    assert single.components["skills"] == 1.0
    batched = list(index.rank_many([welder, other], top=20))
    [in_batch] = [s for s in batched[0] if s.offer_id == "weld"]
    assert in_batch == single
    fs = index.feasible_scores([welder, other], top=20)
    weld = fs.offer_ids.index("weld")
    assert weld in fs.pairs_o[fs.pairs_p == 0]
