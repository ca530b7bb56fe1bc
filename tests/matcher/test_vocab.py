"""Does the vocabulary normalise, resolve, relate, merge and suggest as the ranker expects?"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.vocab import (
    FUZZY_THRESHOLD,
    Concept,
    Vocabulary,
    VocabularyFileError,
    load_directory,
    normalise,
    strip_qualifiers,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Python (primary)", "python primary"),
        ("  Truckkort   A+B ", "truckkort a+b"),
        ("truckkort a/b", "truckkort a b"),
        ("C++ och C#", "c++ och c#"),
        ("IT-support, Windows", "it support windows"),
        ("Städning, ÅÄÖ", "städning åäö"),
        ("Café", "café"),
        ("Cafe\u0301", "café"),  # decomposed accent composes under NFKC
        ("#1 + 2", "1 2"),  # lone "+" and a leading "#" are punctuation
        ("STRASSE", "strasse"),
        ("", ""),
        ("  ...  ", ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_strip_qualifiers_drops_bracketed_parts():
    assert strip_qualifiers("Python (primary) [5 år]") == "python"


def _vocab() -> Vocabulary:
    concepts = [
        Concept("occ.lager", "Lagerarbetare", "Warehouse worker", "occupation", ssyk="4322"),
        Concept("occ.truck", "Truckförare", "Forklift driver", "occupation", ssyk="8344"),
        Concept("occ.kock", "Kock", "Cook", "occupation", ssyk="5120"),
        Concept(
            "skill.truckkort",
            "Truckkort",
            "Forklift licence",
            "skill",
            occupations=("occ.lager", "occ.truck"),
            synonyms=("truckförarbevis", "forklift license"),
        ),
        Concept("skill.python", "Python", "Python", "skill", synonyms=("python3",)),
        Concept("skill.stad", "Städning", "Cleaning", "skill", synonyms=("lokalvård",)),
        Concept("skill.unix", "UNIX, operativsystem", "UNIX", "skill", occupations=()),
    ]
    return Vocabulary.from_concepts(
        concepts, [("occ.lager", "occ.truck", 0.5), ("occ.truck", "occ.lager", 0.75)]
    )


@pytest.mark.parametrize(
    ("text", "concept_id", "method", "confidence"),
    [
        ("Truckförarbevis", "skill.truckkort", "exact", 1.0),
        ("forklift licence", "skill.truckkort", "exact", 1.0),
        ("FORKLIFT LICENSE", "skill.truckkort", "exact", 1.0),
        ("Python (primary)", "skill.python", "exact", 0.95),
        ("lokalvard", "skill.stad", "exact", 0.95),  # typed without å
        ("unix", "skill.unix", "exact", 1.0),  # the English label
        ("operativsystem UNIX", "skill.unix", "fuzzy", 1.0),  # word order does not matter
        ("Pyhton", None, None, None),  # two letters swapped in a short word: too far
    ],
)
def test_resolve_exact_and_variants(text, concept_id, method, confidence):
    match = _vocab().resolve(text)
    if concept_id is None:
        assert match is None
    else:
        assert (match.concept_id, match.method, match.confidence) == (
            concept_id,
            method,
            confidence,
        )
        assert match.term == text


def test_resolve_head_of_a_comma_label():
    vocabulary = Vocabulary.from_concepts(
        [Concept("s.servrar", "Servrar, installation och underhåll", "", "skill")]
    )
    match = vocabulary.resolve("Servrar")
    assert (match.concept_id, match.confidence) == ("s.servrar", 0.9)


def test_fuzzy_catches_misspellings_with_lower_confidence():
    match = _vocab().resolve("truckförabevis")
    assert match.concept_id == "skill.truckkort"
    assert match.method == "fuzzy"
    assert FUZZY_THRESHOLD <= match.confidence < 1.0
    assert match.matched == "truckförarbevis"


@pytest.mark.parametrize("text", ["kick", "truck", "okänd kompetens", "", "   "])
def test_unknown_or_too_short_terms_resolve_to_none(text):
    # "kick" is one letter off "kock" but words under five letters are never fuzzy-matched
    assert _vocab().resolve(text) is None


def test_fuzzy_threshold_is_respected():
    vocabulary = _vocab()
    for text in ("truckfxrarbxvis", "lagerarbxtxrx"):
        match = vocabulary.resolve(text)
        assert match is None or match.confidence >= FUZZY_THRESHOLD


def test_ambiguous_variants_are_never_guessed():
    vocabulary = Vocabulary.from_concepts(
        [Concept("a", "Mål", "", "skill"), Concept("b", "Mal", "", "skill")]
    )
    assert vocabulary.resolve("mal").concept_id == "b"  # exact beats the folded form
    assert vocabulary.resolve("mål").concept_id == "a"
    folded_both = Vocabulary.from_concepts(
        [Concept("a", "Måla", "", "skill"), Concept("b", "Mäla", "", "skill")]
    )
    assert folded_both.resolve("mala") is None


def test_occupations_and_skills_relations():
    vocabulary = _vocab()
    assert vocabulary.occupations_for("skill.truckkort") == ("occ.lager", "occ.truck")
    assert vocabulary.occupations_for("occ.kock") == ("occ.kock",)
    assert vocabulary.occupations_for("skill.python") == ()
    assert vocabulary.skills_for("occ.truck") == ("skill.truckkort",)
    assert vocabulary.related_occupations("occ.lager") == {"occ.truck": 0.5}
    assert vocabulary.related_occupations("occ.truck") == {"occ.lager": 0.75}
    assert vocabulary.related_occupations("occ.kock") == {}
    assert vocabulary.occupation_similarity("occ.lager", "skill.truckkort") == 1.0
    assert vocabulary.occupation_similarity("occ.truck", "occ.lager") == 0.75
    assert vocabulary.occupation_similarity("occ.kock", "occ.lager") == 0.0
    with pytest.raises(KeyError, match="unknown concept id 'nope'"):
        vocabulary.concept("nope")


def test_from_concepts_rejects_bad_input():
    occ = Concept("o", "O", "", "occupation")
    with pytest.raises(ValueError, match="kind"):
        Vocabulary.from_concepts([Concept("x", "X", "", "tool")])
    with pytest.raises(ValueError, match="twice"):
        Vocabulary.from_concepts([occ, occ])
    with pytest.raises(ValueError, match="not an occupation"):
        Vocabulary.from_concepts([occ], {"o": {"missing": 0.5}})
    with pytest.raises(ValueError, match=r"not in \(0, 1\]"):
        Vocabulary.from_concepts([occ, Concept("p", "P", "", "occupation")], {"o": {"p": 1.5}})


def test_collisions_are_recorded_and_labels_win_over_synonyms():
    vocabulary = Vocabulary.from_concepts(
        [
            Concept("a", "Disk", "", "skill", synonyms=("kassa",)),
            Concept("b", "Kassa", "", "skill"),
        ]
    )
    assert vocabulary.resolve("kassa").concept_id == "b"
    assert vocabulary.collisions == [("kassa", "b", "a")]


def test_merge_keeps_the_first_on_clashes_and_links_by_ssyk():
    national = Vocabulary.from_concepts(
        [
            Concept("g.4322", "Lager- och terminalpersonal", "", "occupation", ssyk="4322"),
            Concept("g.8344", "Truckförare", "", "occupation", ssyk="8344"),
            Concept("n.lager", "Lagerarbetare", "", "occupation", ("g.4322",), ssyk="4322"),
            Concept("n.truck", "Truckförare, lager", "", "occupation", ("g.8344",), ssyk="8344"),
            Concept("s.plock", "Plock", "", "skill", ("g.4322",), ("orderplock", "truckkort")),
        ],
        {"n.truck": {"n.lager": 0.75}, "g.8344": {"g.4322": 0.75}},
    )
    merged = _vocab().merged_with(national)
    assert len(merged) == len(_vocab()) + 5
    # the project's own terms win over the national ones
    assert merged.resolve("Lagerarbetare").concept_id == "occ.lager"
    assert merged.resolve("truckkort").concept_id == "skill.truckkort"
    assert merged.resolve("orderplock").concept_id == "s.plock"
    # own occupations are linked to the national group with the same SSYK code
    assert merged.occupations_for("occ.lager") == ("occ.lager", "g.4322")
    assert merged.occupations_for("skill.truckkort") == (
        "occ.lager",
        "occ.truck",
        "g.4322",
        "g.8344",
    )
    assert merged.occupation_similarity("s.plock", "occ.lager") == 1.0
    assert merged.related_occupations("occ.truck") == {"occ.lager": 0.75}
    assert merged.related_occupations("g.8344") == {"g.4322": 0.75}
    # the inputs are unchanged
    assert national.occupations_for("n.lager") == ("n.lager", "g.4322")


def test_suggest_prefix_language_and_fuzzy():
    vocabulary = _vocab()
    assert [c.id for c in vocabulary.suggest("truck")][:2] == ["skill.truckkort", "occ.truck"]
    assert vocabulary.suggest("fork", lang="en")[0].id == "occ.truck"  # shorter label first
    assert [c.id for c in vocabulary.suggest("lic", lang="en")] == ["skill.truckkort"]  # word start
    assert [c.id for c in vocabulary.suggest("stadn")] == ["skill.stad"]  # without å
    assert [c.id for c in vocabulary.suggest("truckförer")][:1] == ["occ.truck"]  # misspelled
    assert vocabulary.suggest("truck", limit=1) == [vocabulary.concept("skill.truckkort")]
    assert vocabulary.suggest("") == [] and vocabulary.suggest("zzzz") == []


def test_suggest_on_the_default_vocabulary():
    vocabulary = Vocabulary.load_default()
    assert vocabulary.suggest("underskö")[0].id == "occ.underskoterska"
    assert {c.id for c in vocabulary.suggest("clean", lang="en")} >= {"skill.stadning"}
    assert Vocabulary.load_default() is vocabulary  # cached


def test_load_directory_reports_every_bad_line(tmp_path):
    (tmp_path / "concepts.jsonl").write_text(
        '{"id": "occ.a", "kind": "occupation", "sv": "A", "en": "A"}\n'
        "not json\n"
        '{"id": "skill.b", "kind": "skill", "sv": "B"}\n'
        '{"id": "skill.c", "kind": "skill", "sv": "C", "en": "C", "occupations": ["occ.x"]}\n'
        '{"id": "skill.d", "kind": "tool", "sv": "D", "en": "D"}\n'
        '{"id": "skill.e", "kind": "skill", "sv": "E", "en": "E", "synonyms": "e"}\n',
        encoding="utf-8",
    )
    (tmp_path / "substitutability.jsonl").write_text(
        '{"from": "occ.a", "to": "occ.a", "weight": 0.5}\n'
        '{"from": "occ.a", "to": "occ.zz", "weight": 0.5}\n'
        '{"from": "occ.a", "to": "occ.a", "weight": 2}\n',
        encoding="utf-8",
    )
    with pytest.raises(VocabularyFileError) as caught:
        load_directory(tmp_path)
    problems = caught.value.problems
    concepts, subst = tmp_path / "concepts.jsonl", tmp_path / "substitutability.jsonl"
    assert problems == [
        f"{concepts}:2: not valid JSON: Expecting value",
        f"{concepts}:3: key 'en': required string missing",
        f"{concepts}:5: key 'kind': 'tool' is not one of ('skill', 'occupation')",
        f"{concepts}:6: key 'synonyms': expected a list of non-empty strings",
        f"{concepts}:4: key 'occupations': 'occ.x' is not an occupation",
        f"{subst}:1: key 'to': an edge to itself",
        f"{subst}:2: key 'to': 'occ.zz' is not an occupation",
        f"{subst}:3: key 'weight': expected a number in (0, 1]",
    ]
    assert isinstance(caught.value, ValueError)


def test_load_directory_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(VocabularyFileError, match="cannot read"):
        load_directory(tmp_path / "absent")


@given(st.text(max_size=40))
def test_normalise_is_idempotent_and_tidy(text):
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip() and "  " not in once
    assert normalise(once.casefold()) == once  # case never changes the key


def test_every_project_label_and_synonym_resolves_to_its_own_concept():
    vocabulary = Vocabulary.load_project()
    for concept in vocabulary.concepts():
        for term in (concept.label_sv, concept.label_en, *concept.synonyms):
            match = vocabulary.resolve(term)
            assert (match.concept_id, match.confidence) == (concept.id, 1.0), term


def test_matched_names_the_vocabulary_term_as_written():
    vocabulary = _vocab()
    assert vocabulary.resolve("lokalvard").matched == "lokalvård"
    assert vocabulary.resolve("Python (primary)").matched == "Python"
    assert vocabulary.resolve("FORKLIFT LICENSE").matched == "forklift license"
    heads = Vocabulary.from_concepts([Concept("s", "Servrar, installation", "", "skill")])
    assert heads.resolve("servrar").matched == "Servrar, installation"


def test_suggest_shows_a_label_once_and_fuzzy_only_as_a_fallback():
    vocabulary = Vocabulary.from_concepts(
        [
            Concept("a", "Städare", "Cleaner", "occupation"),
            Concept("b", "Städare", "", "occupation", ("a",)),
            Concept("c", "Städning", "Cleaning", "skill"),
            Concept("d", "Stadsbud", "Porter", "occupation"),
        ]
    )
    assert [c.id for c in vocabulary.suggest("städ")] == ["a", "c"]
    assert [c.id for c in vocabulary.suggest("stad")] == ["d", "a", "c"]  # plain prefix first
    assert [c.id for c in vocabulary.suggest("stärdn")] == ["c"]  # nothing starts so: fuzzy
