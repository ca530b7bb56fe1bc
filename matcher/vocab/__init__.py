"""Competence and occupation vocabulary: normalisation, concept resolution, substitutability.

The ranker asks three things of it: which concept a free-text term names (`Vocabulary.resolve`),
which occupations a concept belongs to (`occupations_for`), and which occupations a person could
also do (`related_occupations`). The project ships its own vocabulary (`load_default`); a
municipality can add the national JobTech taxonomy (`load_jobtech`, then `merged_with`).
"""

from matcher.vocab.concept import Concept, ConceptMatch
from matcher.vocab.normalise import normalise, strip_qualifiers
from matcher.vocab.project import VocabularyFileError, load_directory
from matcher.vocab.vocabulary import FUZZY_THRESHOLD, Vocabulary


def load_jobtech(directory) -> Vocabulary:
    """Official JobTech Taxonomy export files in `directory` (see matcher.vocab.jobtech)."""
    from matcher.vocab.jobtech import load_jobtech as _load

    return _load(directory)


__all__ = [
    "FUZZY_THRESHOLD",
    "Concept",
    "ConceptMatch",
    "Vocabulary",
    "VocabularyFileError",
    "load_directory",
    "load_jobtech",
    "normalise",
    "strip_qualifiers",
]
