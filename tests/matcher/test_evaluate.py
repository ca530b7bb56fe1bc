"""Are the evaluation metrics right, and does the evaluation run end to end, deterministically?"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from benchmarks.evaluate import main
from benchmarks.evaluation.metrics import dcg, mean, ndcg_at_k, recall_at_k
from benchmarks.evaluation.run import (
    BASELINES,
    baseline_rankings,
    bm25_rankings,
    run,
    score,
    tfidf_rankings,
)
from benchmarks.evaluation.synth import (
    Dataset,
    Settings,
    build_dataset,
    cipher,
    definitions,
    misspell,
    taxonomy_groups,
)
from matcher.vocab import Vocabulary, load_jobtech

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jobtech"


def test_dcg_and_ndcg_by_hand():
    # ranking a, b, c with grades a=2, c=1, and d=2 never retrieved:
    # DCG = (2^2-1)/log2(2) + 0 + (2^1-1)/log2(4) = 3 + 0.5
    # ideal order 2, 2, 1: 3 + 3/log2(3) + 0.5 = 5.392789...
    assert dcg([2, 0, 1]) == pytest.approx(3.5)
    value = ndcg_at_k(["a", "b", "c"], {"a": 2, "c": 1, "d": 2}, k=10)
    assert value == pytest.approx(3.5 / 5.392789, abs=1e-6)
    assert value == pytest.approx(0.649015, abs=1e-6)


def test_ndcg_edges():
    grades = {"a": 2.0, "b": 1.0}
    assert ndcg_at_k(["a", "b", "x"], grades) == pytest.approx(1.0)
    assert ndcg_at_k(["b", "a"], grades) < 1.0
    assert ndcg_at_k(["x", "y"], grades) == 0.0
    assert math.isnan(ndcg_at_k(["a"], {}))
    # only the first k count, and the ideal is cut at k too
    assert ndcg_at_k(["x", "a"], {"a": 2, "b": 2}, k=1) == 0.0
    assert ndcg_at_k(["a", "x"], {"a": 2, "b": 2}, k=1) == pytest.approx(1.0)


def test_recall_and_mean():
    assert recall_at_k(["a", "x", "b"], {"a", "b", "c", "d"}, k=2) == 0.25
    assert math.isnan(recall_at_k(["a"], set()))
    assert mean([1.0, math.nan, 0.0]) == 0.5 and math.isnan(mean([math.nan]))


def test_misspell_makes_one_slip():
    rng = random.Random(4)
    for _ in range(50):
        slipped = misspell("lagerarbetare", rng)
        assert abs(len(slipped) - len("lagerarbetare")) <= 1
        assert slipped[:2] == "la"  # people rarely mistype the start of a word
    assert misspell("kock", rng) == "kock"  # short words are left alone


@pytest.fixture(scope="module")
def national() -> Vocabulary:
    return load_jobtech(FIXTURES)


SMALL = Settings(groups=4, names_per_group=2, offers_per_name=1, participants=24, seed=7,
                 min_skills=1)  # fmt: skip


def test_groups_come_from_the_taxonomy(national):
    groups = taxonomy_groups(national, min_skills=2, defs=definitions(FIXTURES))
    assert sorted(groups) == ["G4322_lager", "G5120_kock", "G9412_kok"]
    kock = groups["G5120_kock"]
    assert [n.label for n in kock.names] == ["Kallskänka", "Kock, storhushåll"]
    assert kock.skills == ("Kallskänk", "Livsmedelshygien")
    assert kock.related == {"G9412_kok": 0.75}
    assert kock.definition == "Lagar mat."
    lager = next(n for n in groups["G4322_lager"].names if n.id == "N_lager")
    assert "lagerarbetre" in lager.variants  # the ads' own misspelling, from the term file


def test_dataset_is_deterministic_and_labelled(national):
    defs = definitions(FIXTURES)
    first, second = build_dataset(national, SMALL, defs), build_dataset(national, SMALL, defs)
    assert first.offers == second.offers and first.participants == second.participants
    assert len(first.participants) == 24 and len(first.offers) == 8
    other = build_dataset(national, Settings(**{**SMALL.__dict__, "seed": 8}), defs)
    assert other.participants != first.participants
    for o in first.offers:
        assert o.description == defs[first.offer_group[o.id]]  # offers carry the definition
    for p in first.participants:
        grades = first.relevance(p.id)
        group = first.participant_group[p.id]
        for offer_id, offer_group in first.offer_group.items():
            expected = None
            if first.offer_name[offer_id] == first.participant_name[p.id]:
                expected = 3.0
            elif offer_group == group:
                expected = 2.0
            elif group == "G5120_kock" and offer_group == "G9412_kok":
                expected = 1.0  # a cook can do kitchen-assistant work (fixture substitutability)
            assert grades.get(offer_id) == expected


def test_cipher_hides_every_word_but_keeps_the_shape(national):
    dataset = build_dataset(national, SMALL, definitions(FIXTURES))
    hidden = cipher(dataset, 7)
    for before, after in zip(dataset.participants, hidden.participants, strict=True):
        assert [len(t) for t in before.interests] == [len(t) for t in after.interests]
        assert before.interests != after.interests
    assert all(national.resolve(o.title) is None for o in hidden.offers if len(o.title) > 6)
    # a plain text method sees the same thing in either language
    plain = score(dataset, tfidf_rankings(dataset, analyzer="char_wb"))
    assert score(hidden, tfidf_rankings(hidden, analyzer="char_wb")) == pytest.approx(plain)


def test_every_system_runs_on_the_same_data(national):
    dataset = build_dataset(national, SMALL, definitions(FIXTURES))
    project = Vocabulary.load_project()
    vocabulary = project.merged_with(national)
    results = run(dataset, [("fixture taxonomy", vocabulary)])
    assert [r.system for r in results] == [*BASELINES, "engine, fixture taxonomy"]
    for r in results:
        assert 0.0 <= r.ndcg <= 1.0 and 0.0 <= r.recall <= 1.0
    again = run(dataset, [("fixture taxonomy", vocabulary)])
    assert [(r.ndcg, r.recall) for r in again] == [(r.ndcg, r.recall) for r in results]
    # a perfect ranking scores 1 and the baselines' own rankings score what `run` reported
    perfect = {
        p.id: sorted(dataset.relevance(p.id), key=lambda o: -dataset.relevance(p.id)[o])[:10]
        for p in dataset.participants
    }
    assert score(dataset, perfect)[0] == pytest.approx(1.0)
    assert score(dataset, baseline_rankings(dataset)) == (results[1].ndcg, results[1].recall)
    assert score(dataset, bm25_rankings(dataset)) == (results[2].ndcg, results[2].recall)


def test_bm25_by_hand():
    """Does BM25 rank a document with the rarer query word first?"""
    from matcher.types import Location, Offer, Participant

    here = Location(59.0, 15.0)
    offers = [Offer("a", "lager lager", here), Offer("b", "truck", here), Offer("c", "lager", here)]
    people = [Participant("p", here, interests=("truck lager",))]
    ds = Dataset(offers, people, {}, {}, {}, {}, {})
    assert bm25_rankings(ds)["p"][0] == "b"


def test_cli_runs_on_fixture_data_and_writes_json(tmp_path, capsys):
    out = tmp_path / "figures.json"
    args = ["--taxonomy", str(FIXTURES), "--groups", "4", "--seeds", "7,8", "--noise", "0.2"]
    code = main([*args, "--participants", "10", "--min-skills", "1", "--json", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "char n-gram" in printed and "engine, built-in" in printed and "worst ratio" in printed
    figures = json.loads(out.read_text())
    assert figures["settings"]["participants"] == 10 and len(figures["rows"]) == 2
    assert [r["system"] for r in figures["rows"][0]["known"]] == [
        *BASELINES, "engine, built-in", "engine, project only",
    ]  # fmt: skip


def test_cli_without_taxonomy_exits_with_a_clear_message(tmp_path, capsys):
    assert main(["--taxonomy", str(tmp_path / "absent")]) == 2
    assert "no JobTech taxonomy at" in capsys.readouterr().err
