"""`python -m matcher rank ...` (and `allocate`, registered from matcher.cli_allocate).

Exit codes: 0 all good; 3 the run finished but some input lines were rejected (each reported on
stderr with file, line, key and problem); 2 usage errors and, with --strict, the first bad line;
1 a file that cannot be read or written, or a taxonomy folder that cannot be loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from matcher import cli_allocate
from matcher.progress import Progress

EXIT_OK, EXIT_IO, EXIT_FATAL, EXIT_REJECTED = 0, 1, 2, 3


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_IO):
        super().__init__(message)
        self.code = code


def _say(message: str) -> None:
    print(f"matcher: {message}", file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m matcher",
        description="Rank and allocate placement offers from JSON Lines files "
        "(contract: docs/matching-files.md).",
        epilog=__doc__.split("\n\n", 1)[1],
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rank = subparsers.add_parser(
        "rank",
        help="write each participant's best feasible offers",
        description="Write, for each participant, its best feasible offers, best first.",
    )
    rank.add_argument("--offers", required=True, type=Path, help="offers.jsonl")
    rank.add_argument("--participants", required=True, type=Path, help="participants.jsonl")
    rank.add_argument("--top", type=_positive_int, default=10, help="offers per participant")
    rank.add_argument("--out", type=Path, help="suggestions.jsonl to write (default: stdout)")
    rank.add_argument(
        "--explain",
        action="store_true",
        help="also list up to --top excluded offers, nearest first",
    )
    rank.add_argument("--taxonomy", type=Path, help="folder of JobTech Taxonomy export files")
    rank.add_argument(
        "--default-max-km",
        type=_non_negative_km,
        metavar="KM",
        help="commuting limit for participants without max_commute_km (default: none, as in "
        "the file); offers beyond it are excluded with the reason code 'distance'",
    )
    rank.add_argument("--strict", action="store_true", help="the first bad input line is fatal")
    rank.add_argument("--lang", choices=("en", "sv"), default="en", help="language of reasons")
    rank.set_defaults(func=run_rank)
    cli_allocate.add_parser(subparsers)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_km(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of km, got {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text}")
    return value


def load_vocabulary(taxonomy: Path | None):
    from matcher.vocab import Vocabulary, load_jobtech

    if taxonomy is None:
        return Vocabulary.load_default()  # the project's own + the built-in JobTech taxonomy
    if not taxonomy.is_dir():
        raise CliError(f"--taxonomy {taxonomy}: no such folder")
    try:  # a newer export replaces the built-in one
        return Vocabulary.load_project().merged_with(load_jobtech(taxonomy))
    except (OSError, ValueError) as err:
        raise CliError(f"--taxonomy {taxonomy}: {err}") from err


def read_inputs(reader, path: Path, strict: bool):
    """Items of one input file; rejected lines are printed; strict stops at the first."""
    if not path.is_file():
        raise CliError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    try:
        items, errors = reader(path, stop_at_first_error=strict)
    except OSError as err:
        raise CliError(f"{path}: cannot read: {err}") from err
    for error in errors:
        print(error, file=sys.stderr)
    if strict and errors:
        raise CliError("stopped at the first bad line (--strict)", EXIT_FATAL)
    return items, len({(e.file, e.line) for e in errors})


def run_rank(args) -> int:
    from matcher.index import OfferIndex
    from matcher.io import exclusion_line, read_offers, read_participants, suggestion_line

    started = time.perf_counter()
    offers, bad_offers = read_inputs(read_offers, args.offers, args.strict)
    participants, bad_people = read_inputs(read_participants, args.participants, args.strict)
    _say(f"read {len(offers):,} offers, {len(participants):,} participants")
    vocabulary = load_vocabulary(args.taxonomy)
    built = time.perf_counter()
    index = OfferIndex(offers, vocabulary=vocabulary, default_max_km=args.default_max_km)
    _say(f"indexed {len(offers):,} offers in {time.perf_counter() - built:.1f} s")
    n_suggestions = n_excluded = 0
    progress = Progress(len(participants), "rank")
    try:
        out = sys.stdout if args.out is None else args.out.open("w", encoding="utf-8")
    except OSError as err:
        raise CliError(f"{args.out}: cannot write: {err}") from err
    try:
        ranked = index.rank_many(participants, args.top, on_progress=progress.advance)
        for participant, suggestions in zip(participants, ranked, strict=True):
            for s in suggestions:
                out.write(json.dumps(suggestion_line(s, args.lang), ensure_ascii=False) + "\n")
            n_suggestions += len(suggestions)
            if args.explain:
                for e in index.explain_exclusions(participant, args.top):
                    out.write(json.dumps(exclusion_line(e), ensure_ascii=False) + "\n")
                    n_excluded += 1
    except OSError as err:
        raise CliError(f"{args.out}: cannot write: {err}") from err
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
    rejected = bad_offers + bad_people
    _say(
        f"rank: {len(participants):,} participants x {len(offers):,} offers, "
        f"{n_suggestions:,} suggestions, {n_excluded:,} exclusions listed, "
        f"{rejected} lines rejected, {time.perf_counter() - started:.1f} s"
    )
    return EXIT_REJECTED if rejected else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse has printed its usage message
        return int(stop.code or 0)
    try:
        return int(args.func(args))
    except CliError as err:
        _say(str(err))
        return err.code
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
