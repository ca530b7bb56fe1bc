"""Is the project's own vocabulary in data/vocabulary/ complete and consistent?"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from matcher.vocab import Vocabulary, load_directory, normalise
from matcher.vocab.project import CONCEPTS_FILE, DEFAULT_DIRECTORY, SUBSTITUTABILITY_FILE


def _lines(name: str) -> list[dict]:
    text = (DEFAULT_DIRECTORY / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    return _lines(CONCEPTS_FILE)


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_directory(DEFAULT_DIRECTORY)


def test_size_is_a_few_hundred_concepts(raw):
    kinds = Counter(item["kind"] for item in raw)
    assert 250 <= len(raw) <= 400
    assert kinds["occupation"] >= 40 and kinds["skill"] >= 200


def test_ids_are_unique_and_follow_the_naming_rule(raw):
    ids = [item["id"] for item in raw]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for item in raw:
        prefix = "occ." if item["kind"] == "occupation" else "skill."
        assert re.fullmatch(re.escape(prefix) + r"[a-z0-9_]+", item["id"]), item["id"]


def test_every_concept_has_both_labels_and_synonyms(raw):
    for item in raw:
        assert item["sv"].strip() and item["en"].strip(), item["id"]
        assert len(item.get("synonyms", [])) >= 2, f"{item['id']}: add synonyms"


def test_every_skill_belongs_to_existing_occupations(raw):
    occupations = {item["id"] for item in raw if item["kind"] == "occupation"}
    for item in raw:
        if item["kind"] == "skill":
            assert item["occupations"], f"{item['id']} belongs to no occupation"
            assert set(item["occupations"]) <= occupations, item["id"]


def test_every_occupation_has_an_ssyk_code_and_enough_skills(raw, vocabulary):
    for item in raw:
        if item["kind"] == "occupation":
            assert re.fullmatch(r"\d{4}", item["ssyk"]), item["id"]
            assert len(vocabulary.skills_for(item["id"])) >= 3, f"{item['id']}: too few skills"


def test_no_term_maps_to_two_concepts(vocabulary):
    """A collision would make resolve() depend on line order; every term must be unambiguous."""
    assert vocabulary.collisions == []


def test_no_synonym_repeats_within_a_concept_after_normalising(raw):
    for item in raw:
        keys = [normalise(t) for t in (item["sv"], item["en"], *item.get("synonyms", []))]
        repeated = [k for k, n in Counter(keys).items() if n > 1 and k != normalise(item["sv"])]
        assert repeated == [], f"{item['id']}: {repeated}"


def test_substitutability_edges_are_valid(raw, vocabulary):
    occupations = {item["id"] for item in raw if item["kind"] == "occupation"}
    edges = _lines(SUBSTITUTABILITY_FILE)
    assert len(edges) >= 40
    pairs = Counter((e["from"], e["to"]) for e in edges)
    assert [p for p, n in pairs.items() if n > 1] == []
    for e in edges:
        assert {e["from"], e["to"]} <= occupations and e["from"] != e["to"]
        assert 0 < e["weight"] <= 1
        assert vocabulary.related_occupations(e["from"])[e["to"]] == e["weight"]
        if e.get("mutual"):
            assert vocabulary.related_occupations(e["to"])[e["from"]] == e["weight"]
    reached = {o for e in edges for o in (e["from"], e["to"])}
    assert occupations - reached == set(), "every occupation should relate to another"


@pytest.mark.parametrize(
    ("terms", "concept_id"),
    [
        (["truckkort", "Truckförarbevis", "forklift licence", "Truckkort A+B"], "skill.truckkort"),
        (["städning", "lokalvård", "Cleaning", "stadning"], "skill.stadning"),
        (["python", "Python (primary)", "PYTHON 3"], "skill.python"),
        (["diskning", "disk", "dishwashing"], "skill.diskning"),
        (["HACCP", "hygienregler i kök", "food hygiene"], "skill.hygienregler"),
        (["kassa", "kassavana", "cash handling"], "skill.kassa"),
        (["varupåfyllning", "påfyllning", "shelf stacking"], "skill.varupafyllning"),
        (["undersköterska", "USK", "assistant nurse"], "occ.underskoterska"),
        (["personlig assistans", "assistans"], "skill.personlig_assistans"),
        (["hygienrutiner", "basala hygienrutiner"], "skill.hygienrutiner"),
        (["B-körkort", "körkort", "driving licence"], "skill.b_korkort"),
        (["C-körkort", "lastbilskörkort"], "skill.c_korkort"),
        (["Excel", "exel", "spreadsheets"], "skill.excel"),
        (["felsökning", "troubleshooting"], "skill.felsokning"),
        (["IT-support", "helpdesk"], "skill.it_support"),
        (["samarbete", "teamwork", "team player"], "skill.samarbete"),
        (["punktlighet", "punctual"], "skill.punktlighet"),
        (["svenska", "SFI", "Swedish"], "skill.svenska"),
        (["engelska", "English"], "skill.engelska"),
        (["barnskötare", "nursery assistant"], "occ.barnskotare"),
        (["grönyteskötsel", "grounds maintenance"], "skill.gronyteskotsel"),
        (["ställning", "scaffolding"], "skill.stallningsbygge"),
        (["second hand", "loppis"], "skill.second_hand"),
    ],
)
def test_key_terms_resolve_exactly_to_the_same_concept(vocabulary, terms, concept_id):
    for term in terms:
        match = vocabulary.resolve(term)
        assert match is not None, term
        assert (match.concept_id, match.method) == (concept_id, "exact"), term
