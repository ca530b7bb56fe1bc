"""The JobTech taxonomy built into the project (data/taxonomy/) and loaded by default."""

from __future__ import annotations

from pathlib import Path

from matcher.vocab import Vocabulary
from matcher.vocab.builtin import BUILTIN_FILE, decode, encode, read_builtin
from matcher.vocab.concept import Concept
from tests.conftest import shared_data

README = BUILTIN_FILE.parent / "README.md"


def test_the_shipped_file_reproduces_from_the_export_byte_for_byte(tmp_path):
    """Is data/taxonomy/jobtech.json.gz exactly what the build script makes of the export?"""
    from scripts.build_taxonomy import main

    export = shared_data("jobtech")
    out = tmp_path / "jobtech.json.gz"
    assert main([str(export), "--out", str(out)]) == 0
    assert out.read_bytes() == BUILTIN_FILE.read_bytes()


def test_the_built_file_holds_what_the_importer_reads(tmp_path):
    """Does decoding the file give the importer's own concepts and edges?"""
    from matcher.vocab.jobtech import read_jobtech_parts

    concepts, edges, _ = read_jobtech_parts(shared_data("jobtech"))
    parts = read_builtin()
    assert list(parts.concepts()) == concepts
    assert {(a, b): w for a, row in parts.substitutability.items() for b, w in row.items()} == {
        (a, b): round(w, 4) for a, b, w in edges
    }


def test_encoding_is_deterministic_and_round_trips():
    concepts = [
        Concept("g1", "Grupp", "", "occupation", ssyk="1234"),
        Concept("n1", "Namn", "", "occupation", ("g1",), ("namnet", "nman"), "1234"),
        Concept("s1", "Färdighet", "", "skill", ("g1",)),
    ]
    data = encode(concepts, [("n1", "g1", 0.75)], {"files": {}})
    assert data == encode(concepts, [("n1", "g1", 0.75)], {"files": {}})
    decoded, related, source = decode(data)
    assert decoded == concepts and related == {"n1": {"g1": 0.75}} and source == {"files": {}}


def test_the_default_vocabulary_knows_every_ssyk_group_and_job_title_variants():
    """Out of the box: about 400 SSYK-4 groups, thousands of names and the ads' misspellings."""
    vocabulary = Vocabulary.load_default()
    groups = {c.ssyk for c in vocabulary.concepts() if c.kind == "occupation" and c.ssyk}
    assert len(groups) >= 390
    assert len(vocabulary) > 20_000
    # a misspelling employers wrote in ads resolves exactly to the occupation
    match = vocabulary.resolve("undersjöterska")
    assert match is not None and match.confidence == 1.0
    assert vocabulary.concept(match.concept_id).label_sv.startswith("Undersköterska")
    gardener = vocabulary.resolve("Trädgårdsarbetare")
    assert gardener is not None and vocabulary.occupations_for(gardener.concept_id)
    # the project's own concepts still win on their terms
    assert vocabulary.resolve("truckkort").concept_id == "skill.truckkort"
    assert len(Vocabulary.load_project()) < 1_000


def test_the_typeahead_lists_the_projects_concepts_before_the_national_ones():
    vocabulary = Vocabulary.load_default()
    assert vocabulary.suggest("underskö")[0].id == "occ.underskoterska"
    assert any(c.id.startswith("yrke:") or "_" in c.id for c in vocabulary.suggest("svets"))


def test_readme_records_source_licence_and_attribution():
    text = README.read_text(encoding="utf-8")
    for needed in ("Arbetsförmedlingen", "Licence", "Attribution", "scripts/build_taxonomy.py"):
        assert needed in text, needed


def test_the_runtime_never_imports_the_build_script():
    engine = Path(__file__).resolve().parents[2] / "matcher"
    for path in engine.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "from scripts" not in source and "import scripts" not in source, path
