"""Offline quality evaluation: `python -m benchmarks.evaluate [--taxonomy DIR] [sizes]`.

Builds labelled synthetic participants and offers from the JobTech taxonomy (see
benchmarks.evaluation.synth), ranks them with the engine and with a word TF-IDF baseline in the
same run, and prints nDCG@10 and recall@10. Seeded: the same arguments print the same figures.
Needs the real taxonomy export: by default `../shared/data/jobtech` beside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.evaluation.run import VARIANTS, format_results, run
from benchmarks.evaluation.synth import Settings, build_dataset

DEFAULT_TAXONOMY = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "jobtech"


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _share(value: str) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {number}")
    return number


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.evaluate", description=__doc__.split("\n")[0]
    )
    d = Settings()
    p.add_argument("--taxonomy", type=Path, default=DEFAULT_TAXONOMY, help="JobTech export folder")
    p.add_argument("--groups", type=_positive, default=d.groups, help="occupation groups used")
    p.add_argument("--offers-per-group", type=_positive, default=d.offers_per_group)
    p.add_argument("--participants", type=_positive, default=d.participants)
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--noise", type=_share, default=d.noise, help="misspelling rate per term")
    p.add_argument("--english", type=_share, default=d.english, help="English rate per known term")
    p.add_argument("--min-skills", type=_positive, default=d.min_skills)
    p.add_argument("--ablation", action="store_true", help="also try weight variants")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    return p


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
    project = Vocabulary.load_default()
    merged = project.merged_with(national)
    loaded = time.perf_counter() - started

    def english_of(term: str) -> str | None:
        match = project.resolve(term)
        if match is None or match.confidence < 1.0:
            return None
        return project.concept(match.concept_id).label_en or None

    settings = Settings(
        groups=args.groups,
        offers_per_group=args.offers_per_group,
        participants=args.participants,
        seed=args.seed,
        noise=args.noise,
        english=args.english,
        min_skills=args.min_skills,
    )
    try:
        dataset = build_dataset(national, settings, english_of)
    except ValueError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    results = run(
        dataset,
        [("project vocabulary", project), ("project + JobTech", merged)],
        ablation_vocabulary=merged if args.ablation else None,
        variants=VARIANTS,
    )
    print(
        f"{len(dataset.offers)} offers in {len({*dataset.offer_group.values()})} occupation "
        f"groups, {len(dataset.participants)} participants, seed {settings.seed}, "
        f"noise {settings.noise}, English {settings.english}; taxonomy loaded in {loaded:.1f} s"
    )
    print(format_results(results))
    if args.json:
        payload = {"settings": asdict(settings), "results": [asdict(r) for r in results]}
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
