"""Can every module of the app be imported first, and does importing one do nothing else?

A cycle between modules shows only when one of them is imported before the others (the app
factory always imports in the same order, so the pages never notice). Each module is imported
first in a clean state: its own package is dropped from `sys.modules` before each import. The
packages below it stay loaded, which is safe because they never import upward
(`test_layering_app.py`), and keeps the whole check to a few seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

PACKAGES = ("models", "services", "jobs", "web")

EACH_MODULE_FIRST = """
import importlib, json, sys, warnings
from pathlib import Path

warnings.simplefilter("error")
failed, names = {}, []
for package in PACKAGES:
    for path in sorted(Path(package).rglob("*.py")):
        parts = path.with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
for name in names:
    package = name.split(".")[0]
    for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps({"imported": len(names), "failed": failed}))
"""

WORKER_SIDE = """
import json, sys
from sqlalchemy import event
from sqlalchemy.orm import Session

import jobs.reminders, jobs.reports, services.notifications, services.queue
from services.notification_kinds import KINDS

print(json.dumps({
    "web": sorted(m for m in sys.modules if m == "web" or m.startswith("web.")),
    "kinds": sorted(KINDS),
    "hooked": event.contains(Session, "after_commit", services.queue._send_after_commit),
}))
"""


def _run(code: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_every_module_can_be_imported_first():
    """Does any module of models, services, jobs or web fail when it is the first one imported?"""
    result = _run(f"PACKAGES = {PACKAGES!r}\n" + EACH_MODULE_FIRST)
    assert result["imported"] > 100
    assert result["failed"] == {}


def test_a_worker_knows_every_notification_kind_without_the_web_app():
    """Does a worker that never loaded a page show the reminder in words (its kind is known),
    and does importing the jobs and the queue leave the web app and the session hooks alone?"""
    result = _run(WORKER_SIDE)
    assert result["web"] == []
    assert "assessment.due" in result["kinds"] and "proposal.new" in result["kinds"]
    assert result["hooked"] is False
