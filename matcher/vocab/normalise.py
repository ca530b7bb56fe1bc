"""Text normalisation shared by every lookup in the vocabulary.

People write competences in many ways ("Truckkort A+B", "truckkort a/b", "Python (primary)").
Everything that is compared (synonym keys, fuzzy choices, typeahead prefixes) goes through the
same `normalise`, so that exact lookups are exact on meaning rather than on typing habits. The
rules keep what carries meaning: letters of any script (å, ä, ö, é, ü), digits, and "+" / "#"
inside a word ("c++", "c#", "a+b"); everything else becomes a word break.
"""

from __future__ import annotations

import re
import unicodedata

_KEEP_INSIDE = frozenset("+#")
_PARENTHESES = re.compile(r"[(\[{][^)\]}]*[)\]}]")


def _is_word_char(ch: str) -> bool:
    # Letters, digits and combining marks (for decomposed accents that NFKC could not compose).
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _clean_token(token: str) -> str:
    """Drop "+" / "#" that do not sit in a word: a lone "+" or a leading "#" is punctuation."""
    token = token.lstrip("#")
    if not any(_is_word_char(ch) for ch in token):
        return ""
    return token


def normalise(text: str) -> str:
    """Casefold, fold compatibility forms, turn punctuation into spaces, collapse whitespace.

    >>> normalise("  Python (primary) ")
    'python primary'
    >>> normalise("Truckkort A+B")
    'truckkort a+b'
    >>> normalise("IT-support, Windows/C#")
    'it support windows c#'
    """
    if not text:
        return ""
    # NFKC again after casefold: casefolding can decompose ("ΐ"), and a second pass must not
    # change the key.
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    chars = [ch if _is_word_char(ch) or ch in _KEEP_INSIDE else " " for ch in text]
    tokens = (_clean_token(t) for t in "".join(chars).split())
    return " ".join(t for t in tokens if t)


def strip_qualifiers(text: str) -> str:
    """The text without its bracketed qualifiers, normalised: "Python (primary)" -> "python".

    Used as a second, slightly less confident lookup key: the qualifier says something about the
    person's level or context, not about which competence it is.
    """
    return normalise(drop_brackets(text))


def drop_brackets(text: str) -> str:
    """`text` without its bracketed parts, otherwise as written (commas survive)."""
    return _PARENTHESES.sub(" ", text or "")


def head_term(text: str) -> str:
    """The part before the first comma, normalised: "UNIX, operativsystem" -> "unix".

    The JobTech taxonomy writes many labels as "thing, kind"; people type only the thing.
    """
    return normalise((text or "").split(",", 1)[0])
