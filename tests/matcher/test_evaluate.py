"""Are the evaluation metrics right, and does the evaluation run end to end, deterministically?"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from benchmarks.evaluate import main
from benchmarks.evaluation.metrics import dcg, mean, ndcg_at_k, recall_at_k
from benchmarks.evaluation.run import baseline_rankings, run, score
from benchmarks.evaluation.synth import Settings, build_dataset, misspell, taxonomy_groups
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


SMALL = Settings(groups=4, offers_per_group=3, participants=24, seed=7, min_skills=1)


def test_groups_come_from_the_taxonomy(national):
    groups = taxonomy_groups(national, min_skills=2)
    assert sorted(groups) == ["G4322_lager", "G5120_kock", "G9412_kok"]
    kock = groups["G5120_kock"]
    assert kock.names == ("Kallskänka", "Kock, storhushåll")
    assert kock.skills == ("Kallskänk", "Livsmedelshygien")
    assert kock.related == {"G9412_kok": 0.75}


def test_dataset_is_deterministic_and_labelled(national):
    first, second = build_dataset(national, SMALL), build_dataset(national, SMALL)
    assert first.offers == second.offers and first.participants == second.participants
    assert len(first.offers) == 12 and len(first.participants) == 24
    assert build_dataset(national, Settings(**{**SMALL.__dict__, "seed": 8})).offers != first.offers
    for p in first.participants:
        grades = first.relevance(p.id)
        group = first.participant_group[p.id]
        for offer_id, offer_group in first.offer_group.items():
            expected = 2.0 if offer_group == group else None
            if group == "G5120_kock" and offer_group == "G9412_kok":
                expected = 1.0  # a cook can do kitchen-assistant work (fixture substitutability)
            assert grades.get(offer_id) == expected


def test_the_engine_and_the_baseline_run_on_the_same_data(national):
    dataset = build_dataset(national, SMALL)
    project = Vocabulary.load_default()
    results = run(dataset, [("fixture taxonomy", project.merged_with(national))])
    assert [r.system for r in results] == ["word TF-IDF baseline", "engine, fixture taxonomy"]
    for r in results:
        assert 0.0 <= r.ndcg <= 1.0 and 0.0 <= r.recall <= 1.0
    again = run(dataset, [("fixture taxonomy", project.merged_with(national))])
    assert [(r.ndcg, r.recall) for r in again] == [(r.ndcg, r.recall) for r in results]
    # a perfect ranking scores 1 and the baseline's own ranking scores what `run` reported
    perfect = {
        p.id: sorted(dataset.relevance(p.id), key=lambda o: -dataset.relevance(p.id)[o])[:10]
        for p in dataset.participants
    }
    assert score(dataset, perfect)[0] == pytest.approx(1.0)
    assert score(dataset, baseline_rankings(dataset)) == (results[0].ndcg, results[0].recall)


def test_cli_runs_on_fixture_data_and_writes_json(tmp_path, capsys):
    out = tmp_path / "figures.json"
    args = ["--taxonomy", str(FIXTURES), "--groups", "4", "--offers-per-group", "2"]
    code = main([*args, "--participants", "10", "--min-skills", "1", "--json", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "word TF-IDF baseline" in printed and "engine, project + JobTech" in printed
    figures = json.loads(out.read_text())
    assert figures["settings"]["participants"] == 10 and len(figures["results"]) == 3


def test_cli_without_taxonomy_exits_with_a_clear_message(tmp_path, capsys):
    assert main(["--taxonomy", str(tmp_path / "absent")]) == 2
    assert "no JobTech taxonomy at" in capsys.readouterr().err


def test_cli_with_a_malformed_taxonomy_exits_with_the_file_name(tmp_path, capsys):
    (tmp_path / "skills.json").write_text("{", encoding="utf-8")
    assert main(["--taxonomy", str(tmp_path)]) == 2
    assert "skills.json" in capsys.readouterr().err


def test_cli_rejects_bad_sizes(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--participants", "0"])
    assert caught.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err
