"""What the index keeps of each offer and participant: resolved terms, columns and text vectors.

Free-text skills are resolved through the vocabulary to concept keys ("c:<concept id>"); a term
the vocabulary does not know keeps a key of its own normalised text ("t:<text>"), so two people
who write the same unknown term still match exactly, and the TF-IDF text component catches the
near misses. Occupations come from the offer's occupation and title, and on the participant's
side from interests (fully), related occupations (substitutability) and skills (weakly).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matcher.constraints import ParticipantConstraints
from matcher.scoring import EMPLOYMENT_VALUES, support_signals, support_values
from matcher.text import CharNgramTfidf
from matcher.types import Offer, Participant

MAX_DF_FROM = 1000
DESCRIPTION_CHARS = 300  # enough to characterise the work; more only slows the n-gram matrix
INTEREST_WEIGHT = 1.0
INTEREST_VIA_SKILL_WEIGHT = 0.9
RELATED_WEIGHT = 0.8  # times the substitutability weight
SKILL_OCCUPATION_WEIGHT = (
    0.2  # benchmarks.tune data: 0.5 -> 0.891, 0.2 -> 0.900, 0.1 -> 0.902; kept
)
# above 0 so that skills still lead somewhere for a person who names no occupation


def make_vectorizer(n_docs: int = 0) -> CharNgramTfidf:
    """Character 3-5-grams within word boundaries (scikit-learn's char_wb): robust to
    inflection, compounds and typos ("truckkort"/"truckkortet", "lagerarbete"/"lagerarbetare");
    sublinear tf so a repeated word does not dominate; Swedish letters kept.

    With many offers, n-grams found in more than half of them are dropped: their IDF weight is
    low, so they hardly move a cosine, but their posting lists are the longest and would make
    every query scan most of the index. (Not with few offers: everything is "common" there.)"""
    return CharNgramTfidf(max_df=0.5 if n_docs >= MAX_DF_FROM else 1.0)


class QueryVectorizer:
    """The participant's text as TF-IDF weights (columns, values) of the fitted model."""

    def __init__(self, vectorizer: CharNgramTfidf):
        self.vectorizer = vectorizer

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        return self.vectorizer.weights_one(text)


@dataclass
class KeySpace:
    """Column numbers for skill keys and occupation ids; grows as offers are added."""

    skill: dict[str, int] = field(default_factory=dict)
    occupation: dict[str, int] = field(default_factory=dict)
    n_text: int = 0
    n_title: int = 0
    # Memo of per-string work for one vocabulary: offers repeat the same terms and titles.
    terms: dict[str, tuple[str, float, str | None]] = field(default_factory=dict)
    occupations_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    support_of: dict[tuple, tuple[dict[str, bool], tuple[float, float, float]]] = field(
        default_factory=dict
    )

    @property
    def n_skill(self) -> int:
        return len(self.skill)

    @property
    def n_occ(self) -> int:
        return len(self.occupation)


def term_key(term: str, vocabulary) -> tuple[str, float, str | None]:
    """(key, confidence, concept id or None) for one free-text term."""
    from matcher.vocab import normalise

    match = vocabulary.resolve(term)
    if match is not None:
        return f"c:{match.concept_id}", float(match.confidence), match.concept_id
    return f"t:{normalise(term)}", 1.0, None


def _unique_terms(terms, vocabulary, memo: dict | None = None) -> list[tuple[str, str, float]]:
    """(key, term as written, confidence), one per key, first writing kept."""
    out: dict[str, tuple[str, str, float]] = {}
    for term in terms:
        if not term or not term.strip():
            continue
        found = memo.get(term) if memo is not None else None
        if found is None:
            found = term_key(term, vocabulary)
            if memo is not None and len(memo) < 1_000_000:
                memo[term] = found
        key, conf, _ = found
        if key != "t:" and key not in out:
            out[key] = (key, term.strip(), conf)
    return list(out.values())


@dataclass
class OfferFeatures:
    offer: Offer
    text: sp.csr_matrix | None
    title_text: sp.csr_matrix | None
    required: list[tuple[str, str, float]]
    desired: list[tuple[str, str, float]]
    required_cols: list[tuple[int, float]]
    desired_cols: list[tuple[int, float]]
    occupation_cols: list[int]
    occupation_ids: tuple[str, ...]
    occupation_label: str
    support: tuple[float, float, float]
    employment: float
    signals: dict[str, bool]

    @staticmethod
    def document(offer: Offer) -> str:
        """The offer text the TF-IDF model sees; the title counts twice, it says most."""
        parts = [
            offer.title,
            offer.title,
            offer.occupation,
            *offer.skills_required,
            *offer.skills_desired,
            offer.description[:DESCRIPTION_CHARS],
        ]
        return " ; ".join(p for p in parts if p)

    @staticmethod
    def title_document(offer: Offer) -> str:
        """What the offer is, for the field-aware title similarity: title and occupation."""
        return " ; ".join(p for p in (offer.title, offer.occupation) if p)


def offer_features(
    offer: Offer, vocabulary, keys: KeySpace, text, title_text=None
) -> OfferFeatures:
    required = _unique_terms(offer.skills_required, vocabulary, keys.terms)
    required_keys = {k for k, _, _ in required}
    desired = [
        t
        for t in _unique_terms(offer.skills_desired, vocabulary, keys.terms)
        if t[0] not in required_keys
    ]

    def cols(terms):
        return [(keys.skill.setdefault(k, len(keys.skill)), conf) for k, _, conf in terms]

    occupation_ids: dict[str, None] = {}
    label = ""
    for written in (offer.occupation, offer.title):
        if not written:
            continue
        found = keys.occupations_of.get(written)
        if found is None:
            match = vocabulary.resolve(written)
            found = () if match is None else vocabulary.occupations_for(match.concept_id)
            keys.occupations_of[written] = found
        if found and not label:
            label = written
        occupation_ids.update(dict.fromkeys(found))
    occ_cols = [keys.occupation.setdefault(o, len(keys.occupation)) for o in occupation_ids]
    support_key = (offer.accessibility, offer.kind)
    if support_key not in keys.support_of:
        signals = support_signals(offer.accessibility, offer.kind)
        keys.support_of[support_key] = (signals, support_values(signals))
    signals, support = keys.support_of[support_key]
    return OfferFeatures(
        offer=offer,
        text=text,
        title_text=title_text,
        required=required,
        desired=desired,
        required_cols=cols(required),
        desired_cols=cols(desired),
        occupation_cols=occ_cols,
        occupation_ids=tuple(occupation_ids),
        occupation_label=label or offer.title,
        support=support,
        employment=EMPLOYMENT_VALUES[offer.leads_to_employment],
        signals=signals,
    )


@dataclass
class ParticipantFeatures:
    participant: Participant
    lat: float
    lon: float
    constraints: ParticipantConstraints
    support_level: int | None
    skills: dict[str, tuple[str, float]]  # key -> (term as written, confidence)
    occupations: dict[str, tuple[float, str, str, str]]  # id -> (weight, how, term, via occ)
    text: tuple[np.ndarray, np.ndarray]  # TF-IDF (columns, values)
    title_text: tuple[np.ndarray, np.ndarray]  # the interests against offer titles
    resolved: float  # share of the interests the vocabulary resolved (1.0 with no interests)

    def skill_cols(self, keys: KeySpace) -> tuple[np.ndarray, np.ndarray]:
        """(columns, confidences) of the person's skills that some offer also names."""
        return _cols([(keys.skill.get(k), c) for k, (_, c) in self.skills.items()])

    def occupation_cols(self, keys: KeySpace) -> tuple[np.ndarray, np.ndarray]:
        return _cols([(keys.occupation.get(o), v[0]) for o, v in self.occupations.items()])


def _cols(items: list[tuple[int | None, float]]) -> tuple[np.ndarray, np.ndarray]:
    kept = [(c, w) for c, w in items if c is not None]
    return (
        np.array([c for c, _ in kept], dtype=np.int64),
        np.array([w for _, w in kept], dtype=np.float64),
    )


def participant_features(
    p: Participant,
    vocabulary,
    keys: KeySpace,
    vectorizer: QueryVectorizer | None,
    default_max_km: float | None = None,
    title_vectorizer: QueryVectorizer | None = None,
) -> ParticipantFeatures:
    skills = {k: (term, conf) for k, term, conf in _unique_terms(p.skills, vocabulary)}
    occupations: dict[str, tuple[float, str, str, str]] = {}

    def offer_weight(occ: str, weight: float, how: str, term: str, via: str) -> None:
        if weight > occupations.get(occ, (0.0,))[0]:
            occupations[occ] = (weight, how, term, via)

    interests = [t for t in p.interests if t and t.strip()]
    n_resolved = 0
    for term in interests:
        match = vocabulary.resolve(term)
        if match is None:
            continue
        n_resolved += 1
        kind = vocabulary.concept(match.concept_id).kind
        base = INTEREST_WEIGHT if kind == "occupation" else INTEREST_VIA_SKILL_WEIGHT
        direct = vocabulary.occupations_for(match.concept_id)
        for occ in direct:
            offer_weight(occ, base * match.confidence, "interest", term, occ)
        for occ in direct:
            for other, w in vocabulary.related_occupations(occ).items():
                offer_weight(other, RELATED_WEIGHT * w * match.confidence, "related", term, occ)
    for term in p.skills:
        match = vocabulary.resolve(term) if term and term.strip() else None
        if match is None:
            continue
        for occ in vocabulary.occupations_for(match.concept_id):
            offer_weight(occ, SKILL_OCCUPATION_WEIGHT * match.confidence, "skill", term, occ)
    query = " ; ".join(t for t in (*p.interests, *p.skills) if t)
    if keys.n_text and query and vectorizer is not None:
        text = vectorizer(query)
    else:
        text = (np.zeros(0, dtype=np.int64), np.zeros(0))
    wanted = " ; ".join(interests)
    if keys.n_title and wanted and title_vectorizer is not None:
        title_text = title_vectorizer(wanted)
    else:
        title_text = (np.zeros(0, dtype=np.int64), np.zeros(0))
    return ParticipantFeatures(
        participant=p,
        lat=p.location.lat,
        lon=p.location.lon,
        constraints=ParticipantConstraints.of(p, default_max_km),
        support_level=p.support_level,
        skills=skills,
        occupations=occupations,
        text=text,
        title_text=title_text,
        resolved=n_resolved / len(interests) if interests else 1.0,
    )
