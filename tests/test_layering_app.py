"""Dependencies run one way: matcher <- models <- services <- jobs <- web."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "models": {"flask", "flask_login", "flask_wtf", "flask_babel", "web", "jobs", "services", "rq"},
    "services": {"web"},
    "jobs": {"web"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_downstream(package):
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported_roots(p) & FORBIDDEN[package])
        for p in (ROOT / package).rglob("*.py")
        if imported_roots(p) & FORBIDDEN[package]
    }
    assert offenders == {}
