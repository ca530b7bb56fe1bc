"""Typeahead over concept labels and synonyms, for the web form where people pick competences.

A person types the start of a word in Swedish or English ("städ", "clea", "forkl"), possibly
without å, ä, ö, possibly misspelled. Every word start of every label and synonym is a key in a
sorted list, so a prefix is a binary search plus a short scan; the diacritic-free pass runs when
the prefix has no å, ä, ö and gives too few concepts, the fuzzy pass only when nothing matched at all (as a
filler it mostly added noise).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

from matcher.vocab.concept import Concept
from matcher.vocab.normalise import normalise

_FOLD = str.maketrans(
    {"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"}
)
FUZZY_PREFIX_CUTOFF = 82
MIN_FUZZY_PREFIX = 5
_SCAN_LIMIT = 5000


def fold(term: str) -> str:
    """A normalised term without diacritics, as typed on a keyboard without å, ä, ö."""
    return term.translate(_FOLD)


class Typeahead:
    """Prefix index: (key, concept id, language of the term or "" for synonyms, word position)."""

    def __init__(
        self, concepts: Iterable[Concept], source_rank: Mapping[str, int] | None = None
    ) -> None:
        """`source_rank`: concept id -> rank of where it came from (lower is listed first among
        equally good matches): the project's curated concepts before the national taxonomy's,
        and its names before the 2019 job-title concepts (some are odd spellings)."""
        self._source_rank = dict(source_rank or {})
        entries = []
        for c in concepts:
            written = ((c.label_sv, "sv"), (c.label_en, "en"), *((s, "") for s in c.synonyms))
            for text, lang in written:
                words = normalise(text).split()
                for position in range(len(words)):
                    entries.append((" ".join(words[position:]), c.id, lang, position))
        self._plain = sorted(entries)
        self._plain_keys = [e[0] for e in self._plain]
        self._folded = sorted((fold(e[0]), *e[1:]) for e in entries)
        self._folded_keys = [e[0] for e in self._folded]
        # Fuzzy prefixes only against whole terms: word-internal matches were mostly noise.
        self._whole = [e for e in self._folded if e[3] == 0]
        self._whole_keys = [e[0] for e in self._whole]

    def suggest(
        self, prefix: str, concepts: Mapping[str, Concept], limit: int = 10, lang: str = "sv"
    ) -> list[Concept]:
        key = normalise(prefix)
        if not key or limit <= 0:
            return []
        best: dict[str, tuple] = {}
        self._scan(self._plain, self._plain_keys, key, 0, concepts, lang, best)
        if len(best) < limit and fold(key) == key:  # typed without å, ä, ö: they may be meant
            self._scan(self._folded, self._folded_keys, key, 1, concepts, lang, best)
        if not best and len(key) >= MIN_FUZZY_PREFIX:
            self._fuzzy(fold(key), concepts, lang, best)
        out: list[Concept] = []
        shown: set[tuple[str, str]] = set()
        for concept_id in sorted(best, key=lambda cid: (best[cid], cid)):
            concept = concepts[concept_id]
            # Merged vocabularies hold the same label more than once ("Städare" as the
            # project's occupation, a JobTech name and a group); a list shows it once.
            shown_as = (concept.label(lang).casefold(), concept.kind)
            if shown_as not in shown:
                shown.add(shown_as)
                out.append(concept)
                if len(out) == limit:
                    break
        return out

    def _scan(self, entries, keys, key, tier, concepts, lang, best) -> None:
        start = bisect.bisect_left(keys, key)
        for term, concept_id, lang_of_term, position in entries[start : start + _SCAN_LIMIT]:
            if not term.startswith(key):
                break
            _offer(best, concept_id, tier, lang_of_term, position, concepts, lang, self)

    def _fuzzy(self, key: str, concepts, lang, best) -> None:
        """Misspelled prefixes: compare with as many leading letters of each whole term, among
        terms with the same first letter (people rarely mistype the first one)."""
        width = len(key)
        lo = bisect.bisect_left(self._whole_keys, key[0])
        hi = bisect.bisect_left(self._whole_keys, chr(ord(key[0]) + 1))
        for _term, _score, index in process.extract(
            key,
            self._whole_keys[lo:hi],
            scorer=fuzz.ratio,
            processor=lambda s: s[:width],
            limit=50,
            score_cutoff=FUZZY_PREFIX_CUTOFF,
        ):
            _term, concept_id, lang_of_term, position = self._whole[lo + index]
            _offer(best, concept_id, 2, lang_of_term, position, concepts, lang, self)


def _offer(best, concept_id, tier, lang_of_term, position, concepts, lang, index) -> None:
    """Keep the best-ranked sighting of each concept: label in the asked language first."""
    concept = concepts[concept_id]
    term_rank = 0 if lang_of_term == lang else 1 if lang_of_term else 2
    label = concept.label(lang)
    source = index._source_rank.get(concept_id, 0)
    candidate = (tier, source, term_rank * 2 + (position > 0), len(label), label)
    if concept_id not in best or candidate < best[concept_id]:
        best[concept_id] = candidate
