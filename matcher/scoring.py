"""How a feasible offer is scored for a participant: named components in [0, 1] and their weights.

Every component is a plain, explainable quantity a coach can check by hand, and every weight sits
in `Weights` with the reason it has that size. The score is the weighted mean of the components,
then scaled down for missing required skills (they are listed as gaps, not hidden: a coach
decides whether training can close them). Components are computed on arrays, one row per
participant and one column per offer, so ranking one participant and a batch share one path.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

COMPONENTS: tuple[str, ...] = (
    "skills",
    "desired",
    "occupation",
    "title",
    "text",
    "distance",
    "hours",
    "support",
    "employment",
)


@dataclass(frozen=True)
class Weights:
    """Weights of the score components and the few constants that shape them.

    skills: share of the offer's required skills the person has (concept match, confidence
        weighted). The largest weight: requirements are what employers turn people away for.
    occupation: the offer's occupation is one the person is interested in, or one the vocabulary
        says their interests or skills lead to (substitutability lifts related occupations).
        Second largest: a placement the person wants is the one they stay in.
    title: field-aware text similarity: TF-IDF character 3-5-gram cosine between what the person
        wants (interests) and what the offer is (title, occupation), with its own IDF over
        titles. Catches job titles the vocabulary does not know, or knows under another
        spelling; where an interest resolves to nothing, the occupation weight falls back on
        it (see `combine`).
    text: TF-IDF character 3-5-gram cosine between profile and offer text. Catches what the
        vocabulary does not know (misspellings, rare terms, descriptions) without overruling it.
    distance: nearer is better, decaying with `distance_scale_km` (shorter when the person's
        own limit is short). Feasibility already cut what is too far; this only orders.
    desired: share of nice-to-have skills matched; small, they are by definition optional.
    support: what the workplace gives (low pace, trained supervisor, work training) against what
        the support level needs: decisive for level 1, irrelevant for level 3.
    employment: offers that lead to a job rank higher, gently: a good placement that does not
        lead to a job is still a good placement.
    hours: how much of the person's available hours the offer can use; the overlap is already
        required, so a small weight.
    (An offer that lists no required skills scores 1.0 on `skills`: nothing is missing; one that
    lists no desired skills scores 0.5 on `desired`: nothing to gain or lose.)
    missing_required_penalty: the weighted mean is multiplied by
        1 - penalty * (share of required skills missing), so an offer missing everything it
        requires cannot rank high on distance and text alone.
    """

    # Fitted with `python -m benchmarks.tune` on tuning seeds 101-103 (noise 0.1 and 0.3, terms
    # known and unknown), with floors for what the labels cannot see (skills 0.1, desired 0.03,
    # distance 0.03, missing-skill penalty 0.05); reported on held-out seeds 1-3 by
    # `python -m benchmarks.evaluate` (benchmarks/EVALUATION.md). Sum 1.
    skills: float = 0.108
    occupation: float = 0.369
    title: float = 0.091
    text: float = 0.165
    distance: float = 0.039
    desired: float = 0.031
    support: float = 0.071
    employment: float = 0.063
    hours: float = 0.063
    missing_required_penalty: float = 0.05
    distance_scale_km: float = 20.0
    text_full_at: float = 0.3325  # a cosine this high between profile and offer is a full match

    def component_weights(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in COMPONENTS}

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"weight {name} must be a finite number >= 0, got {value}")
        if sum(self.component_weights().values()) <= 0:
            raise ValueError("at least one component weight must be positive")
        if self.missing_required_penalty > 1:
            raise ValueError("missing_required_penalty must be at most 1")
        if self.distance_scale_km <= 0 or self.text_full_at <= 0:
            raise ValueError("distance_scale_km and text_full_at must be positive")


def combine(
    components: dict[str, np.ndarray], weights: Weights, resolved: np.ndarray | float = 1.0
) -> np.ndarray:
    """The score from its components: weighted mean, scaled for missing required skills.

    `resolved` (per participant, a column for a batch): the share of the person's interests
    the vocabulary resolved. The occupation weight of the unresolved share goes to the title
    similarity instead: a job title the vocabulary does not know (English, invented, badly
    misspelt) is then judged by its text, not dropped.
    """
    cw = weights.component_weights()
    total = sum(cw.values())
    moved = cw["occupation"] * (1.0 - np.asarray(resolved, dtype=np.float64))
    score = sum(cw[name] * components[name] for name in COMPONENTS)
    score = score - moved * components["occupation"] + moved * components["title"]
    score = score / total
    score = score * (1.0 - weights.missing_required_penalty * (1.0 - components["skills"]))
    return np.clip(score, 0.0, 1.0)


def coverage(hits: np.ndarray, n_terms: np.ndarray, empty_value: float) -> np.ndarray:
    """Share of an offer's terms the person covers; `empty_value` when the offer lists none."""
    n = n_terms.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, hits / np.maximum(n, 1.0), empty_value)
    return np.clip(share, 0.0, 1.0)


def distance_component(distance_km: np.ndarray, max_km: np.ndarray, scale_km: float) -> np.ndarray:
    """exp(-d / tau), tau = the scale, or half the person's own limit when that is shorter."""
    tau = np.minimum(scale_km, np.maximum(np.asarray(max_km, dtype=np.float64) / 2.0, 1.0))
    return np.exp(-distance_km / tau)


def hours_component(
    offer_min: np.ndarray, offer_max: np.ndarray, p_min: np.ndarray, p_max: np.ndarray
) -> np.ndarray:
    """Share of the person's available hours range that the offer's range covers."""
    lo = np.maximum(offer_min, p_min)
    hi = np.minimum(offer_max, p_max)
    span = p_max - p_min
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(
            ~np.isfinite(span),
            1.0,
            np.where(span > 0, (hi - lo) / np.where(span > 0, span, 1), 1.0),
        )
    share = np.where(np.isfinite(share), share, 1.0)
    return np.clip(share, 0.0, 1.0)


def text_component(cosine: np.ndarray, weights: Weights) -> np.ndarray:
    return np.clip(cosine / weights.text_full_at, 0.0, 1.0)


# What an offer gives, per support level of the participant (None = not assessed).
LEVEL_1_SIGNALS = ("low_pace_possible", "supervisor_trained", "work_training")
LEVEL_2_SIGNALS = ("supervisor_trained", "flexible_or_low_pace")


def support_signals(accessibility, kind: str | None) -> dict[str, bool]:
    return {
        "low_pace_possible": "low_pace_possible" in accessibility,
        "supervisor_trained": "supervisor_trained" in accessibility,
        "work_training": kind in ("arbetstraning", "arbetsprovning")
        or "flexible_hours" in accessibility,
        "flexible_or_low_pace": "flexible_hours" in accessibility
        or "low_pace_possible" in accessibility,
    }


def support_values(signals: dict[str, bool]) -> tuple[float, float, float]:
    """The support component for levels (none/3, 1, 2): level 1 needs all three signals,
    level 2 starts at half and gains from coaching on site, level 3 needs nothing extra."""
    level1 = sum(signals[s] for s in LEVEL_1_SIGNALS) / len(LEVEL_1_SIGNALS)
    level2 = 0.5 + 0.5 * sum(signals[s] for s in LEVEL_2_SIGNALS) / len(LEVEL_2_SIGNALS)
    return (1.0, level1, level2)


def support_row(level: int | None) -> int:
    """Which of `support_values`' entries applies to a support level."""
    return {1: 1, 2: 2}.get(level, 0)


EMPLOYMENT_VALUES = {"yes": 1.0, "maybe": 0.6, None: 0.4, "no": 0.2}
