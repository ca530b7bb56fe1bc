"""The allocation benchmark runs, and its stable result equals the matching package's."""

from __future__ import annotations

import pytest

from benchmarks import allocate as bench_allocate


@pytest.mark.slow
def test_quick_benchmark_reports_identical_results(capsys):
    assert bench_allocate.main(["--quick"]) == 0
    out = capsys.readouterr().out
    stable_row = next(line for line in out.splitlines() if line.startswith("| 1,000 x 200"))
    cells = [c.strip() for c in stable_row.strip("|").split("|")]
    assert cells[5] == "yes"  # same result as the matching package
    assert cells[7] == "0"  # no blocking pairs
    solver_rows = [line for line in out.splitlines() if "OR-Tools" in line or "LAPJV" in line]
    for capacity in ("5", "2"):
        rows = [r.split("|") for r in solver_rows if r.split("|")[1].strip() == capacity]
        # Both solvers reach the same optimum.
        assert len(rows) == 2 and rows[0][4] == rows[1][4]
    assert "plain top-5" in out and "capped 3x capacity" in out
    # The command end to end: same matching as the package in every interleaved round.
    cli_row = next(line for line in out.splitlines() if "(lists of 20)" in line)
    assert cli_row.strip("|").split("|")[-1].strip() == "yes"


def test_stable_instance_is_well_formed():
    p_prefs, o_prefs, caps = bench_allocate.stable_instance(50, 10, length=4, capacity=2)
    lists = p_prefs.to_lists()
    assert all(len(row) == 4 and len(set(row)) == 4 for row in lists)
    # Each offer ranks exactly the participants who listed it.
    for o, row in enumerate(o_prefs.to_lists()):
        assert sorted(row) == [p for p, mine in enumerate(lists) if o in mine]
    assert caps.tolist() == [2] * 10
