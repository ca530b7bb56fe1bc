"""`python -m matcher allocate` end to end, on small files, good and bad."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each case starts a Python process that builds an index

ROOT = Path(__file__).resolve().parents[2]
HOME = {"lat": 59.33, "lon": 18.06}
KIRUNA = {"lat": 67.86, "lon": 20.23}

OFFERS = [
    {"id": "o1", "title": "Lagerarbetare", "skills_required": ["truckkort"], "location": HOME,
     "capacity": 1},
    {"id": "o2", "title": "Undersköterska", "location": HOME, "capacity": 2},
    {"id": "o3", "title": "Kock", "location": KIRUNA, "capacity": 1},
    {"id": "o4", "title": "Städare", "location": HOME, "capacity": 0},
]  # fmt: skip
PARTICIPANTS = [
    {"id": "p1", "skills": ["truckkort"], "location": HOME, "max_commute_km": 30},
    {"id": "p2", "location": HOME, "max_commute_km": 30},
    {"id": "p3", "location": HOME, "max_commute_km": 30},
    {"id": "p4", "location": HOME, "max_commute_km": 30},
    {"id": "p5", "location": KIRUNA, "max_commute_km": 5},
]


def write_jsonl(path: Path, rows) -> Path:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows
        ),
        encoding="utf-8",
    )
    return path


def run(tmp_path: Path, *extra: str, offers=OFFERS, participants=PARTICIPANTS):
    o = write_jsonl(tmp_path / "offers.jsonl", offers)
    p = write_jsonl(tmp_path / "participants.jsonl", participants)
    out = tmp_path / "assignments.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "matcher", "allocate", "--offers", str(o), "--participants", str(p),
         "--out", str(out), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    return proc, lines


def prefs_file(tmp_path: Path, data) -> str:
    path = tmp_path / "prefs.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_writes_one_exact_line_per_participant(tmp_path, mode):
    proc, lines = run(tmp_path, "--mode", mode)
    assert proc.returncode == 0, proc.stderr
    # Exact bytes of the contract, participants in input order.
    assert lines[0] == '{"participant": "p1", "offer": "o1"}'
    result = {d["participant"]: d["offer"] for d in map(json.loads, lines)}
    assert list(result) == ["p1", "p2", "p3", "p4", "p5"]
    # o1 (1 slot) + o2 (2 slots) at home, o3 only reachable for p5, o4 closed: one left over.
    assert result["p5"] == "o3"
    assert sorted(o for o in result.values() if o) == ["o1", "o2", "o2", "o3"]
    left = [p for p, o in result.items() if o is None]
    assert len(left) == 1
    assert f'{{"participant": "{left[0]}", "offer": null}}' in lines
    summary = proc.stderr.strip().splitlines()[-1]
    assert f"allocate ({mode})" in summary and "4 assigned, 1 unassigned" in summary


def test_explicit_preferences_are_followed_and_infeasible_pairs_dropped(tmp_path):
    prefs = {
        "participants": {"p1": ["o2", "o1"], "p2": ["o1", "o2"], "p3": ["o3", "o2"]},
        "offers": {"o1": ["p2", "p1"], "o2": ["p3", "p1", "p2"], "o3": ["p3"]},
    }
    proc, lines = run(tmp_path, "--mode", "stable", "--preferences", prefs_file(tmp_path, prefs))
    assert proc.returncode == 0, proc.stderr
    result = {d["participant"]: d["offer"] for d in map(json.loads, lines)}
    # (p3, o3) is too far: dropped with a warning. Then p1 -> o2, p2 -> o1, p3 -> o2; p4 and p5
    # are in no list.
    assert "pair p3 - o3 is infeasible (distance): dropped" in proc.stderr
    assert result == {"p1": "o2", "p2": "o1", "p3": "o2", "p4": None, "p5": None}


@pytest.mark.parametrize(
    ("prefs", "message"),
    [
        ('{"participants": {"p1": ["o1"]}, "offers": {', "line 1, column 45: not valid JSON"),
        ({"participants": {"p1": ["o9"]}, "offers": {}}, "p1[0]: unknown offer id 'o9'"),
        ({"participants": {"px": []}, "offers": {}}, "participants.px: unknown participant id"),
        ({"participants": {}, "offers": {"o1": ["p1", "p1"]}}, "offers.o1[1]: 'p1' listed twice"),
        ('{"participants": {"p1": [], "p1": []}, "offers": {}}', "duplicate key 'p1'"),
    ],
)  # fmt: skip
def test_bad_preferences_stop_with_the_place(tmp_path, prefs, message):
    path = prefs_file(tmp_path, prefs)
    proc, lines = run(tmp_path, "--mode", "stable", "--preferences", path)
    assert proc.returncode == 2
    assert message in proc.stderr and path in proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines == []


def test_preferences_with_optimal_mode_are_refused(tmp_path):
    proc, _ = run(tmp_path, "--preferences", prefs_file(tmp_path, {}))
    assert proc.returncode == 2
    assert "--preferences applies to --mode stable only" in proc.stderr


def test_bad_lines_are_reported_and_the_rest_allocated(tmp_path):
    offers = [*OFFERS, {"id": "o5", "title": "Bagare", "location": HOME, "capacity": -1}]
    participants = [*PARTICIPANTS, {"id": "p1", "location": HOME}, "not json"]
    proc, lines = run(tmp_path, offers=offers, participants=participants)
    assert proc.returncode == 3, proc.stderr
    assert "offers.jsonl:5: key 'capacity'" in proc.stderr
    assert "participants.jsonl:6: key 'id'" in proc.stderr
    assert "participants.jsonl:7" in proc.stderr
    assert len(lines) == 5 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("bad", ["offer", "participant", "both"])
def test_explicit_lists_with_a_bad_line_in_either_file(tmp_path, bad):
    """A file with a line the column readers do not take is read the long way, the line is
    named, and the lists are followed as with clean files."""
    prefs = {
        "participants": {"p1": ["o2", "o1"], "p2": ["o1", "o2"], "p3": ["o3", "o2"]},
        "offers": {"o1": ["p2", "p1"], "o2": ["p3", "p1", "p2"], "o3": ["p3"]},
    }
    offers = OFFERS + (
        [{"id": "o5", "title": "", "location": HOME}] if bad != "participant" else []
    )
    people = PARTICIPANTS + (["{broken"] if bad != "offer" else [])
    path = prefs_file(tmp_path, prefs)
    proc, lines = run(tmp_path, "--mode", "stable", "--preferences", path, offers=offers,
                      participants=people)  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    assert ("offers.jsonl:5: key 'title'" in proc.stderr) == (bad != "participant")
    assert ("participants.jsonl:6" in proc.stderr) == (bad != "offer")
    result = {d["participant"]: d["offer"] for d in map(json.loads, lines)}
    assert result == {"p1": "o2", "p2": "o1", "p3": "o2", "p4": None, "p5": None}
    assert "pair p3 - o3 is infeasible (distance): dropped" in proc.stderr


def test_strict_stops_at_the_first_bad_line(tmp_path):
    offers = [*OFFERS, {"id": "o5", "title": "Bagare", "location": HOME, "capacity": -1}]
    proc, lines = run(tmp_path, "--strict", offers=offers)
    assert proc.returncode == 2
    assert "offers.jsonl:5" in proc.stderr and lines == []


def test_missing_input_file_is_a_clear_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "matcher", "allocate", "--offers", str(tmp_path / "nope.jsonl"),
         "--participants", str(tmp_path / "nope2.jsonl"), "--out", str(tmp_path / "o.jsonl")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "nope.jsonl: no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_missing_taxonomy_folder_is_a_clear_error(tmp_path):
    proc, lines = run(tmp_path, "--taxonomy", str(tmp_path / "no-such-dir"))
    assert proc.returncode == 1
    assert "no-such-dir: no such folder" in proc.stderr and "Traceback" not in proc.stderr
    assert lines == []


@pytest.mark.parametrize(
    "pid, oid",
    [("p1", "o1"), ('p "quoted" \\ back', None), ("Åsa-ö", "o\u2028x"), ("tab\there", "nul\x00")],
)
def test_assignment_lines_are_byte_for_byte_json_dumps(pid, oid):
    from matcher.cli_allocate import _assignment_lines

    (line,) = _assignment_lines([pid], {pid: oid})
    expected = json.dumps({"participant": pid, "offer": oid}, ensure_ascii=False) + "\n"
    assert line == expected
    assert json.loads(line) == {"participant": pid, "offer": oid}
