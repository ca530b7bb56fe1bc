"""A municipality loads its JobTech taxonomy into the web app with an admin command."""

from pathlib import Path

from services import vocabulary

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "jobtech"


def test_load_taxonomy_copies_the_export_and_the_app_uses_it(app, tmp_path):
    """After `flask load-taxonomy DIR`, does the app's vocabulary know the taxonomy's terms?"""
    app.instance_path = str(tmp_path)
    # out of the box: the built-in national taxonomy
    assert vocabulary.active().resolve("Meteorolog") is not None
    before = vocabulary.active().resolve("lagerjobbare")
    assert before is None or before.concept_id != "N_lager"
    result = app.test_cli_runner().invoke(args=["load-taxonomy", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "taxonomy" / "skills.json").exists()
    # the loaded export replaces the built-in one
    assert vocabulary.active().resolve("lagerjobbare").concept_id == "N_lager"
    match = vocabulary.active().resolve("hushållerska")
    assert match is not None and match.concept_id == "yrke:11111111-aaaa-5aaa-8aaa-000000000004"
    assert vocabulary.active().resolve("Meteorolog") is None
    assert vocabulary.active().resolve("truckkort") is not None  # the project's own still there


def test_taxonomy_dir_setting_takes_precedence(app, tmp_path):
    app.instance_path = str(tmp_path)
    app.config["TAXONOMY_DIR"] = str(FIXTURES)
    assert vocabulary.configured_dir() == FIXTURES
    assert vocabulary.active().resolve("lagerjobbare").concept_id == "N_lager"


def test_a_bad_folder_is_refused_with_a_message(app, tmp_path):
    app.instance_path = str(tmp_path)
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "skills.json").write_text("{not json", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["load-taxonomy", str(tmp_path / "export")])
    assert result.exit_code == 2
    assert "error:" in result.output and "skills.json" in result.output
    missing = app.test_cli_runner().invoke(args=["load-taxonomy", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "not a folder" in missing.output
    assert not (tmp_path / "taxonomy").exists()
