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

_PARENTHESES = re.compile(r"[(\[{][^)\]}]*[)\]}]")
# Anything that is not a letter, digit, combining accent, "+" or "#" is a word break; "_" too
# (Python's \w counts it as a letter).
_BREAKS = re.compile(r"[^\w+#\u0300-\u036f]|_")


def _clean_token(token: str) -> str:
    """Drop "+" / "#" that do not sit in a word: a lone "+" or a leading "#" is punctuation."""
    token = token.lstrip("#")
    if not any(ch.isalnum() for ch in token):
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
    tokens = _BREAKS.sub(" ", text).split()
    if "+" in text or "#" in text:
        tokens = [t for t in map(_clean_token, tokens) if t]
    return " ".join(tokens)


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
