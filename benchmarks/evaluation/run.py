"""Rank a synthetic dataset with the engine and with plain text baselines, and score them all.

The baselines are what one would build in an afternoon, over one bag of text per side (offer:
title, skills, description; participant: interests, skills), no vocabulary, no geography:

- char n-gram TF-IDF: `TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)`,
  cosine; the strongest plain baseline on misspelt text;
- word TF-IDF: `TfidfVectorizer(analyzer="word")`, cosine;
- BM25 over words (k1 1.2, b 0.75), the classic search-engine ranking.

The engine is `matcher.index.OfferIndex` with the vocabulary under test. Every system sees
exactly the same offers and participants; ties are broken by offer order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from benchmarks.evaluation.metrics import mean, ndcg_at_k, recall_at_k
from benchmarks.evaluation.synth import Dataset

TOP = 10
BASELINES = ("char n-gram TF-IDF", "word TF-IDF", "BM25")

Rankings = dict[str, list[str]]


@dataclass(frozen=True)
class Result:
    system: str
    ndcg: float
    recall: float
    seconds: float


def score(dataset: Dataset, rankings: Rankings, k: int = TOP) -> tuple[float, float]:
    """Mean nDCG@k (graded 3/2/1, see synth) and mean recall@k of the offers of the named
    occupation, over participants with at least one relevant offer."""
    ndcgs, recalls = [], []
    for p in dataset.participants:
        grades = dataset.relevance(p.id)
        ranked = rankings.get(p.id, [])
        ndcgs.append(ndcg_at_k(ranked, grades, k))
        recalls.append(recall_at_k(ranked, {o for o, g in grades.items() if g >= 3}, k))
    return mean(ndcgs), mean(recalls)


def offer_text(offer) -> str:
    return " ".join([offer.title, *offer.skills_required, *offer.skills_desired, offer.description])


def participant_text(participant) -> str:
    return " ".join([*participant.interests, *participant.skills])


def _top(dataset: Dataset, scores: np.ndarray, top: int) -> Rankings:
    ids = [o.id for o in dataset.offers]
    order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    return {p.id: [ids[j] for j in row] for p, row in zip(dataset.participants, order, strict=True)}


def tfidf_rankings(dataset: Dataset, top: int = TOP, analyzer: str = "word") -> Rankings:
    """Cosine of TF-IDF vectors: words, or character 3-5-grams within word boundaries."""
    if analyzer == "char_wb":
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    else:
        vectorizer = TfidfVectorizer(analyzer="word")
    offers = vectorizer.fit_transform([offer_text(o) for o in dataset.offers])
    queries = vectorizer.transform([participant_text(p) for p in dataset.participants])
    return _top(dataset, (queries @ offers.T).toarray(), top)


def baseline_rankings(dataset: Dataset, top: int = TOP) -> Rankings:
    """The word TF-IDF baseline (kept under its old name)."""
    return tfidf_rankings(dataset, top, "word")


def bm25_rankings(dataset: Dataset, top: int = TOP, k1: float = 1.2, b: float = 0.75) -> Rankings:
    """Okapi BM25 over words, idf = log(1 + (N - df + 0.5) / (df + 0.5))."""
    counter = CountVectorizer(analyzer="word")
    tf = counter.fit_transform([offer_text(o) for o in dataset.offers]).tocsc().astype(float)
    n_docs = tf.shape[0]
    length = np.asarray(tf.sum(axis=1)).ravel()
    df = np.diff(tf.indptr)
    idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
    tf = tf.tocsr()
    rows = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
    norm = k1 * (1 - b + b * length[rows] / max(length.mean(), 1e-9))
    weights = tf.copy()
    weights.data = idf[tf.indices] * tf.data * (k1 + 1) / (tf.data + norm)
    queries = counter.transform([participant_text(p) for p in dataset.participants])
    queries.data = np.ones_like(queries.data, dtype=float)  # each query word once
    return _top(dataset, (queries @ sp.csr_matrix(weights).T).toarray(), top)


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


def baselines(dataset: Dataset) -> list[Result]:
    return [
        timed(BASELINES[0], dataset, lambda: tfidf_rankings(dataset, analyzer="char_wb")),
        timed(BASELINES[1], dataset, lambda: tfidf_rankings(dataset, analyzer="word")),
        timed(BASELINES[2], dataset, lambda: bm25_rankings(dataset)),
    ]


def run(dataset: Dataset, vocabularies, weights=None) -> list[Result]:
    """The three baselines, then the engine with each named vocabulary."""
    results = baselines(dataset)
    for name, vocabulary in vocabularies:
        results.append(
            timed(
                f"engine, {name}",
                dataset,
                lambda v=vocabulary: engine_rankings(dataset, v, weights),
            )
        )
    return results


def format_results(results) -> str:
    best = max(r.ndcg for r in results if r.system in BASELINES)
    width = max(len(r.system) for r in results) + 2
    lines = [f"{'system':<{width}}{'nDCG@10':>9}{'x best plain':>14}{'recall@10':>11}{'s':>7}"]
    for r in results:
        lines.append(
            f"{r.system:<{width}}{r.ndcg:>9.3f}{r.ndcg / best:>14.2f}{r.recall:>11.3f}"
            f"{r.seconds:>7.1f}"
        )
    return "\n".join(lines)
