"""Do the app's packages import only downward: models <- services <- jobs <- web?

`models` knows no Flask, no queue and nothing above it; `services` (the use cases, the queue and
the tasks they start) import neither `jobs` nor `web`; `jobs` (tasks only the web app and the CLI
start) do not import `web`. Imports inside functions count too. The engine (`matcher`) is checked
by `test_layering.py`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "models": {"flask", "flask_login", "flask_wtf", "flask_babel", "web", "jobs", "services", "rq"},
    "services": {"web", "jobs"},
    "jobs": {"web"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def offenders(package: Path, forbidden: set[str]) -> dict[str, list[str]]:
    """Each module under `package` that imports a forbidden package, with what it imports."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        bad = imported_roots(path) & forbidden
        if bad:
            found[path.relative_to(package).as_posix()] = sorted(bad)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_downstream(package):
    assert len(list((ROOT / package).rglob("*.py"))) > 1
    assert offenders(ROOT / package, FORBIDDEN[package]) == {}


def test_the_scan_catches_an_upward_import(tmp_path):
    """Would a services module that imports jobs or web, even inside a function, fail the scan?"""
    services = tmp_path / "services"
    (services / "reports").mkdir(parents=True)
    (services / "__init__.py").write_text('"""Use cases."""\n', encoding="utf-8")
    (services / "fine.py").write_text(
        "import models\nfrom services.queue import enqueue\nfrom . import audit\n", encoding="utf-8"
    )
    (services / "reports" / "late.py").write_text(
        "def build():\n    from jobs.reports import build_report\n    import web.worker\n",
        encoding="utf-8",
    )
    (services / "eager.py").write_text("import jobs.queue as queue\n", encoding="utf-8")
    assert offenders(services, FORBIDDEN["services"]) == {
        "eager.py": ["jobs"],
        "reports/late.py": ["jobs", "web"],
    }
