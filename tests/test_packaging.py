"""Installs reproduce: the lock files pin every dependency exactly, with hashes, and agree with
pyproject.toml; the installed app ships neither the benchmarks nor anything the tests need."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME_PACKAGES = ("matcher", "models", "services", "jobs", "web")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^ ;\\]+)")


def parse_lock(path: Path) -> dict[str, tuple[str, int]]:
    """{canonical name: (version, number of hashes)} of a `uv pip compile --generate-hashes` file."""
    pins: dict[str, tuple[str, int]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            assert current not in pins, f"{path.name}: {current} pinned twice"
            pins[current] = (match.group(3), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif line and not line.startswith((" ", "#")):
            raise AssertionError(f"{path.name}: not an exact pin: {line!r}")
    return pins


def _check_covers(requirements: list[str], pins: dict[str, tuple[str, int]], lock: str) -> None:
    for text in requirements:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not in {lock}: run `make lock`"
        version, hashes = pins[name]
        assert req.specifier.contains(version, prereleases=True), (
            f"{lock} pins {name}=={version}, outside {req.specifier}: run `make lock`"
        )
        assert hashes >= 1, f"{lock}: {name} has no hash"


def test_runtime_lock_pins_every_dependency_with_hashes():
    pins = parse_lock(ROOT / "requirements" / "run.txt")
    _check_covers(PYPROJECT["project"]["dependencies"], pins, "requirements/run.txt")
    assert all(hashes for _version, hashes in pins.values())


def test_test_lock_pins_the_extras_and_agrees_with_the_runtime_lock():
    run = parse_lock(ROOT / "requirements" / "run.txt")
    test = parse_lock(ROOT / "requirements" / "test.txt")
    _check_covers(PYPROJECT["project"]["optional-dependencies"]["test"], test, "test.txt")
    _check_covers(PYPROJECT["project"]["dependencies"], test, "requirements/test.txt")
    differ = {n: (v, test[n][0]) for n, (v, _h) in run.items() if n in test and test[n][0] != v}
    assert differ == {}, f"run.txt and test.txt disagree: {differ}"
    assert set(run) <= set(test)


def test_tools_lock_pins_uv():
    assert "uv" in parse_lock(ROOT / "requirements" / "tools.txt")


def test_the_lock_parser_refuses_a_loose_requirement(tmp_path):
    loose = tmp_path / "loose.txt"
    loose.write_text("flask>=3\n    --hash=sha256:00\n")
    with pytest.raises(AssertionError, match="not an exact pin"):
        parse_lock(loose)
    with pytest.raises(AssertionError, match="not in"):
        _check_covers(["rq>=2"], {"flask": ("3.1.0", 1)}, "x.txt")
    with pytest.raises(AssertionError, match="outside"):
        _check_covers(["flask<3"], {"flask": ("3.1.0", 1)}, "x.txt")


def test_every_install_in_the_makefile_uses_the_lock():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [
        line.strip() for line in makefile.splitlines() if re.search(r"pip (install|sync)", line)
    ]
    assert installs, "the Makefile installs nothing?"
    for line in installs:
        locked = "--require-hashes" in line and "requirements/" in line
        own_code = "--no-deps" in line and line.endswith("-e .")
        assert locked or own_code, f"unlocked install in the Makefile: {line}"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "pip install" not in ci


# --- what the installed app ships ---------------------------------------------------------------

TEST_ONLY = {
    "pytest",
    "hypothesis",
    "matching",
    "playwright",
    "axe_playwright_python",
    "time_machine",
    "xdist",
    "babel",
    "tests",
    "benchmarks",
}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_installed_packages_are_the_runtime_ones_only():
    include = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    assert sorted(p.rstrip("*") for p in include) == sorted(RUNTIME_PACKAGES)
    assert not (ROOT / "matcher" / "bench.py").exists()
    assert not (ROOT / "matcher" / "evaluate.py").exists()


@pytest.mark.parametrize("package", RUNTIME_PACKAGES)
def test_runtime_code_needs_no_test_only_package(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & TEST_ONLY)
        for path in (ROOT / package).rglob("*.py")
        if _imported_roots(path) & TEST_ONLY
    }
    assert offenders == {}
