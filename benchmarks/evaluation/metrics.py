"""Ranking metrics with graded relevance, written out so the figures can be checked by hand."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain, exponential gain: sum (2^rel - 1) / log2(rank + 1)."""
    return sum((2.0**rel - 1.0) / math.log2(rank + 2) for rank, rel in enumerate(gains))


def ndcg_at_k(ranked: Sequence[str], relevance: Mapping[str, float], k: int = 10) -> float:
    """DCG of the first k ranked ids over the DCG of the best possible order of all relevant ids.

    Ids missing from `relevance` count 0. With nothing relevant the ranking cannot be judged:
    the result is nan, and callers leave such queries out of the mean.
    """
    ideal = dcg(sorted((r for r in relevance.values() if r > 0), reverse=True)[:k])
    if ideal == 0:
        return math.nan
    return dcg([relevance.get(item, 0.0) for item in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """Share of the relevant ids found in the first k; nan when nothing is relevant."""
    if not relevant:
        return math.nan
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def mean(values: Sequence[float]) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return sum(kept) / len(kept) if kept else math.nan
