"""Congestion-aware suggestions for a whole caseload.

Plain top-k suggestions send every participant to the same few attractive placements: in our
synthetic 2,000 x 500 run one placement was shown to hundreds of people and most were never shown
at all (docs/engine-notes.md). A placement with two slots gains nothing from a hundred applicants, and
the participants lose the options they could actually get. So when suggestions are made for many
participants at once, each offer may be shown to at most `ceil(exposure_multiple * capacity)`
participants (default multiple 3: enough applicants for the employer to choose among, few enough
that most of them have a real chance).

The choice is a round-robin greedy: in round 1 every participant takes its best offer that still
has exposure left, in round 2 its next one, and so on up to k. Within a round, participants with
the fewest usable options go first, because they have the fewest alternatives when an offer fills.
Round-robin rather than a total-score flow, because a flow maximising the summed score would give
some people k suggestions and others none; here nobody gets a second suggestion before everyone
who can has a first. Suggestions stay each participant's own best available ones, in score order,
so the reasons the ranker gave still hold.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_EXPOSURE_MULTIPLE = 3.0


def exposure_caps(capacities: Sequence[int] | np.ndarray, multiple: float) -> np.ndarray:
    """How many participants each offer may be shown to; capacity 0 means shown to nobody."""
    if multiple <= 0:
        raise ValueError(f"exposure multiple must be positive, got {multiple}")
    caps = np.asarray(capacities, dtype=np.float64)
    return np.ceil(caps * multiple - 1e-9).astype(np.int64)


def fill_multiple(
    capacities: Sequence[int] | np.ndarray, n_participants: int, k: int, multiple: float
) -> float:
    """The multiple raised just enough that the caps could hold k suggestions per participant.

    When a caseload is much larger than the slots on offer (2,000 people, 1,000 slots), a strict
    3x cap leaves most people one or two suggestions. Raising the multiple uniformly keeps each
    offer's exposure proportional to its slots, so the spread stays even while everyone can get
    k. Whether to do so is the caller's choice: it is more suggestions per slot, by design.
    """
    total = float(np.sum(np.asarray(capacities, dtype=np.float64)))
    if total <= 0:
        return multiple
    return max(multiple, k * n_participants / total)


def capped_top_k(
    candidates: Sequence[Sequence[int]],
    capacities: Sequence[int] | np.ndarray,
    k: int,
    *,
    exposure_multiple: float = DEFAULT_EXPOSURE_MULTIPLE,
    fill: bool = False,
) -> list[list[int]]:
    """For each participant, the positions (into its own best-first candidate list) to show.

    `candidates[p]` lists offer indices best first (feasible ones only, usually the ranker's top
    20 or so: a longer pool than k lets a participant fall back when its favourites fill).
    With `fill`, the multiple is raised when needed so that the caps together could hold k
    suggestions per participant (see `fill_multiple`).
    """
    if fill:
        exposure_multiple = fill_multiple(capacities, len(candidates), k, exposure_multiple)
    cap_left = exposure_caps(capacities, exposure_multiple).tolist()
    n_p = len(candidates)
    usable = [sum(1 for o in row if cap_left[o] > 0) for row in candidates]
    order = sorted(range(n_p), key=lambda p: usable[p])
    pointer = [0] * n_p
    chosen: list[list[int]] = [[] for _ in range(n_p)]
    active = [p for p in order if usable[p] > 0]
    for _ in range(k):
        still = []
        for p in active:
            row, i = candidates[p], pointer[p]
            while i < len(row) and cap_left[row[i]] <= 0:
                i += 1
            if i < len(row):
                cap_left[row[i]] -= 1
                chosen[p].append(i)
                i += 1
                still.append(p)
            pointer[p] = i
        active = still
        if not active:
            break
    return chosen


def plain_top_k(candidates: Sequence[Sequence[int]], k: int) -> list[list[int]]:
    """The uncapped baseline: each participant's first k candidates."""
    return [list(range(min(k, len(row)))) for row in candidates]


def gini(values: Sequence[float] | np.ndarray) -> float:
    """Gini coefficient of non-negative values: 0 = all equal, towards 1 = all on one."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n, total = len(x), x.sum()
    if n == 0 or total == 0:
        return 0.0
    return float(2 * np.sum(np.arange(1, n + 1) * x) / (n * total) - (n + 1) / n)


@dataclass(frozen=True)
class ExposureReport:
    mean_score: float  # over all suggestions shown
    mean_top_score: float  # each participant's best shown suggestion, averaged over those shown any
    suggestions_per_participant: float
    participants_without_suggestion: int
    offers_never_suggested_share: float  # among offers with capacity > 0
    max_exposure: int
    max_exposure_per_slot: float
    exposure_gini: float  # over offers with capacity > 0


def exposure_report(
    candidates: Sequence[Sequence[int]],
    scores: Sequence[Sequence[float]],
    capacities: Sequence[int] | np.ndarray,
    shown: Sequence[Sequence[int]],
) -> ExposureReport:
    """Figures to compare a set of shown suggestions with another (e.g. capped vs plain)."""
    caps = np.asarray(capacities, dtype=np.int64)
    exposure = np.zeros(len(caps), dtype=np.int64)
    total, count = 0.0, 0
    tops = [max(scores[p][i] for i in positions) for p, positions in enumerate(shown) if positions]
    for p, positions in enumerate(shown):
        for i in positions:
            exposure[candidates[p][i]] += 1
            total += scores[p][i]
            count += 1
    open_offers = caps > 0
    exp_open = exposure[open_offers]
    n_p = len(shown)
    return ExposureReport(
        mean_score=total / count if count else 0.0,
        mean_top_score=float(np.mean(tops)) if tops else 0.0,
        suggestions_per_participant=count / n_p if n_p else 0.0,
        participants_without_suggestion=sum(1 for row in shown if not row),
        offers_never_suggested_share=float(np.mean(exp_open == 0)) if len(exp_open) else 0.0,
        max_exposure=int(exposure.max()) if len(exposure) else 0,
        max_exposure_per_slot=float((exp_open / caps[open_offers]).max()) if len(exp_open) else 0,
        exposure_gini=gini(exp_open),
    )


def suggest_for_caseload(
    index,
    participants: Sequence,
    capacities: Mapping[str, int],
    *,
    k: int = 5,
    pool: int = 20,
    exposure_multiple: float = DEFAULT_EXPOSURE_MULTIPLE,
) -> dict[str, list]:
    """Capped suggestions for many participants: participant id -> its Suggestions, re-ranked 1..

    `index` is an `OfferIndex` (anything with `rank_many(participants, top)`); `capacities`
    maps offer id to open slots. Each participant's pool is its top `pool` feasible offers from
    the ranker, and the capped choice keeps their scores and reasons (structured, rendered by
    the caller in its reader's language).
    """
    ranked = [list(row) for row in index.rank_many(participants, pool)]
    offer_ids = {offer_id: n for n, offer_id in enumerate(capacities)}
    caps = [int(c) for c in capacities.values()]
    candidates = [[offer_ids[s.offer_id] for s in row] for row in ranked]
    chosen = capped_top_k(candidates, caps, k, exposure_multiple=exposure_multiple)
    return {
        p.id: [
            dataclasses.replace(ranked[n][i], rank=rank)
            for rank, i in enumerate(positions, start=1)
        ]
        for n, (p, positions) in enumerate(zip(participants, chosen, strict=True))
    }
