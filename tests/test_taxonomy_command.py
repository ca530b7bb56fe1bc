"""A municipality loads its JobTech taxonomy into the web app with an admin command."""

from pathlib import Path

from services import vocabulary

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "jobtech"


def test_load_taxonomy_copies_the_export_and_the_app_uses_it(app, tmp_path):
    """After `flask load-taxonomy DIR`, does the app's vocabulary know the taxonomy's terms?"""
    app.instance_path = str(tmp_path)
    assert vocabulary.active().resolve("hushållerska") is None
    result = app.test_cli_runner().invoke(args=["load-taxonomy", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "taxonomy" / "skills.json").exists()
    match = vocabulary.active().resolve("hushållerska")
    assert match is not None and match.concept_id.startswith("yrke:")
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
