"""Resolve free-text competences and occupations to concepts, and relate occupations.

Lookups go from the cheapest and surest to the most forgiving:

1. exact: the normalised text is a label or synonym (confidence 1.0);
2. variants, still "exact": the text without a bracketed qualifier ("Python (primary)"), without
   Swedish diacritics ("stadning" for people on a foreign keyboard), or the head of a
   "thing, kind" label ("UNIX, operativsystem"), each slightly less sure (see the constants);
3. fuzzy: rapidfuzz `token_sort_ratio` (computed as `ratio` on pre-sorted tokens) against every
   normalised label and synonym, accepted at `FUZZY_THRESHOLD` or above, for misspellings and
   word-order changes. The choices are normalised once at build time and the query with the same
   function, so no rapidfuzz `processor` is needed (rapidfuzz 3 applies none by default:
   comparing raw text is the pitfall noted in docs/engine-notes.md).

Anything below the threshold is None: the ranker still compares it as text, so an unknown term is
never dropped, only not credited as a concept.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from rapidfuzz import fuzz, process

from matcher.vocab.concept import KINDS, Concept, ConceptMatch
from matcher.vocab.normalise import drop_brackets, head_term, normalise, strip_qualifiers
from matcher.vocab.typeahead import Typeahead, fold

# ratio = 2 * matching letters / total length. At 0.86 a dropped or doubled letter passes from
# five letters up, a replaced letter from eight ("truckförabevis"), and short words need exact
# spelling, where one letter often changes the meaning ("plock"/"block", "kassa"/"kasse").
FUZZY_THRESHOLD = 0.86
MIN_FUZZY_LENGTH = 5
QUALIFIER_CONFIDENCE = 0.95
FOLDED_CONFIDENCE = 0.95
HEAD_CONFIDENCE = 0.9

Substitutability = Mapping[str, Mapping[str, float]] | Iterable[tuple[str, str, float]]


class Vocabulary:
    """An immutable set of concepts with lookup indexes; build with `from_concepts`."""

    def __init__(
        self,
        concepts: Mapping[str, Concept],
        substitutability: Mapping[str, Mapping[str, float]],
        term_tiers: Iterable[Iterable[str]] | None = None,
    ) -> None:
        """`term_tiers`: groups of concept ids whose terms are written group by group (labels
        before synonyms within a group); the first writer of a term keeps it. Default: one group."""
        self._concepts = dict(concepts)
        self._related = {a: dict(b) for a, b in substitutability.items() if b}
        # term -> concept id, first writer wins; labels are written before synonyms.
        self._terms: dict[str, str] = {}
        self._written: dict[str, str] = {}  # normalised term -> as written in the vocabulary
        self.collisions: list[tuple[str, str, str]] = []  # (term, kept id, other id)
        # variant key -> (concept id, the normalised term it came from), None when ambiguous
        self._folded: dict[str, tuple[str, str] | None] = {}
        self._heads: dict[str, tuple[str, str] | None] = {}
        self._skills_by_occupation: dict[str, list[str]] = {}
        tiers = list(term_tiers) if term_tiers is not None else [list(self._concepts)]
        self._build(tiers)
        # For the typeahead: earlier tiers (the project's own) first, and within a tier the
        # JobTech names before the concepts made from 2019 job-title terms (`yrke:`, `formaga:`).
        self._source_rank = {
            cid: 2 * n + cid.startswith(("yrke:", "formaga:"))
            for n, tier in enumerate(tiers)
            for cid in tier
        }
        self._cache: dict[str, ConceptMatch | None] = {}

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_concepts(
        cls, concepts: Iterable[Concept], substitutability: Substitutability | None = None
    ) -> Vocabulary:
        """Build from concepts and an optional substitutability table.

        `substitutability` is either {occupation: {other occupation: weight}} or (from, to, weight)
        triples, weight in (0, 1]; it is directed: a person from `from` can do the job of `to`.
        """
        by_id: dict[str, Concept] = {}
        for concept in concepts:
            if concept.kind not in KINDS:
                raise ValueError(f"concept {concept.id!r}: kind {concept.kind!r} not in {KINDS}")
            if concept.id in by_id:
                raise ValueError(f"concept {concept.id!r} appears twice")
            by_id[concept.id] = concept
        return cls(by_id, _related_table(substitutability, by_id))

    @classmethod
    def load_default(cls) -> Vocabulary:
        """The project's own vocabulary from `data/vocabulary/` with the built-in JobTech
        taxonomy (`data/taxonomy/`) beside it, read once per process."""
        from matcher.vocab.project import load_default

        return load_default()

    @classmethod
    def load_project(cls) -> Vocabulary:
        """The project's own vocabulary alone (no national taxonomy), read once per process:
        the base to merge a newer JobTech export with (`merged_with(load_jobtech(DIR))`)."""
        from matcher.vocab.project import load_project

        return load_project()

    def _add_term(self, written: str, concept_id: str) -> None:
        key = normalise(written)
        if not key:
            return
        kept = self._terms.setdefault(key, concept_id)
        if kept == concept_id:
            self._written.setdefault(key, written)
        else:
            self.collisions.append((key, kept, concept_id))

    def _build(self, term_tiers: list[Iterable[str]]) -> None:
        for tier in term_tiers:
            members = [self._concepts[cid] for cid in tier]
            for c in members:
                self._add_term(c.label_sv, c.id)
                self._add_term(c.label_en, c.id)
            for c in members:
                for synonym in c.synonyms:
                    self._add_term(synonym, c.id)
        concepts = self._concepts.values()
        for c in concepts:
            if c.kind == "skill":
                for occupation_id in c.occupations:
                    self._skills_by_occupation.setdefault(occupation_id, []).append(c.id)
        # Secondary keys: kept only when they point at a single concept.
        for key, concept_id in self._terms.items():
            _add_unique(self._folded, fold(key), concept_id, key)
        for c in concepts:
            for written in (c.label_sv, c.label_en, *c.synonyms):
                head = head_term(drop_brackets(written))
                if head and head not in self._terms:
                    _add_unique(self._heads, head, c.id, normalise(written))
        self._choices = list(self._terms)
        self._choice_ids = [self._terms[t] for t in self._choices]
        # token_sort_ratio re-sorts every choice on every call; sorting once and comparing with
        # plain `ratio` gives the same scores about ten times faster.
        # Ordered by length, so a query only meets choices long or short enough to reach the
        # threshold (ratio = 2 * matches / total length); ties go to the shorter, then earlier.
        by_length = sorted(range(len(self._choices)), key=lambda i: len(self._choices[i]))
        self._fuzzy_index = by_length
        self._fuzzy_choices = [_sort_tokens(self._choices[i]) for i in by_length]
        self._fuzzy_lengths = [len(t) for t in self._fuzzy_choices]
        self._typeahead: Typeahead | None = None

    # -- lookups ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._concepts)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._concepts

    def concepts(self) -> Iterable[Concept]:
        return self._concepts.values()

    def concept(self, concept_id: str) -> Concept:
        try:
            return self._concepts[concept_id]
        except KeyError:
            raise KeyError(f"unknown concept id {concept_id!r}") from None

    def resolve(self, text: str) -> ConceptMatch | None:
        """The concept `text` names, or None when nothing is close enough. Cached per text."""
        if text in self._cache:
            return self._cache[text]
        match = self._resolve(text)
        if len(self._cache) < 200_000:
            self._cache[text] = match
        return match

    def _resolve(self, text: str) -> ConceptMatch | None:
        key = normalise(text)
        if not key:
            return None
        found = self._terms.get(key)
        if found:
            return self._match(found, text, key, 1.0, "exact")
        stripped = strip_qualifiers(text)
        if stripped and stripped != key and stripped in self._terms:
            return self._match(self._terms[stripped], text, stripped, QUALIFIER_CONFIDENCE, "exact")
        for table, variant, confidence in (
            (self._folded, fold(key), FOLDED_CONFIDENCE),
            (self._heads, head_term(drop_brackets(text)), HEAD_CONFIDENCE),
        ):
            found_variant = table.get(variant) if variant else None
            if found_variant:
                concept_id, source = found_variant
                return self._match(concept_id, text, source, confidence, "exact")
        return self._fuzzy(text, stripped or key)

    def _fuzzy(self, text: str, key: str) -> ConceptMatch | None:
        if len(key) < MIN_FUZZY_LENGTH or not self._choices:
            return None
        query = _sort_tokens(key)
        # 2 * min(a, b) / (a + b) >= t  <=>  b within [a * t / (2 - t), a * (2 - t) / t]
        t = FUZZY_THRESHOLD
        lo = bisect.bisect_left(self._fuzzy_lengths, math.floor(len(query) * t / (2 - t)))
        hi = bisect.bisect_right(self._fuzzy_lengths, math.ceil(len(query) * (2 - t) / t))
        best = process.extractOne(
            query,
            self._fuzzy_choices[lo:hi],
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=t * 100,
        )
        if best is None:
            return None
        _sorted, score, position = best
        index = self._fuzzy_index[lo + position]
        term = self._choices[index]
        return self._match(self._choice_ids[index], text, term, round(score / 100, 4), "fuzzy")

    def _match(self, concept_id: str, text: str, key: str, confidence: float, method: str):
        matched = self._written.get(key, key)
        return ConceptMatch(concept_id, text, matched, confidence, method)

    # -- relations ----------------------------------------------------------------------------

    def occupations_for(self, concept_id: str) -> tuple[str, ...]:
        """Occupation ids a concept points at, with their groups: for a skill, its occupations;
        for an occupation, itself; each followed by the groups those belong to."""
        concept = self.concept(concept_id)
        direct = (concept.id,) if concept.kind == "occupation" else concept.occupations
        out = dict.fromkeys(direct)
        for occupation_id in direct:
            parent = self._concepts.get(occupation_id)
            if parent is not None and parent.kind == "occupation":
                out.update(dict.fromkeys(parent.occupations))
        return tuple(out)

    def skills_for(self, occupation_id: str) -> tuple[str, ...]:
        """Skill ids that belong to an occupation (the reverse of `Concept.occupations`)."""
        return tuple(self._skills_by_occupation.get(occupation_id, ()))

    def related_occupations(self, occupation_id: str) -> dict[str, float]:
        """Occupations a person from `occupation_id` could also do, weight in (0, 1]."""
        return dict(self._related.get(occupation_id, {}))

    def occupation_similarity(self, a: str, b: str) -> float:
        """1.0 when two concepts share an occupation, else the best substitutability weight."""
        mine, theirs = self.occupations_for(a), set(self.occupations_for(b))
        if theirs.intersection(mine):
            return 1.0
        best = 0.0
        for occupation_id in mine:
            related = self._related.get(occupation_id)
            if related:
                best = max([best, *(related.get(t, 0.0) for t in theirs)])
        return best

    @property
    def substitutability(self) -> Mapping[str, Mapping[str, float]]:
        return MappingProxyType(self._related)

    # -- merging and typeahead ----------------------------------------------------------------

    def merged_with(self, other: Vocabulary) -> Vocabulary:
        """Both vocabularies; this one wins on clashing ids and terms.

        Occupations with an SSYK code but no group of their own are linked to the other side's
        group with the same code, so the project's "Lagerarbetare" and JobTech's SSYK 4321 group
        count as the same occupation when both are loaded.
        """
        from matcher.vocab.merge import merge

        return merge(self, other)

    def suggest(self, prefix: str, limit: int = 10, lang: str = "sv") -> list[Concept]:
        """Concepts for a web typeahead: word-prefix matches on labels and synonyms (labels in
        `lang` first), then without diacritics, then fuzzy on the prefix. Built on first use."""
        if self._typeahead is None:
            self._typeahead = Typeahead(self._concepts.values(), self._source_rank)
        return self._typeahead.suggest(prefix, self._concepts, limit=limit, lang=lang)


def _sort_tokens(term: str) -> str:
    return " ".join(sorted(term.split()))


def _add_unique(
    table: dict[str, tuple[str, str] | None], key: str, concept_id: str, source: str
) -> None:
    if not key:
        return
    if key not in table:
        table[key] = (concept_id, source)
    elif table[key] is not None and table[key][0] != concept_id:
        table[key] = None  # ambiguous: never guessed


def _related_table(
    substitutability: Substitutability | None, concepts: Mapping[str, Concept]
) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    if substitutability is None:
        return table
    items = (
        ((a, b, w) for a, row in substitutability.items() for b, w in row.items())
        if isinstance(substitutability, Mapping)
        else substitutability
    )
    for a, b, weight in items:
        for end in (a, b):
            if end not in concepts or concepts[end].kind != "occupation":
                raise ValueError(f"substitutability {a!r} -> {b!r}: {end!r} is not an occupation")
        if not 0.0 < float(weight) <= 1.0:
            raise ValueError(f"substitutability {a!r} -> {b!r}: weight {weight} not in (0, 1]")
        if a != b:
            row = table.setdefault(a, {})
            row[b] = max(row.get(b, 0.0), float(weight))
    return table
