"""Benchmark of allocation: `python -m benchmarks.allocate [--quick] [--no-package]`.

Stable mode against the `matching` package (a test dependency, used here only as a yardstick;
its time includes building the game, as a caller would pay it), optimal mode with OR-Tools and
with scipy's sparse LAPJV as a second opinion, and congestion-capped suggestions against plain
top-k. Random instances with fixed seeds; our times are the median of three runs. Prints a
Markdown report (the figures in benchmarks/ALLOCATE.md come from it).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import warnings
from dataclasses import replace

import numpy as np

from matcher.congestion import capped_top_k, exposure_report, fill_multiple, plain_top_k
from matcher.constraints import OfferConstraintArrays, ParticipantConstraints, feasible_mask
from matcher.geo import chord_km, unit_vectors
from matcher.optimal import max_score_assignment, total_score
from matcher.stable import RankedLists, check_stability, deferred_acceptance

STABLE_SIZES = ((1_000, 200), (5_000, 1_000), (20_000, 4_000))
PACKAGE_MAX_PARTICIPANTS = 5_000  # the package needs minutes beyond this


def stable_instance(n_p: int, n_o: int, length: int = 20, capacity: int = 5, seed: int = 0):
    """Each participant lists `length` random offers; each offer ranks those who listed it."""
    rng = np.random.default_rng(seed)
    p_lists = np.argsort(rng.random((n_p, n_o)), axis=1)[:, :length] if n_o <= 1000 else None
    if p_lists is None:  # avoid an n_p x n_o matrix for the large size
        p_lists = np.stack([rng.choice(n_o, length, replace=False) for _ in range(n_p)])
    rows = np.repeat(np.arange(n_p), length)
    # Offers rank by a random merit per (offer, participant): order entries by offer, then merit.
    merit = rng.random(n_p * length)
    order = np.lexsort((merit, p_lists.ravel()))
    o_sorted, p_sorted = p_lists.ravel()[order], rows[order]
    indptr = np.searchsorted(o_sorted, np.arange(n_o + 1))
    p_prefs = RankedLists(np.arange(0, n_p * length + 1, length), p_lists.ravel().astype(np.int64))
    o_prefs = RankedLists(indptr.astype(np.int64), p_sorted.astype(np.int64))
    return p_prefs, o_prefs, np.full(n_o, capacity, dtype=np.int64)


def _median_time(fn, repeat: int = 3):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run_package(p_prefs: RankedLists, o_prefs: RankedLists, caps: np.ndarray):
    """The `matching` package on the same instance, build included; returns (seconds, match)."""
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 100_000))  # its deepcopy recurses along the prefs
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from matching.games import HospitalResident

            start = time.perf_counter()
            pi, pv = p_prefs.indptr.tolist(), p_prefs.indices.tolist()
            oi, ov = o_prefs.indptr.tolist(), o_prefs.indices.tolist()
            residents = {
                f"r{p}": [f"h{o}" for o in pv[pi[p] : pi[p + 1]]] for p in range(len(pi) - 1)
            }
            hospitals = {
                f"h{o}": [f"r{p}" for p in ov[oi[o] : oi[o + 1]]] for o in range(len(oi) - 1)
            }
            residents = {k: v for k, v in residents.items() if v}
            hospitals = {k: v for k, v in hospitals.items() if v}
            capacities = {h: int(caps[int(h[1:])]) for h in hospitals}
            game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
            solved = game.solve(optimal="resident")
            elapsed = time.perf_counter() - start
    finally:
        sys.setrecursionlimit(old_limit)
    match = np.full(len(p_prefs.indptr) - 1, -1, dtype=np.int64)
    for hospital, members in solved.items():
        for resident in members:
            match[int(resident.name[1:])] = int(hospital.name[1:])
    return elapsed, match


def bench_stable(sizes, with_package: bool) -> list[str]:
    lines = [
        "| participants x offers | ours, CSR in (s) | ours, Python lists in (s) |"
        " matching pkg, build incl. (s) | ratio (pkg / ours from lists) | same result |"
        " matched | blocking pairs |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n_p, n_o in sizes:
        p_prefs, o_prefs, caps = stable_instance(n_p, n_o)
        ours_s, match = _median_time(
            lambda a=p_prefs, b=o_prefs, c=caps: deferred_acceptance(a, b, c)
        )
        lists = (p_prefs.to_lists(), o_prefs.to_lists())
        from_lists_s, _ = _median_time(lambda a=lists, c=caps: deferred_acceptance(*a, c))
        blocking = len(check_stability(match, p_prefs, o_prefs, caps).blocking_pairs)
        pkg, ratio, same = "not run", "", ""
        if with_package and n_p <= PACKAGE_MAX_PARTICIPANTS:
            pkg_s, pkg_match = run_package(p_prefs, o_prefs, caps)
            pkg, ratio = f"{pkg_s:.2f}", f"{pkg_s / from_lists_s:.0f}x"
            same = "yes" if np.array_equal(pkg_match, match) else "NO"
        lines.append(
            f"| {n_p:,} x {n_o:,} | {ours_s:.3f} | {from_lists_s:.3f} | {pkg} | {ratio} | {same} |"
            f" {int((match >= 0).sum()):,} | {blocking} |"
        )
        print(f"stable {n_p}x{n_o} done", file=sys.stderr)
    return lines


def write_cli_instance(folder, n_p: int, n_o: int, length: int = 20, seed: int = 4):
    """offers.jsonl, participants.jsonl (the file contract, plausible constraints from the
    engine benchmark's generator) and prefs.json: each participant lists `length` random
    offers, each offer ranks everyone who listed it in a random order."""
    import json
    import random

    from benchmarks.engine import Synthetic, offer_json, participant_json
    from matcher.vocab import Vocabulary

    synth = Synthetic(Vocabulary.load_default(), seed=seed)
    offers = [synth.offer(n) for n in range(n_o)]
    # People open to most offers (any distance, fluent Swedish, a licence), so that lists of
    # `length` feasible offers exist and the game is as large as in the issue; hours,
    # physical demands, access needs and full offers still exclude pairs.
    people = [
        replace(synth.participant(n), max_commute_km=None, swedish_level="fluent",
                driving_licence=True)
        for n in range(n_p)
    ]  # fmt: skip
    rng = random.Random(seed)
    # A coach lists offers the person can take: sample each list from the feasible offers
    # (all of them when fewer), so the game is as large as the lists say.
    arrays = OfferConstraintArrays.from_offers(offers)
    o_xyz = unit_vectors(arrays.lat, arrays.lon)
    p_lists = {}
    for p in people:
        dist = chord_km(unit_vectors([p.location.lat], [p.location.lon]), o_xyz)[0]
        ok = np.flatnonzero(feasible_mask(arrays, ParticipantConstraints.of(p), dist)).tolist()
        chosen = rng.sample(ok, min(length, len(ok)))
        others = [n for n in rng.sample(range(len(offers)), 3 * length) if n not in set(chosen)]
        chosen += others[: length - len(chosen)]  # topped up: infeasible, dropped by the command
        p_lists[p.id] = [offers[n].id for n in chosen]
    o_lists: dict[str, list[str]] = {o.id: [] for o in offers}
    for pid, listed in p_lists.items():
        for oid in listed:
            o_lists[oid].append(pid)
    for fans in o_lists.values():
        rng.shuffle(fans)
    (folder / "offers.jsonl").write_text(
        "".join(json.dumps(offer_json(o), ensure_ascii=False) + "\n" for o in offers)
    )
    lines = []
    for p in people:  # at the generated point, so the lists above stay feasible
        row = participant_json(p)
        row["location"] = {"lat": p.location.lat, "lon": p.location.lon}
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    (folder / "participants.jsonl").write_text("".join(lines))
    (folder / "prefs.json").write_text(json.dumps({"participants": p_lists, "offers": o_lists}))
    return people, offers


def bench_cli_stable(n_p: int, n_o: int, with_package: bool, repeat: int = 5) -> list[str]:
    """`python -m matcher allocate --mode stable --preferences` end to end (a new process:
    start-up, reading and checking the files, feasibility, solving, writing) against the
    `matching` package building and solving the same game (its feasible part: the package has
    no hard constraints, so it gets the lists with the infeasible pairs already taken out).

    The shared machine's speed drifts by tens of percent within a minute, so the three are run
    interleaved, `repeat` rounds of (ours, the floor, the package), and compared by their
    medians and by their best runs."""
    import json
    import subprocess
    import tempfile
    from pathlib import Path

    from matcher.allocate import Preferences, _feasible_listed_pairs
    from matcher.io import read_offers, read_participants

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_cli_instance(folder, n_p, n_o)
        command = [
            sys.executable, "-m", "matcher", "allocate", "--mode", "stable",
            "--offers", str(folder / "offers.jsonl"),
            "--participants", str(folder / "participants.jsonl"),
            "--preferences", str(folder / "prefs.json"), "--out", str(folder / "out.jsonl"),
        ]  # fmt: skip
        # The floor: a process that only starts Python, imports numpy and decodes the three
        # files with the standard library's json (no checking, no solving).
        floor_command = [sys.executable, "-c", FLOOR_SCRIPT, str(folder)]
        # Byte-compiled modules, as an installed app has them (a warm-up run writes them).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(command, capture_output=True, env=env, check=False)
        game = None
        if with_package:
            game = _package_game(folder, read_offers, read_participants, Preferences,
                                 _feasible_listed_pairs)  # fmt: skip
        ours, floor, pkg, same = [], [], [], []
        for _ in range(repeat):
            ours.append(_timed_runs(command, env, 1))
            floor.append(_timed_runs(floor_command, env, 1)[0])
            if game is None:
                continue
            offers, people, p_prefs, o_prefs, caps = game
            cpu_before = time.process_time()
            pkg_s, pkg_match = run_package(p_prefs, o_prefs, caps)
            pkg.append((pkg_s, time.process_time() - cpu_before))
            written = {}
            for line in (folder / "out.jsonl").read_text().splitlines():
                row = json.loads(line)
                written[row["participant"]] = row["offer"]
            theirs = {
                p.id: (offers[int(pkg_match[n])].id if pkg_match[n] >= 0 else None)
                for n, p in enumerate(people)
            }
            same.append(theirs == written)
    med = statistics.median
    ours_s, ours_cpu = med(w for w, _ in ours), med(c for _, c in ours)
    floor_s = med(floor)
    row = f"| {n_p:,} x {n_o:,} (lists of 20) | {ours_s:.2f} / {ours_cpu:.2f} | {floor_s:.2f} |"
    if not pkg:
        return [row + " not run | | | | |"]
    pkg_s, pkg_cpu = med(w for w, _ in pkg), med(c for _, c in pkg)
    best = min(w for w, _ in pkg) / min(w for w, _ in ours)
    return [
        row + f" {pkg_s:.2f} / {pkg_cpu:.2f} | {pkg_s / ours_s:.0f}x / {pkg_cpu / ours_cpu:.0f}x"
        f" | {best:.0f}x | {pkg_s / floor_s:.0f}x | {'yes' if all(same) else 'NO'} |"
    ]


def _package_game(folder, read_offers, read_participants, preferences_type, listed_pairs):
    """The game the `matching` package gets: the lists of prefs.json without infeasible pairs."""
    import json

    offers, _ = read_offers(folder / "offers.jsonl")
    people, _ = read_participants(folder / "participants.jsonl")
    raw = json.loads((folder / "prefs.json").read_text())
    prefs = preferences_type(raw["participants"], raw["offers"])
    o_index = {o.id: n for n, o in enumerate(offers)}
    from matcher.constraints import OfferColumns, ParticipantColumns

    pp, po, _ranks = listed_pairs(ParticipantColumns.of(people), OfferColumns.of(offers), prefs, [])
    ok = set(zip(pp.tolist(), po.tolist(), strict=True))
    p_index = {p.id: n for n, p in enumerate(people)}
    p_lists = [[o_index[o] for o in raw["participants"][p.id]] for p in people]
    p_lists = [[o for o in lst if (n, o) in ok] for n, lst in enumerate(p_lists)]
    o_lists = [
        [p_index[p] for p in raw["offers"][o.id] if (p_index[p], n) in ok]
        for n, o in enumerate(offers)
    ]
    caps = np.array([o.capacity for o in offers], dtype=np.int64)
    return offers, people, RankedLists.from_lists(p_lists), RankedLists.from_lists(o_lists), caps


# Start-up, numpy and JSON decoding of the command's three inputs: what any Python
# implementation of the command pays before checking a line (argv[1]: the instance folder).
FLOOR_SCRIPT = """
import json, sys
from pathlib import Path
import numpy
folder = Path(sys.argv[1])
for name in ("offers.jsonl", "participants.jsonl"):
    json.loads(b"[" + b",".join((folder / name).read_bytes().splitlines()) + b"]")
json.loads((folder / "prefs.json").read_bytes())
"""


def _timed_runs(command, env, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `repeat` runs of a command (SystemExit if one fails)."""
    import subprocess

    times, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{command[2]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return statistics.median(times), statistics.median(cpu)


def optimal_instance(n_p: int, n_o: int, top: int = 20, capacity: int = 5, seed: int = 1):
    """Top-`top` feasible lists: offers of varying appeal, scores in (0, 1)."""
    rng = np.random.default_rng(seed)
    appeal = rng.random(n_o)
    pp = np.repeat(np.arange(n_p), top)
    po = np.concatenate([rng.choice(n_o, top, replace=False) for _ in range(n_p)])
    ps = np.clip(0.5 * appeal[po] + 0.5 * rng.random(len(po)), 0.001, 1.0)
    return pp, po, ps, np.full(n_o, capacity, dtype=np.int64)


def lapjv_sparse(n_p, n_o, pp, po, ps, caps):
    """Second solver: scipy sparse LAPJV on slot-expanded columns plus a dummy per participant."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    slot_start = np.concatenate([[0], np.cumsum(caps)])
    reps = caps[po]
    rows = np.repeat(pp, reps)
    within = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    cols = np.repeat(slot_start[po], reps) + within
    n_slots = int(slot_start[-1])
    # Costs 2 - score (> 0, explicit) for real slots and 2 for the dummy: min cost = max score.
    weights = np.concatenate([np.repeat(2.0 - ps, reps), np.full(n_p, 2.0)])
    rows = np.concatenate([rows, np.arange(n_p)])
    cols = np.concatenate([cols, n_slots + np.arange(n_p)])
    graph = csr_matrix((weights, (rows, cols)), shape=(n_p, n_slots + n_p))
    r, c = min_weight_full_bipartite_matching(graph)
    match = np.full(n_p, -1, dtype=np.int64)
    real = c < n_slots
    match[r[real]] = np.searchsorted(slot_start, c[real], side="right") - 1
    return match


def bench_optimal(n_p: int, n_o: int) -> list[str]:
    """Both solvers at capacity 5 (slots for everyone) and 2 (slots for half: contention)."""
    lines = [
        "| capacity | solver | time (s) | total score | assigned |",
        "| --- | --- | --- | --- | --- |",
    ]
    for capacity in (5, 2):
        pp, po, ps, caps = optimal_instance(n_p, n_o, capacity=capacity)
        flow_s, flow = _median_time(lambda a=(pp, po, ps, caps): max_score_assignment(n_p, n_o, *a))
        lap_s, lap = _median_time(lambda a=(pp, po, ps, caps): lapjv_sparse(n_p, n_o, *a), 1)
        for name, secs, match in (
            ("OR-Tools SimpleMinCostFlow", flow_s, flow),
            ("scipy sparse LAPJV, slot-expanded (1 run)", lap_s, lap),
        ):
            lines.append(
                f"| {capacity} | {name} | {secs:.3f} | {total_score(match, pp, po, ps):.4f} |"
                f" {int((match >= 0).sum()):,} |"
            )
    print(f"optimal {n_p}x{n_o} done", file=sys.stderr)
    return lines


def congestion_instance(n_p: int, n_o: int, pool: int = 20, seed: int = 2):
    """Offers of skewed appeal (a few popular placements), 1-3 slots, 60 feasible each."""
    rng = np.random.default_rng(seed)
    appeal = rng.gamma(1.0, 1.0, n_o)
    appeal /= appeal.max()
    caps = rng.integers(1, 4, n_o)
    candidates, scores = [], []
    for _ in range(n_p):
        feasible = rng.choice(n_o, 60, replace=False)
        s = 0.6 * appeal[feasible] + 0.4 * rng.random(60)
        best = np.argsort(-s)[:pool]
        candidates.append(feasible[best].tolist())
        scores.append(s[best].tolist())
    return candidates, scores, caps


def bench_congestion(n_p: int, n_o: int, k: int = 5, multiple: float = 3.0) -> list[str]:
    candidates, scores, caps = congestion_instance(n_p, n_o)
    filled = fill_multiple(caps, n_p, k, multiple)
    variants = [
        (f"plain top-{k}", plain_top_k(candidates, k)),
        (
            f"capped {multiple:g}x capacity",
            capped_top_k(candidates, caps, k, exposure_multiple=multiple),
        ),
        (
            f"capped, filled ({filled:.1f}x)",
            capped_top_k(candidates, caps, k, exposure_multiple=multiple, fill=True),
        ),
    ]
    lines = [
        f"{n_p:,} participants, {n_o:,} offers, {int(caps.sum()):,} slots, pools of 20, k = {k}",
        "",
        "| suggestions | mean score | mean best score | per participant | none shown |"
        " offers never suggested | max exposure (per slot) | exposure Gini |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, shown in variants:
        r = exposure_report(candidates, scores, caps, shown)
        lines.append(
            f"| {name} | {r.mean_score:.3f} | {r.mean_top_score:.3f} |"
            f" {r.suggestions_per_participant:.2f} | {r.participants_without_suggestion} |"
            f" {r.offers_never_suggested_share:.1%} | {r.max_exposure}"
            f" ({r.max_exposure_per_slot:.1f}) | {r.exposure_gini:.3f} |"
        )
    start = time.perf_counter()
    capped_top_k(candidates, caps, k, exposure_multiple=multiple)
    lines += ["", f"capped selection time: {time.perf_counter() - start:.3f} s", ""]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.allocate")
    parser.add_argument("--quick", action="store_true", help="small sizes only (a smoke test)")
    parser.add_argument("--no-package", action="store_true", help="skip the matching package")
    args = parser.parse_args(argv)
    sizes = STABLE_SIZES[:1] if args.quick else STABLE_SIZES
    opt_size = (1_000, 250) if args.quick else (10_000, 2_500)
    cong_size = (400, 100) if args.quick else (2_000, 500)
    out = ["## Stable mode (lists of 20, capacity 5)", ""]
    out += bench_stable(sizes, with_package=not args.no_package)
    cli_size = (1_000, 200) if args.quick else (5_000, 1_000)
    out += [
        "",
        "## The allocate command, stable with explicit preferences, end to end",
        "",
        "Five interleaved rounds; medians, and the ratio of the best runs.",
        "",
        "| participants x offers | `python -m matcher allocate`, wall / CPU (s) |"
        " floor: start-up + numpy + json.loads of the 3 files (s) |"
        " matching pkg, build + solve, wall / CPU (s) | ratio wall / CPU (medians) |"
        " ratio of best runs | pkg / floor | same result |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    out += bench_cli_stable(*cli_size, with_package=not args.no_package)
    out += ["", f"## Optimal mode ({opt_size[0]:,} x {opt_size[1]:,}, top-20)", ""]
    out += bench_optimal(*opt_size)
    out += ["", "## Congestion-capped suggestions", ""]
    out += bench_congestion(*cong_size)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
