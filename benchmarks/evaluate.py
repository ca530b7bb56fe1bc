"""Offline quality evaluation: `python -m benchmarks.evaluate [--seeds 1,2,3] [--noise 0.1,0.3,0.5]`.

Builds labelled synthetic offers and participants from the real JobTech export (see
benchmarks.evaluation.synth) for every seed and noise level, and ranks each dataset in the same
run with the plain baselines (char n-gram TF-IDF, word TF-IDF, BM25) and with the engine:

- "engine, built-in": out of the box (`Vocabulary.load_default()`: the project's vocabulary
  and the built-in JobTech taxonomy);
- "engine, project only": the project's own vocabulary alone (what shipped before);
- "unknown terms": the same dataset in a made-up language (`synth.cipher`), where the
  vocabulary knows none of the words, with the baselines recomputed on it.

Ratios are against the best plain baseline on the same data. The report seeds (1, 2, 3) are held
out: weights are fitted on other seeds (`python -m benchmarks.tune`, seeds 101-103).
Seeded: the same arguments print the same figures. Needs the real export, by default
`../shared/data/jobtech` beside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

from benchmarks.evaluation.run import BASELINES, Result, baselines, engine_rankings, timed
from benchmarks.evaluation.synth import Settings, build_dataset, cipher, definitions

DEFAULT_TAXONOMY = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "jobtech"
REPORT_SEEDS = (1, 2, 3)
NOISE_LEVELS = (0.1, 0.3, 0.5)


def _numbers(kind):
    def parse(text: str):
        values = tuple(kind(v) for v in text.split(",") if v.strip())
        if not values:
            raise argparse.ArgumentTypeError("expected a comma-separated list")
        return values

    return parse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.evaluate", description=__doc__.split("\n")[0]
    )
    d = Settings()
    p.add_argument("--taxonomy", type=Path, default=DEFAULT_TAXONOMY, help="JobTech export folder")
    p.add_argument("--seeds", type=_numbers(int), default=REPORT_SEEDS)
    p.add_argument("--noise", type=_numbers(float), default=NOISE_LEVELS, help="slip rates")
    p.add_argument("--groups", type=int, default=d.groups, help="occupation groups per dataset")
    p.add_argument("--participants", type=int, default=d.participants)
    p.add_argument("--min-skills", type=int, default=d.min_skills)
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    return p


def evaluate_one(national, defs, settings: Settings, default, project) -> dict:
    """Every system on one dataset and on its ciphered twin."""
    dataset = build_dataset(national, settings, defs)
    results = baselines(dataset)
    results.append(timed("engine, built-in", dataset, lambda: engine_rankings(dataset, default)))
    results.append(
        timed("engine, project only", dataset, lambda: engine_rankings(dataset, project))
    )
    unknown = cipher(dataset, settings.seed)
    unknown_results = baselines(unknown)
    unknown_results.append(
        timed("engine, built-in", unknown, lambda: engine_rankings(unknown, default))
    )
    return {"seed": settings.seed, "noise": settings.noise, "known": results,
            "unknown": unknown_results}  # fmt: skip


def best_plain(results: list[Result]) -> float:
    return max(r.ndcg for r in results if r.system in BASELINES)


def table(rows: list[dict]) -> str:
    head = ("| seed | noise | char n-gram | word TF-IDF | BM25 | engine, built-in (x best) | "
            "engine, project only (x best) | unknown terms: best plain | unknown terms: engine (x) |")  # fmt: skip
    lines = [head, "|" + " --- |" * 9]
    for row in rows:
        k = {r.system: r.ndcg for r in row["known"]}
        u = {r.system: r.ndcg for r in row["unknown"]}
        bk, bu = best_plain(row["known"]), best_plain(row["unknown"])
        lines.append(
            f"| {row['seed']} | {row['noise']} | {k[BASELINES[0]]:.3f} | {k[BASELINES[1]]:.3f} | "
            f"{k[BASELINES[2]]:.3f} | {k['engine, built-in']:.3f} ({k['engine, built-in'] / bk:.2f}) | "
            f"{k['engine, project only']:.3f} ({k['engine, project only'] / bk:.2f}) | "
            f"{bu:.3f} | {u['engine, built-in']:.3f} ({u['engine, built-in'] / bu:.2f}) |"
        )
    n = len(rows)

    def avg(key, system):
        return sum({r.system: r.ndcg for r in row[key]}[system] for row in rows) / n

    def avg_ratio(key, system):
        return (
            sum({r.system: r.ndcg for r in row[key]}[system] / best_plain(row[key]) for row in rows)
            / n
        )

    lines.append(
        f"| mean | | {avg('known', BASELINES[0]):.3f} | {avg('known', BASELINES[1]):.3f} | "
        f"{avg('known', BASELINES[2]):.3f} | {avg('known', 'engine, built-in'):.3f} "
        f"({avg_ratio('known', 'engine, built-in'):.2f}) | "
        f"{avg('known', 'engine, project only'):.3f} "
        f"({avg_ratio('known', 'engine, project only'):.2f}) | "
        f"{sum(best_plain(r['unknown']) for r in rows) / n:.3f} | "
        f"{avg('unknown', 'engine, built-in'):.3f} ({avg_ratio('unknown', 'engine, built-in'):.2f}) |"
    )
    worst_known = min(
        {r.system: r.ndcg for r in row["known"]}["engine, built-in"] / best_plain(row["known"])
        for row in rows
    )
    worst_unknown = min(
        {r.system: r.ndcg for r in row["unknown"]}["engine, built-in"] / best_plain(row["unknown"])
        for row in rows
    )
    lines.append("")
    lines.append(
        f"worst ratio, built-in: {worst_known:.2f}; worst ratio, unknown terms: {worst_unknown:.2f}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.taxonomy.is_dir():
        print(
            f"evaluate: no JobTech taxonomy at {args.taxonomy}; the evaluation needs the real "
            "export files (see shared/data/README.md) or --taxonomy DIR",
            file=sys.stderr,
        )
        return 2
    from matcher.vocab import Vocabulary, load_jobtech

    started = time.perf_counter()
    try:
        national = load_jobtech(args.taxonomy)
    except ValueError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    defs = definitions(args.taxonomy)
    default, project = Vocabulary.load_default(), Vocabulary.load_project()
    base = Settings(groups=args.groups, participants=args.participants, min_skills=args.min_skills)
    rows = []
    for seed in args.seeds:
        for noise in args.noise:
            try:
                rows.append(
                    evaluate_one(national, defs, replace(base, seed=seed, noise=noise), default,
                                 project)
                )  # fmt: skip
            except ValueError as exc:
                print(f"evaluate: {exc}", file=sys.stderr)
                return 2
    print(
        f"nDCG@10, {args.groups} groups, {args.participants} participants per dataset; seeds "
        f"{', '.join(map(str, args.seeds))}; noise {', '.join(map(str, args.noise))}; "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(table(rows))
    if args.json:
        payload = {
            "settings": asdict(base),
            "rows": [
                {**{k: row[k] for k in ("seed", "noise")},
                 "known": [asdict(r) for r in row["known"]],
                 "unknown": [asdict(r) for r in row["unknown"]]}
                for row in rows
            ],
        }  # fmt: skip
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
