"""Importer for the official JobTech Taxonomy export files (Arbetsförmedlingen, open data).

A municipality that already works with the national taxonomy points `--taxonomy DIR` at a folder
of export files; each file is optional, unknown files are ignored, and a malformed file is a
ValueError naming it. What each file gives the vocabulary:

| file | gives |
| --- | --- |
| `ssyk-level-4-groups.json` | occupation groups (SSYK 2012, four digits) |
| `ssyk-level-4-groups-with-related-occupations.json` | occupation names (`narrower`) per group |
| `ssyk-level-4-groups-with-related-skills.json` | skills (`related`) of each group |
| `skills.json` | skill labels, also of skills no group mentions |
| `substitutability-relations-between-occupations.json` | which occupation can do which job |
| `termer_koncept_yrke.csv` | job titles as employers write them, misspellings included (1) |
| `termer_koncept_formaga.csv` | soft-skill terms (förmågor), each its own skill concept |

(1) The term files come from the 2019 ontology, whose concepts are not taxonomy ids: a term whose
concept label is an occupation name becomes a synonym of that name; otherwise the concept becomes
an occupation of its own (id `yrke:<uuid>`, its terms as synonyms), linked to the SSYK groups
whose label or title head it equals ("Vaktmästare" -> "Vaktmästare m.fl."), so that "uska" and
"undersköterska" in two texts still meet.

Substitutability direction, read from the data: in the export, occupation X `substitutes` lists
the occupations whose people can do X's job ("Lagerarbetare" substitutes "Leveranschef" 75: a
delivery manager can do warehouse work, not the reverse); `substituted_by` is the same relation
seen from the other end. So a person from P can also do the jobs in P's `substituted_by`, and
that is what `related_occupations(P)` returns (75 -> 0.75, 25 -> 0.25). Groups get the best
weight between their members, so ranking can lift whole SSYK groups too.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from matcher.vocab.concept import Concept
from matcher.vocab.normalise import head_term, normalise
from matcher.vocab.vocabulary import Vocabulary

GROUPS = "ssyk-level-4-groups.json"
GROUP_OCCUPATIONS = "ssyk-level-4-groups-with-related-occupations.json"
GROUP_SKILLS = "ssyk-level-4-groups-with-related-skills.json"
SKILLS = "skills.json"
SUBSTITUTABILITY = "substitutability-relations-between-occupations.json"
NO_EDUCATION = "occupations-with-no-edcuational-requirements.json"  # spelt as published
OCCUPATION_TERMS = "termer_koncept_yrke.csv"
ABILITY_TERMS = "termer_koncept_formaga.csv"
KNOWN_FILES = (
    GROUPS,
    GROUP_OCCUPATIONS,
    GROUP_SKILLS,
    SKILLS,
    SUBSTITUTABILITY,
    NO_EDUCATION,
    OCCUPATION_TERMS,
    ABILITY_TERMS,
)
TERM_COLUMNS = ("term", "uuid", "concept")


@dataclass
class JobTechImport:
    """What was read, for the admin command's summary and for tests."""

    files: list[str] = field(default_factory=list)
    groups: int = 0
    occupations: int = 0
    skills: int = 0
    abilities: int = 0
    titles: int = 0
    substitutability_edges: int = 0
    terms_linked: int = 0
    terms_unlinked: int = 0
    no_education_required: frozenset[str] = frozenset()


class _Builder:
    """Collects what the files say about each id; several files mention the same concept."""

    def __init__(self) -> None:
        self.groups: dict[str, dict] = {}  # id -> {label, ssyk}
        self.occupations: dict[str, dict] = {}  # id -> {label, group, synonyms}
        self.skills: dict[str, dict] = {}  # id -> {label, groups}
        self.abilities: dict[str, dict] = {}  # "formaga:<uuid>" -> {label, synonyms}
        self.titles: dict[str, dict] = {}  # "yrke:<uuid>" -> {label, synonyms, groups}
        self.edges: dict[tuple[str, str], float] = {}

    def group(self, item: dict) -> dict:
        entry = self.groups.setdefault(item["id"], {"label": item["preferred_label"], "ssyk": ""})
        entry["ssyk"] = str(item.get("ssyk_code_2012") or entry["ssyk"])
        return entry

    def occupation(self, item: dict, group_id: str | None = None) -> dict:
        entry = self.occupations.setdefault(
            item["id"], {"label": item["preferred_label"], "group": None, "synonyms": []}
        )
        entry["group"] = group_id or entry["group"]
        return entry

    def skill(self, item: dict) -> dict:
        return self.skills.setdefault(item["id"], {"label": item["preferred_label"], "groups": []})


