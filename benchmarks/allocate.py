"""Benchmark of allocation: `python -m benchmarks.allocate [--quick] [--no-package]`.

Stable mode against the `matching` package (a test dependency, used here only as a yardstick;
its time includes building the game, as a caller would pay it), optimal mode with OR-Tools and
with scipy's sparse LAPJV as a second opinion, and congestion-capped suggestions against plain
top-k. Random instances with fixed seeds; our times are the median of three runs. Prints a
Markdown report (the figures in benchmarks/ALLOCATE.md come from it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings

import numpy as np

from matcher.congestion import capped_top_k, exposure_report, fill_multiple, plain_top_k
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
    out += ["", f"## Optimal mode ({opt_size[0]:,} x {opt_size[1]:,}, top-20)", ""]
    out += bench_optimal(*opt_size)
    out += ["", "## Congestion-capped suggestions", ""]
    out += bench_congestion(*cong_size)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
