"""Does the engine stay a pure library? matcher/ must not import the web stack or the app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MATCHER = Path(__file__).resolve().parent.parent / "matcher"
FORBIDDEN = {"flask", "sqlalchemy", "rq", "redis", "web", "models", "jobs", "services"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


MODULES = sorted(MATCHER.rglob("*.py"))


def test_there_are_modules_to_check():
    assert len(MODULES) >= 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(MATCHER.parent)))
def test_matcher_module_imports_no_web_stack(path):
    """Can this engine module run without Flask, the database, the queue or the app packages?"""
    bad = _imports(path) & FORBIDDEN
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_the_scan_catches_a_forbidden_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("import os\nfrom flask import Flask\nimport sqlalchemy.orm\n")
    assert _imports(sample) & FORBIDDEN == {"flask", "sqlalchemy"}
