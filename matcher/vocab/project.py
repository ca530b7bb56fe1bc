"""The project's own curated vocabulary in `data/vocabulary/` (format in its README)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from matcher.vocab.concept import KINDS, Concept
from matcher.vocab.vocabulary import Vocabulary

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "vocabulary"
CONCEPTS_FILE = "concepts.jsonl"
SUBSTITUTABILITY_FILE = "substitutability.jsonl"


class VocabularyFileError(ValueError):
    """One or more lines of a vocabulary file break its format; the message lists them all."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _read_jsonl(path: Path, problems: list[str]):
    """(line number, object) for each non-blank line; bad JSON is reported, not raised."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot read: {exc}")
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not valid JSON: {exc.msg}")
            continue
        if not isinstance(item, dict):
            problems.append(f"{path}:{number}: expected a JSON object")
            continue
        yield number, item


def _strings(item: dict, key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where}: key {key!r}: expected a list of non-empty strings")
        return ()
    return tuple(value)


def read_concepts(path: Path, problems: list[str]) -> list[tuple[int, Concept]]:
    """(line number, concept) for each valid line; problems get one message per bad line."""
    concepts = []
    for number, item in _read_jsonl(path, problems):
        where = f"{path}:{number}"
        missing = [k for k in ("id", "kind", "sv", "en") if not isinstance(item.get(k), str)]
        if missing:
            problems.append(f"{where}: key {missing[0]!r}: required string missing")
            continue
        if item["kind"] not in KINDS:
            problems.append(f"{where}: key 'kind': {item['kind']!r} is not one of {KINDS}")
            continue
        concepts.append(
            (
                number,
                Concept(
                    id=item["id"],
                    label_sv=item["sv"],
                    label_en=item["en"],
                    kind=item["kind"],
                    occupations=_strings(item, "occupations", where, problems),
                    synonyms=_strings(item, "synonyms", where, problems),
                    ssyk=str(item.get("ssyk", "")),
                ),
            )
        )
    return concepts


def check_references(path: Path, concepts: list[tuple[int, Concept]], problems: list[str]) -> None:
    """Unique ids, and every referenced occupation exists and is an occupation."""
    kinds: dict[str, str] = {}
    for number, c in concepts:
        if c.id in kinds:
            problems.append(f"{path}:{number}: key 'id': {c.id!r} appears twice")
        kinds[c.id] = c.kind
    for number, c in concepts:
        for occupation_id in c.occupations:
            if kinds.get(occupation_id) != "occupation":
                problems.append(
                    f"{path}:{number}: key 'occupations': {occupation_id!r} is not an occupation"
                )


def read_substitutability(
    path: Path, kinds: dict[str, str], problems: list[str]
) -> list[tuple[str, str, float]]:
    """Directed edges (from, to, weight); `"mutual": true` adds the reverse edge too."""
    edges = []
    for number, item in _read_jsonl(path, problems):
        where = f"{path}:{number}"
        a, b, weight = item.get("from"), item.get("to"), item.get("weight")
        if not isinstance(a, str) or not isinstance(b, str):
            problems.append(f"{where}: keys 'from' and 'to': required strings")
            continue
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            problems.append(f"{where}: key 'weight': expected a number in (0, 1]")
            continue
        bad = next((k for k, v in (("from", a), ("to", b)) if kinds.get(v) != "occupation"), None)
        if bad or a == b:
            problem = f"{item[bad]!r} is not an occupation" if bad else "an edge to itself"
            problems.append(f"{where}: key {bad or 'to'!r}: {problem}")
            continue
        edges.append((a, b, float(weight)))
        if item.get("mutual", False):
            edges.append((b, a, float(weight)))
    return edges


def load_directory(directory: Path | str) -> Vocabulary:
    """Read a vocabulary folder in the project's format; VocabularyFileError lists every problem."""
    directory = Path(directory)
    problems: list[str] = []
    numbered = read_concepts(directory / CONCEPTS_FILE, problems)
    check_references(directory / CONCEPTS_FILE, numbered, problems)
    concepts = [c for _number, c in numbered]
    sub_path = directory / SUBSTITUTABILITY_FILE
    kinds = {c.id: c.kind for c in concepts}
    edges = read_substitutability(sub_path, kinds, problems) if sub_path.exists() else []
    if problems:
        raise VocabularyFileError(problems)
    try:
        return Vocabulary.from_concepts(concepts, edges)
    except ValueError as exc:
        raise VocabularyFileError([f"{directory}: {exc}"]) from None


@functools.cache
def load_project() -> Vocabulary:
    """The project's own vocabulary alone, read once per process."""
    return load_directory(DEFAULT_DIRECTORY)


@functools.cache
def load_default() -> Vocabulary:
    """What the engine uses out of the box, read once per process: the project's own
    vocabulary with the built-in national taxonomy beside it (`matcher.vocab.builtin`); the
    project's concepts and terms win where both name the same thing."""
    from matcher.vocab.builtin import read_builtin
    from matcher.vocab.merge import merge

    return merge(load_project(), read_builtin())
