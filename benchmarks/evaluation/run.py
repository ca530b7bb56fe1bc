"""Rank a synthetic dataset with the engine and with a plain word TF-IDF baseline, and score both.

The baseline is what one would build in an afternoon: scikit-learn's word TfidfVectorizer over
the offer text (title, skills, description), cosine against the participant's skills and
interests, no vocabulary, no geography. The engine is `matcher.index.OfferIndex`, unchanged, with
the vocabulary under test. Both see exactly the same offers and participants.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from benchmarks.evaluation.metrics import mean, ndcg_at_k, recall_at_k
from benchmarks.evaluation.synth import Dataset

TOP = 10

Rankings = dict[str, list[str]]


@dataclass(frozen=True)
class Result:
    system: str
    ndcg: float
    recall: float
    seconds: float


def score(dataset: Dataset, rankings: Rankings, k: int = TOP) -> tuple[float, float]:
    """Mean nDCG@k (graded: same group 2, substitutable 1) and mean recall@k of same-group
    offers, over participants with at least one relevant offer."""
    ndcgs, recalls = [], []
    for p in dataset.participants:
        grades = dataset.relevance(p.id)
        ranked = rankings.get(p.id, [])
        ndcgs.append(ndcg_at_k(ranked, grades, k))
        recalls.append(recall_at_k(ranked, {o for o, g in grades.items() if g >= 2}, k))
    return mean(ndcgs), mean(recalls)


def offer_text(offer) -> str:
    return " ".join([offer.title, *offer.skills_required, *offer.skills_desired, offer.description])


def participant_text(participant) -> str:
    return " ".join([*participant.interests, *participant.skills])


def baseline_rankings(dataset: Dataset, top: int = TOP) -> Rankings:
    """Word TF-IDF cosine, ties broken by offer order (stable sort), as a naive system would."""
    vectorizer = TfidfVectorizer(analyzer="word")
    offers = vectorizer.fit_transform([offer_text(o) for o in dataset.offers])
    queries = vectorizer.transform([participant_text(p) for p in dataset.participants])
    cosine = (queries @ offers.T).toarray()
    ids = [o.id for o in dataset.offers]
    order = np.argsort(-cosine, axis=1, kind="stable")[:, :top]
    return {p.id: [ids[j] for j in row] for p, row in zip(dataset.participants, order, strict=True)}


def engine_rankings(dataset: Dataset, vocabulary, weights=None, top: int = TOP) -> Rankings:
    from matcher.index import OfferIndex

    index = OfferIndex(dataset.offers, vocabulary=vocabulary, weights=weights)
    lists = index.rank_many(dataset.participants, top)
    return {
        p.id: [s.offer_id for s in suggestions]
        for p, suggestions in zip(dataset.participants, lists, strict=True)
    }


def timed(system: str, dataset: Dataset, make: Callable[[], Rankings]) -> Result:
    started = time.perf_counter()
    rankings = make()
    seconds = time.perf_counter() - started
    ndcg, recall = score(dataset, rankings)
    return Result(system, ndcg, recall, seconds)


# Weight variants tried with --ablation: each moves one thing a coach would argue about.
VARIANTS: dict[str, dict[str, float]] = {
    "occupation x2": {"occupation": 0.40},
    "occupation x0": {"occupation": 0.0},
    "skills x2": {"skills": 0.48},
    "text x2": {"text": 0.32},
    "text x0": {"text": 0.0},
    "distance x0": {"distance": 0.0},
    "distance x2": {"distance": 0.24},
    "no missing-skill penalty": {"missing_required_penalty": 0.0},
    "suggested (see EVALUATION.md)": {
        "occupation": 0.32,
        "text": 0.26,
        "distance": 0.06,
        "missing_required_penalty": 0.10,
    },
}


def run(
    dataset: Dataset,
    vocabularies: Sequence[tuple[str, object]],
    *,
    ablation_vocabulary=None,
    variants: dict[str, dict[str, float]] | None = None,
) -> list[Result]:
    """The baseline, the engine with each named vocabulary, and optional weight variants."""
    results = [timed("word TF-IDF baseline", dataset, lambda: baseline_rankings(dataset))]
    for name, vocabulary in vocabularies:
        results.append(
            timed(f"engine, {name}", dataset, lambda v=vocabulary: engine_rankings(dataset, v))
        )
    if ablation_vocabulary is not None and variants:
        from matcher.scoring import Weights

        for name, change in variants.items():
            weights = replace(Weights(), **change)
            results.append(
                timed(
                    f"  weights: {name}",
                    dataset,
                    lambda w=weights: engine_rankings(dataset, ablation_vocabulary, w),
                )
            )
    return results


def format_results(results: Sequence[Result]) -> str:
    width = max(len(r.system) for r in results) + 2
    lines = [f"{'system':<{width}}{'nDCG@10':>9}{'recall@10':>11}{'seconds':>9}"]
    for r in results:
        lines.append(f"{r.system:<{width}}{r.ndcg:>9.3f}{r.recall:>11.3f}{r.seconds:>9.2f}")
    return "\n".join(lines)
