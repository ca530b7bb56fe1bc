"""The two plain shapes the vocabulary hands out: a concept and a resolved match."""

from __future__ import annotations

from dataclasses import dataclass

KINDS: tuple[str, ...] = ("skill", "occupation")


@dataclass(frozen=True, slots=True)
class Concept:
    """One competence or occupation, in Swedish and English.

    `occupations` are the occupation concept ids the concept belongs to: for a skill, the
    occupations where it is used; for an occupation, its broader groups (for example its SSYK-4
    group in the JobTech taxonomy). `ssyk` is the SSYK 2012 code where known; it is what links
    the project's own occupations to the national taxonomy when both are loaded.
    """

    id: str
    label_sv: str
    label_en: str
    kind: str
    occupations: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    ssyk: str = ""

    def label(self, lang: str = "sv") -> str:
        """The label in `lang`, falling back to the other language when it is missing."""
        if lang == "en":
            return self.label_en or self.label_sv
        return self.label_sv or self.label_en


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    """How a free-text term was resolved.

    `term` is what the person wrote, `matched` the vocabulary term it was matched to (a label or
    synonym, as written in the vocabulary), `confidence` in [0, 1], `method` "exact" (a synonym,
    possibly after dropping a bracketed qualifier) or "fuzzy" (rapidfuzz, above the threshold).
    """

    concept_id: str
    term: str
    matched: str
    confidence: float
    method: str