def _read_concepts(path: Path) -> list[dict]:
    """The `data.concepts` list of one export file, each with a string id and label."""
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable JSON file: {exc}") from None
    data = document.get("data") if isinstance(document, dict) else None
    concepts = data.get("concepts") if isinstance(data, dict) else None
    if not isinstance(concepts, list):
        raise ValueError(f'{path}: expected {{"data": {{"concepts": [...]}}}}')
    for number, item in enumerate(concepts):
        _check_item(path, item, f"concept {number}")
    return concepts


def _check_item(path: Path, item: object, where: str) -> None:
    if not isinstance(item, dict):
        raise ValueError(f"{path}: {where}: expected an object")
    for key in ("id", "preferred_label"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ValueError(f"{path}: {where}: key {key!r}: required string missing")


def _related(path: Path, item: dict, key: str, number: int) -> list[dict]:
    value = item.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{path}: concept {number}: key {key!r}: expected a list")
    for position, related in enumerate(value):
        _check_item(path, related, f"concept {number}: {key}[{position}]")
    return value


def _percentage(path: Path, number: int, other: dict) -> float:
    weight = other.get("substitutability_percentage")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 100:
        raise ValueError(
            f"{path}: concept {number}: substitutability_percentage {weight!r} not in (0, 100]"
        )
    return weight / 100


def _read_terms(path: Path) -> list[tuple[str, str, str]]:
    """(term, concept uuid, concept label) rows of a `;`-separated term file."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=";")
            missing = [c for c in TERM_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise ValueError(f"{path}: line 1: missing column {missing[0]!r}")
            rows = []
            for row in reader:
                values = [row.get(c) for c in TERM_COLUMNS]
                if any(v is None or not v.strip() for v in values):
                    raise ValueError(f"{path}: line {reader.line_num}: empty or missing field")
                rows.append((values[0].strip(), values[1].strip(), values[2].strip()))
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"{path}: not a readable term file: {exc}") from None


def _read_folder(directory: Path, builder: _Builder, report: JobTechImport) -> None:
    if (path := directory / GROUPS).exists():
        for item in _read_concepts(path):
            builder.group(item)
    if (path := directory / GROUP_OCCUPATIONS).exists():
        for number, item in enumerate(_read_concepts(path)):
            builder.group(item)
            for name in _related(path, item, "narrower", number):
                builder.occupation(name, item["id"])
    if (path := directory / GROUP_SKILLS).exists():
        for number, item in enumerate(_read_concepts(path)):
            builder.group(item)
            for skill in _related(path, item, "related", number):
                builder.skill(skill)["groups"].append(item["id"])
    if (path := directory / SKILLS).exists():
        for item in _read_concepts(path):
            builder.skill(item)
    if (path := directory / SUBSTITUTABILITY).exists():
        for number, item in enumerate(_read_concepts(path)):
            builder.occupation(item)
            # Both lists carry the same relation; reading both tolerates a one-sided export.
            for key, forward in (("substituted_by", True), ("substitutes", False)):
                for other in _related(path, item, key, number):
                    builder.occupation(other)
                    weight = _percentage(path, number, other)
                    a, b = (item["id"], other["id"]) if forward else (other["id"], item["id"])
                    if a != b:
                        builder.edges[(a, b)] = max(builder.edges.get((a, b), 0.0), weight)
    if (path := directory / NO_EDUCATION).exists():
        names = set()
        for number, item in enumerate(_read_concepts(path)):
            names.update(r["id"] for r in _related(path, item, "related", number))
        report.no_education_required = frozenset(names)
    _read_term_files(directory, builder, report)


def _read_term_files(directory: Path, builder: _Builder, report: JobTechImport) -> None:
    if (path := directory / OCCUPATION_TERMS).exists():
        by_label, groups_by_head = _title_keys(builder)
        for term, uuid, concept_label in _read_terms(path):
            key = normalise(concept_label)
            occupation_id = by_label.get(key)
            if occupation_id is not None:
                builder.occupations[occupation_id]["synonyms"].append(term)
                report.terms_linked += 1
                continue
            title = builder.titles.setdefault(
                f"yrke:{uuid}",
                {"label": concept_label, "synonyms": [], "groups": groups_by_head.get(key, ())},
            )
            title["synonyms"].append(term)
            if title["groups"]:
                report.terms_linked += 1
            else:
                report.terms_unlinked += 1
    if (path := directory / ABILITY_TERMS).exists():
        for term, uuid, concept_label in _read_terms(path):
            entry = builder.abilities.setdefault(
                f"formaga:{uuid}", {"label": concept_label, "synonyms": []}
            )
            entry["synonyms"].append(term)


def _title_keys(builder: _Builder) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Normalised occupation-name labels (and their "/" parts) -> name id; normalised group
    labels without "m.fl." and heads of names and groups -> group ids."""
    by_label: dict[str, str] = {}
    heads: dict[str, dict[str, None]] = {}
    for occupation_id, entry in builder.occupations.items():
        for part in (entry["label"], *entry["label"].split("/")):
            by_label.setdefault(normalise(part), occupation_id)
            if entry["group"]:
                heads.setdefault(head_term(part), {})[entry["group"]] = None
    for group_id, group in builder.groups.items():
        label = normalise(group["label"]).removesuffix(" m fl")
        for key in (label, head_term(group["label"])):
            heads.setdefault(key, {})[group_id] = None
    return by_label, {key: tuple(ids) for key, ids in heads.items()}


def _concepts(builder: _Builder) -> list[Concept]:
    """Names first: where a group and a name share a label, the more specific name wins."""
    concepts = []
    for oid, o in builder.occupations.items():
        group = builder.groups.get(o["group"] or "")
        # "Lagerarbetare/Terminalarbetare" is two titles: each alone is a synonym.
        parts = [p.strip() for p in o["label"].split("/") if p.strip()] if "/" in o["label"] else []
        concepts.append(
            Concept(
                oid,
                o["label"],
                "",
                "occupation",
                occupations=(o["group"],) if o["group"] else (),
                synonyms=tuple(dict.fromkeys([*parts, *o["synonyms"]])),
                ssyk=group["ssyk"] if group else "",
            )
        )
    for gid, g in builder.groups.items():
        concepts.append(Concept(gid, g["label"], "", "occupation", ssyk=g["ssyk"]))
    for tid, t in builder.titles.items():
        ssyk = builder.groups[t["groups"][0]]["ssyk"] if len(t["groups"]) == 1 else ""
        synonyms = tuple(dict.fromkeys(t["synonyms"]))
        concepts.append(Concept(tid, t["label"], "", "occupation", t["groups"], synonyms, ssyk))
    for sid, s in builder.skills.items():
        groups = tuple(g for g in dict.fromkeys(s["groups"]) if g in builder.groups)
        concepts.append(Concept(sid, s["label"], "", "skill", occupations=groups))
    for aid, a in builder.abilities.items():
        concepts.append(Concept(aid, a["label"], "", "skill", synonyms=tuple(a["synonyms"])))
    return concepts


def _group_edges(builder: _Builder) -> dict[tuple[str, str], float]:
    """Group-to-group substitutability: the best edge between any of their members."""
    edges: dict[tuple[str, str], float] = {}
    for (a, b), weight in builder.edges.items():
        ga, gb = builder.occupations[a]["group"], builder.occupations[b]["group"]
        if ga and gb and ga != gb:
            edges[(ga, gb)] = max(edges.get((ga, gb), 0.0), weight)
    return edges


def read_jobtech(directory: Path | str) -> tuple[Vocabulary, JobTechImport]:
    """The vocabulary of a folder of export files and a summary of what was read."""
    concepts, edges, report = read_jobtech_parts(directory)
    return Vocabulary.from_concepts(concepts, edges), report


def read_jobtech_parts(
    directory: Path | str,
) -> tuple[list[Concept], list[tuple[str, str, float]], JobTechImport]:
    """Concepts, substitutability edges (from, to, weight) and the summary of a folder of
    export files: what `read_jobtech` builds a vocabulary from, and what the built-in compact
    taxonomy (`scripts/build_taxonomy.py`) stores."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory}: not a folder of JobTech Taxonomy files")
    present = [name for name in KNOWN_FILES if (directory / name).exists()]
    if not present:
        raise ValueError(f"{directory}: none of the JobTech files {', '.join(KNOWN_FILES)}")
    builder, report = _Builder(), JobTechImport(files=present)
    _read_folder(directory, builder, report)
    edges = {**builder.edges, **_group_edges(builder)}
    report.groups = len(builder.groups)
    report.occupations = len(builder.occupations)
    report.skills = len(builder.skills)
    report.abilities = len(builder.abilities)
    report.titles = len(builder.titles)
    report.substitutability_edges = len(builder.edges)
    return _concepts(builder), [(a, b, w) for (a, b), w in edges.items()], report


def load_jobtech(directory: Path | str) -> Vocabulary:
    """The vocabulary of a folder of official JobTech Taxonomy export files."""
    return read_jobtech(directory)[0]
