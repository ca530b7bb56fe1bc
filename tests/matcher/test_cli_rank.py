"""`python -m matcher rank`: output lines, progress, and exit codes for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from matcher.cli import main

ROOT = Path(__file__).resolve().parents[2]

OFFERS = [
    {"id": "o1", "title": "Lagerarbetare", "location": {"municipality": "Karlskoga"},
     "skills_required": ["truckkort"], "leads_to_employment": "yes"},
    {"id": "o2", "title": "Städare", "location": {"municipality": "Örebro"}},
    {"id": "o3", "title": "Lagerarbetare", "location": {"municipality": "Kiruna"}},
]  # fmt: skip
PEOPLE = [
    {"id": "p1", "skills": ["truckförarbevis"], "location": {"municipality": "Degerfors kommun"},
     "max_commute_km": 60},
    {"id": "p2", "location": {"lat": 59.27, "lon": 15.21}, "max_commute_km": 10},
]  # fmt: skip


def write(path: Path, lines) -> Path:
    path.write_text(
        "".join(
            (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def files(tmp_path):
    return (
        write(tmp_path / "offers.jsonl", OFFERS),
        write(tmp_path / "participants.jsonl", PEOPLE),
        tmp_path / "suggestions.jsonl",
    )


def read_lines(path: Path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_rank_writes_the_contract_lines(files, capsys):
    offers, people, out = files
    code = main(["rank", "--offers", str(offers), "--participants", str(people), "--out", str(out)])
    assert code == 0
    lines = read_lines(out)
    assert [(x["participant"], x["offer"], x["rank"]) for x in lines] == [
        ("p1", "o1", 1),
        ("p1", "o2", 2),
        ("p2", "o2", 1),
    ]
    first = lines[0]
    assert list(first)[:6] == ["participant", "offer", "rank", "score", "components", "reasons"]
    assert 0 <= first["score"] <= 1
    assert first["reasons"][0] == "matches required skill 'truckkort' (as 'truckförarbevis')"
    assert not any("km" in r for r in first["reasons"])  # 11 km: neither near nor far
    assert 10 < first["distance_km"] < 12
    err = capsys.readouterr().err
    assert "2 participants x 3 offers, 3 suggestions" in err and "0 lines rejected" in err


def test_explain_lists_exclusions_nearest_first(files):
    offers, people, out = files
    args = ["rank", "--offers", str(offers), "--participants", str(people), "--out", str(out)]
    assert main([*args, "--explain", "--top", "5"]) == 0
    lines = read_lines(out)
    p2 = [x for x in lines if x["participant"] == "p2"]
    assert p2[0]["offer"] == "o2" and "rank" in p2[0]
    assert [(x["offer"], x["excluded"]) for x in p2[1:]] == [
        ("o1", ["distance"]),
        ("o3", ["distance"]),
    ]


def test_bad_lines_are_reported_and_exit_3(tmp_path, capsys):
    offers = write(
        tmp_path / "offers.jsonl",
        [OFFERS[0], {"id": "o9", "title": "X", "location": {"municipality": "Karlskogga"}}, "{"],
    )
    people = write(tmp_path / "participants.jsonl", [PEOPLE[0], {"id": "p9"}])
    out = tmp_path / "s.jsonl"
    code = main(["rank", "--offers", str(offers), "--participants", str(people), "--out", str(out)])
    assert code == 3
    err = capsys.readouterr().err
    assert f"{offers}:2: key 'location': unknown Swedish municipality or place 'Karlskogga'" in err
    assert "did you mean 'Karlskoga'" in err
    assert f"{offers}:3: not valid JSON" in err
    assert f"{people}:2: key 'location': is missing (required)" in err
    assert "3 lines rejected" in err
    assert [x["offer"] for x in read_lines(out)] == ["o1"]  # the good lines still ran


def test_strict_makes_the_first_bad_line_fatal(tmp_path, capsys):
    offers = write(tmp_path / "offers.jsonl", [OFFERS[0], {"id": "o9"}, "{"])
    people = write(tmp_path / "participants.jsonl", PEOPLE)
    out = tmp_path / "s.jsonl"
    code = main(
        [
            "rank",
            "--offers",
            str(offers),
            "--participants",
            str(people),
            "--out",
            str(out),
            "--strict",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert f"{offers}:2: key 'title': is missing (required)" in err
    assert ":3:" not in err and "--strict" in err
    assert not out.exists()


def test_missing_file_bad_flag_and_bad_taxonomy(files, capsys, tmp_path):
    offers, people, out = files
    assert main(["rank", "--offers", "nope.jsonl", "--participants", str(people)]) == 1
    assert "nope.jsonl: no such file" in capsys.readouterr().err
    assert main(["rank", "--offers", str(tmp_path), "--participants", str(people)]) == 1
    assert f"{tmp_path}: not a file" in capsys.readouterr().err
    assert main(["rank", "--offers", str(offers), "--participants", str(people), "--top", "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err
    assert main(["rank", "--offers", str(offers)]) == 2
    assert "--participants" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    args = ["rank", "--offers", str(offers), "--participants", str(people), "--out", str(out)]
    assert main([*args, "--taxonomy", str(tmp_path / "none")]) == 1
    assert "no such folder" in capsys.readouterr().err
    assert main([*args, "--out", str(tmp_path / "no" / "dir" / "x.jsonl")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_swedish_reasons_on_request(files):
    offers, people, out = files
    args = ["rank", "--offers", str(offers), "--participants", str(people), "--out", str(out)]
    assert main([*args, "--lang", "sv"]) == 0
    assert (
        read_lines(out)[0]["reasons"][0] == "har det som krävs: truckkort (som ”truckförarbevis”)"
    )


def test_allocate_is_registered():
    with pytest.raises(SystemExit) as stop:
        from matcher.cli import build_parser

        build_parser().parse_args(["allocate", "--help"])
    assert stop.value.code == 0


def test_python_dash_m_runs_end_to_end(files):
    """Does `python -m matcher rank` work as a municipality would run it, without a traceback?"""
    offers, people, out = files
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "matcher", "rank", "--offers", str(offers), "--participants",
         str(people), "--top", "1", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert [x["participant"] for x in read_lines(out)] == ["p1", "p2"]
    assert "rank: 2/2 (100 %)" in run.stderr  # plain progress line: stderr is not a terminal
    broken = write(people.parent / "broken.jsonl", [PEOPLE[0], '{"id": "x", "location": 5}'])
    bad = subprocess.run(
        [sys.executable, "-m", "matcher", "rank", "--offers", str(offers), "--participants",
         str(broken), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 3
    assert "Traceback" not in bad.stderr
    assert f"{broken}:2: key 'location': expected an object, got a number" in bad.stderr


def test_taxonomy_folder_is_loaded_beside_the_project_vocabulary(files, capsys):
    offers, people, out = files
    taxonomy = ROOT / "tests" / "fixtures" / "jobtech"
    if not taxonomy.is_dir():
        pytest.skip("the JobTech fixtures are not in this checkout")
    args = ["rank", "--offers", str(offers), "--participants", str(people), "--out", str(out)]
    assert main([*args, "--taxonomy", str(taxonomy)]) == 0
    assert [x["offer"] for x in read_lines(out)][:1] == ["o1"]


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    import io

    from matcher.progress import Progress

    ticks = iter(range(100))
    plain = io.StringIO()
    progress = Progress(10, "rank", plain, tty=False, every_s=5, clock=lambda: next(ticks) * 3.0)
    for _ in range(10):
        progress.advance()
    progress.close()
    lines = plain.getvalue().splitlines()
    assert lines[-1].startswith("rank: 10/10 (100 %)")
    assert 2 <= len(lines) <= 6 and "\r" not in plain.getvalue()
    bar = io.StringIO()
    progress = Progress(4, "rank", bar, tty=True, clock=lambda: next(ticks) * 1.0)
    for _ in range(4):
        progress.advance()
    progress.close()
    assert "\r" in bar.getvalue() and "[##############################] 4/4" in bar.getvalue()
    assert bar.getvalue().endswith("\n")


def test_default_max_km_excludes_people_without_a_limit_of_their_own(tmp_path):
    """Does --default-max-km apply only where the file gives no limit, with reason 'distance'?"""
    offers = write(tmp_path / "offers.jsonl", OFFERS)
    people = write(
        tmp_path / "participants.jsonl",
        [{"id": "p3", "location": {"municipality": "Karlskoga"}},
         {"id": "p4", "location": {"municipality": "Karlskoga"}, "max_commute_km": 1100}],
    )  # fmt: skip
    out = tmp_path / "s.jsonl"
    args = ["rank", "--offers", str(offers), "--participants", str(people), "--out", str(out)]
    assert main([*args, "--explain"]) == 0
    lines = read_lines(out)
    assert {x["offer"] for x in lines if x["participant"] == "p3" and "rank" in x} == {
        "o1",
        "o2",
        "o3",
    }  # fmt: skip  (no limit in the file: no limit)
    assert main([*args, "--explain", "--default-max-km", "60"]) == 0
    lines = read_lines(out)
    p3 = [x for x in lines if x["participant"] == "p3"]
    assert {x["offer"] for x in p3 if "rank" in x} == {"o1", "o2"}
    assert [x["excluded"] for x in p3 if "excluded" in x] == [["distance"]]  # Kiruna
    far = [x for x in lines if x["participant"] == "p4" and x.get("offer") == "o3"]
    assert far and far[0]["rank"] >= 1  # their own limit wins over the default
    assert any("a long way to travel" in g for g in far[0]["gaps"])
    assert not any("km" in r for r in far[0]["reasons"])
    assert main([*args, "--default-max-km", "-1"]) == 2


@pytest.mark.slow
def test_the_command_ends_with_every_line_written_to_a_pipe(files):
    """`python -m matcher` leaves without the interpreter's teardown (os._exit): what it wrote
    to a pipe must still all arrive, and the exit code must be the command's."""
    offers, people, out = files
    command = [sys.executable, "-m", "matcher", "rank", "--offers", str(offers),
               "--participants", str(people)]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # block-buffered
    piped = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env=env)  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert main(["rank", "--offers", str(offers), "--participants", str(people),
                 "--out", str(out)]) == 0  # fmt: skip
    assert [json.loads(line) for line in piped.stdout.splitlines()] == read_lines(out)
    assert "rank: 2 participants" in piped.stderr  # the closing summary was flushed too
    missing = subprocess.run([*command[:4], "--offers", str(out.parent / "nope.jsonl"),
                              "--participants", str(people)], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)  # fmt: skip
    assert missing.returncode == 1 and "no such file" in missing.stderr
