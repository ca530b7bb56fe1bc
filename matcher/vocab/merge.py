"""Merging two vocabularies: the project's own and an imported national taxonomy."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matcher.vocab.vocabulary import Vocabulary


def _groups_by_code(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """SSYK code -> ids of group occupations: occupations other occupations belong to."""
    parents = {
        parent for c in vocabulary.concepts() if c.kind == "occupation" for parent in c.occupations
    }
    groups: dict[str, list[str]] = {}
    for c in vocabulary.concepts():
        if c.kind == "occupation" and c.ssyk and c.id in parents and not c.occupations:
            groups.setdefault(c.ssyk, []).append(c.id)
    return groups


def merge(first: Vocabulary, second) -> Vocabulary:
    """Concepts and relations of both; `first` wins on clashing ids and on clashing terms.
    `second` may be a vocabulary or anything with `concepts()`, `substitutability` and `in`
    (the built-in taxonomy's parts, which skip building a vocabulary's indexes twice)."""
    from matcher.vocab.vocabulary import Vocabulary

    concepts = {c.id: c for c in second.concepts()}
    concepts.update({c.id: c for c in first.concepts()})
    for left, right in ((first, second), (second, first)):
        groups = _groups_by_code(right)
        for c in left.concepts():
            if c.kind != "occupation" or c.occupations or not c.ssyk or c.id not in concepts:
                continue
            targets = [g for g in groups.get(c.ssyk, ()) if g != c.id and g not in c.occupations]
            if targets and concepts[c.id] is c:
                concepts[c.id] = replace(c, occupations=(*c.occupations, *targets))
    related: dict[str, dict[str, float]] = {}
    for vocabulary in (second, first):
        for a, row in vocabulary.substitutability.items():
            merged = related.setdefault(a, {})
            for b, weight in row.items():
                merged[b] = max(merged.get(b, 0.0), weight)
    first_ids = [c.id for c in first.concepts()]
    second_ids = [c.id for c in second.concepts() if c.id not in first]
    return Vocabulary(concepts, related, term_tiers=[first_ids, second_ids])
