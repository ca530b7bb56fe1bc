"""Does the JobTech importer read the official export format, and fail clearly on bad files?"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from matcher.vocab import Vocabulary, load_jobtech
from matcher.vocab.jobtech import KNOWN_FILES, read_jobtech

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jobtech"
REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "jobtech"


@pytest.fixture(scope="module")
def imported():
    return read_jobtech(FIXTURES)


def test_counts_of_what_was_read(imported):
    vocabulary, report = imported
    assert report.files == list(KNOWN_FILES)
    assert (report.groups, report.occupations, report.skills, report.abilities) == (4, 9, 7, 2)
    assert report.titles == 2  # "Restaurang- och köksbiträden" (group-linked) and "Husfru"
    assert (report.terms_linked, report.terms_unlinked) == (5, 2)
    assert report.no_education_required == {"N_disk", "N_stad"}
    assert len(vocabulary) == 4 + 9 + 7 + 2 + 2


def test_groups_names_and_skills_are_linked(imported):
    vocabulary, _ = imported
    group = vocabulary.concept("G4322_lager")
    assert (group.kind, group.ssyk, group.occupations) == ("occupation", "4322", ())
    name = vocabulary.concept("N_lager")
    assert (name.ssyk, name.occupations) == ("4322", ("G4322_lager",))
    assert vocabulary.occupations_for("S_hyg") == ("G9412_kok", "G5120_kock")
    assert vocabulary.occupations_for("S_excel") == ()  # in skills.json only
    assert set(vocabulary.skills_for("G4322_lager")) == {"S_truck", "S_plock"}


@pytest.mark.parametrize(
    ("term", "concept_id", "method"),
    [
        ("Lagerarbetare/Terminalarbetare", "N_lager", "exact"),
        ("terminalarbetare", "N_lager", "exact"),  # one half of a "/" label
        ("lagerarbetre", "N_lager", "exact"),  # a misspelling listed in the term file
        ("lagerjobbare", "N_lager", "exact"),
        ("städerska", "N_stad", "exact"),
        ("Städare", "N_stad", "exact"),  # the name wins over the group of the same label
        ("excel", "S_excel", "exact"),  # head of "Excel, kalkylprogram"
        ("noggranhet", "formaga:31111111-aaaa-5aaa-8aaa-000000000001", "exact"),
        ("hushållerska", "yrke:11111111-aaaa-5aaa-8aaa-000000000004", "exact"),
        ("Orderplockninng", "S_plock", "fuzzy"),
    ],
)
def test_terms_resolve(imported, term, concept_id, method):
    match = imported[0].resolve(term)
    assert (match.concept_id, match.method) == (concept_id, method)


def test_title_concepts_link_to_groups_by_label(imported):
    vocabulary, _ = imported
    linked = vocabulary.concept("yrke:11111111-aaaa-5aaa-8aaa-000000000003")
    assert linked.occupations == ("G9412_kok",) and linked.ssyk == "9412"
    assert vocabulary.concept("yrke:11111111-aaaa-5aaa-8aaa-000000000004").occupations == ()


def test_substitutability_follows_substituted_by(imported):
    vocabulary, _ = imported
    assert vocabulary.related_occupations("N_lager") == {"N_godsm": 0.75}
    assert vocabulary.related_occupations("N_lchef") == {"N_lager": 0.75}
    assert vocabulary.related_occupations("N_godsm") == {"N_lager": 0.25}
    assert vocabulary.related_occupations("N_kall") == {"N_koksb": 0.75}
    assert vocabulary.related_occupations("N_koksb") == {}
    # groups inherit the best edge between their members, never an edge to themselves
    assert vocabulary.related_occupations("G5120_kock") == {"G9412_kok": 0.75}
    assert vocabulary.related_occupations("G4322_lager") == {}
    assert vocabulary.occupation_similarity("N_kall", "S_disk") == 0.75


def test_one_sided_substitutability_export_gives_the_same_relation(tmp_path):
    shutil.copy(FIXTURES / "substitutability-relations-between-occupations.json", tmp_path)
    both = load_jobtech(tmp_path)
    text = (tmp_path / "substitutability-relations-between-occupations.json").read_text()
    document = json.loads(text)
    for concept in document["data"]["concepts"]:
        concept["substituted_by"] = []
    (tmp_path / "substitutability-relations-between-occupations.json").write_text(
        json.dumps(document), encoding="utf-8"
    )
    one_sided = load_jobtech(tmp_path)
    for occupation in ("N_lager", "N_lchef", "N_godsm", "N_kall", "N_disk"):
        assert one_sided.related_occupations(occupation) == both.related_occupations(occupation)


def test_missing_optional_files_are_tolerated(tmp_path):
    shutil.copy(FIXTURES / "skills.json", tmp_path)
    vocabulary, report = read_jobtech(tmp_path)
    assert report.files == ["skills.json"] and len(vocabulary) == 7
    assert vocabulary.resolve("truckkort").concept_id == "S_truck"


def test_a_folder_without_any_export_file_is_an_error(tmp_path):
    (tmp_path / "other.txt").write_text("hello")
    with pytest.raises(ValueError, match="none of the JobTech files"):
        load_jobtech(tmp_path)
    with pytest.raises(ValueError, match="not a folder"):
        load_jobtech(tmp_path / "absent")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("skills.json", '{"data": {"concepts": [', "not a readable JSON file"),
        ("skills.json", '{"data": {"items": []}}', 'expected {"data": {"concepts"'),
        ("skills.json", '{"data": []}', 'expected {"data": {"concepts"'),
        ("skills.json", "[]", 'expected {"data": {"concepts"'),
        (
            "skills.json",
            '{"data": {"concepts": [{"id": "x"}]}}',
            "concept 0: key 'preferred_label'",
        ),
        ("skills.json", '{"data": {"concepts": ["x"]}}', "concept 0: expected an object"),
        (
            "ssyk-level-4-groups-with-related-skills.json",
            '{"data": {"concepts": [{"id": "g", "preferred_label": "G", "related": {}}]}}',
            "concept 0: key 'related': expected a list",
        ),
        (
            "substitutability-relations-between-occupations.json",
            '{"data": {"concepts": [{"id": "a", "preferred_label": "A", "substituted_by": '
            '[{"id": "b", "preferred_label": "B", "substitutability_percentage": 150}]}]}}',
            "substitutability_percentage 150 not in",
        ),
        ("termer_koncept_yrke.csv", "term;uuid\nx;y\n", "line 1: missing column 'concept'"),
        ("termer_koncept_formaga.csv", "term;uuid;concept\nx;;z\n", "line 2: empty or missing"),
        ("termer_koncept_yrke.csv", b"term;uuid;concept\n\xff\xfe;a;b\n", "not a readable term"),
    ],
)
def test_malformed_files_name_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="^" + str(path).replace("\\", "\\\\")) as caught:
        load_jobtech(tmp_path)
    assert message in str(caught.value)


def test_merging_with_the_project_vocabulary():
    project = Vocabulary.load_project()
    national = load_jobtech(FIXTURES)
    merged = project.merged_with(national)
    assert len(merged) == len(project) + len(national)
    assert merged.resolve("truckkort").concept_id == "skill.truckkort"  # project wins
    assert merged.resolve("lagerjobbare").concept_id == "N_lager"
    # the project's warehouse worker (SSYK 4322) now shares the national group
    assert "G4322_lager" in merged.occupations_for("occ.lagerarbetare")
    assert merged.occupation_similarity("occ.lagerarbetare", "N_lager") == 1.0
    assert merged.occupation_similarity("skill.diskning", "N_disk") == 1.0


needs_real = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"real JobTech export not present at {REAL} (see shared/data/README)"
)


@pytest.fixture(scope="module")
def real():
    started = time.perf_counter()
    vocabulary, report = read_jobtech(REAL)
    return vocabulary, report, time.perf_counter() - started


@needs_real
def test_real_export_loads_quickly_with_the_published_counts(real):
    vocabulary, report, seconds = real
    assert seconds < 10, f"loading took {seconds:.1f} s"
    assert (report.groups, report.occupations, report.skills) == (400, 2412, 6657)
    assert report.substitutability_edges == 8324
    assert len(report.no_education_required) == 112
    assert report.abilities > 500 and report.terms_linked > 3000


@needs_real
def test_real_export_resolves_known_occupations_and_skills(real):
    vocabulary, _, _ = real
    match = vocabulary.resolve("lagerarbetare")
    assert vocabulary.concept(match.concept_id).label_sv == "Lagerarbetare/Terminalarbetare"
    groups = [vocabulary.concept(o) for o in vocabulary.occupations_for(match.concept_id)[1:]]
    assert [g.ssyk for g in groups] == ["4322"]
    assert vocabulary.concept(vocabulary.resolve("Barnskötare").concept_id).ssyk == "5311"
    assert vocabulary.resolve("Python (primary)") is not None


@needs_real
def test_real_substitutability_is_directed(real):
    vocabulary, _, _ = real
    by_label = {c.label_sv: c.id for c in vocabulary.concepts() if c.kind == "occupation"}
    lager, leveranschef = by_label["Lagerarbetare/Terminalarbetare"], by_label["Leveranschef"]
    assert vocabulary.related_occupations(leveranschef).get(lager) == 0.75
    assert leveranschef not in vocabulary.related_occupations(lager)
    names = {
        c.id
        for c in vocabulary.concepts()
        if c.kind == "occupation" and c.occupations and not c.id.startswith("yrke:")
    }
    pairs = {(a, b) for a in names for b in vocabulary.related_occupations(a) if b in names}
    one_way = sum(1 for a, b in pairs if (b, a) not in pairs)
    assert len(pairs) == 8324 and 1000 < one_way < len(pairs)  # the data says: mostly mutual


@needs_real
def test_real_export_merges_with_the_project_vocabulary(real):
    vocabulary, _, _ = real
    merged = Vocabulary.load_project().merged_with(vocabulary)
    lager_group = next(
        c.id for c in vocabulary.concepts() if c.ssyk == "4322" and not c.occupations
    )
    assert lager_group in merged.occupations_for("occ.lagerarbetare")
    assert merged.resolve("truckförarbevis").concept_id == "skill.truckkort"
