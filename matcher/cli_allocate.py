"""`python -m matcher allocate`: assign participants to offers from JSON Lines files.

    python -m matcher allocate --offers offers.jsonl --participants participants.jsonl \\
        --out assignments.jsonl [--mode stable|optimal] [--preferences prefs.json] \\
        [--taxonomy DIR] [--strict] [--top 20]

Writes one line per participant, in input order: `{"participant": "p1", "offer": "o7"}`, or
`"offer": null` for those left without one. Exit codes follow the file contract: 0 done, 2 a fatal
problem (unreadable file, bad preferences, `--strict` and a bad line), 3 done but some input
lines were rejected.

Preferences (stable mode only; with `--mode optimal` they are refused, since the optimum is
defined by the scores): a pair must be in both lists to be acceptable; an infeasible pair named
in both lists is dropped with a warning on stderr, because the contract assigns feasible pairs
only. Unknown ids, repeated entries, duplicate keys or broken JSON stop the run with the place.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from matcher.allocate import AllocationError, Preferences, allocate

EXIT_OK, EXIT_FATAL, EXIT_REJECTED = 0, 2, 3


def add_parser(subparsers) -> None:
    """Register `allocate` on the `python -m matcher` sub-command parser."""
    parser = subparsers.add_parser(
        "allocate",
        help="assign each participant at most one offer within capacities",
        description="Assign participants to offers (optimal: max total score; stable: "
        "participant-proposing deferred acceptance).",
    )
    parser.add_argument("--offers", required=True, type=Path, help="offers.jsonl")
    parser.add_argument("--participants", required=True, type=Path, help="participants.jsonl")
    parser.add_argument("--out", required=True, type=Path, help="assignments.jsonl to write")
    parser.add_argument("--mode", choices=("optimal", "stable"), default="optimal")
    parser.add_argument(
        "--preferences", type=Path, help="prefs.json with ranked lists (stable mode only)"
    )
    parser.add_argument("--taxonomy", type=Path, help="folder of JobTech Taxonomy export files")
    parser.add_argument("--strict", action="store_true", help="first bad input line is fatal")
    parser.add_argument(
        "--top", type=int, default=20, help="feasible offers considered per participant"
    )
    parser.set_defaults(func=run)


def _say(message: str) -> None:
    print(f"allocate: {message}", file=sys.stderr, flush=True)


def _reject_pairs_hook(pairs):
    """json object hook that refuses duplicate keys instead of keeping the last one silently."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def read_preferences(path: Path, participant_ids, offer_ids) -> Preferences:
    """Load and check prefs.json; AllocationError with the file and place on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise AllocationError([f"{path}: cannot read: {err}"]) from err
    try:
        data = json.loads(text, object_pairs_hook=_reject_pairs_hook)
    except json.JSONDecodeError as err:
        raise AllocationError(
            [f"{path}: line {err.lineno}, column {err.colno}: not valid JSON: {err.msg}"]
        ) from err
    except ValueError as err:  # from the duplicate-key hook
        raise AllocationError([f"{path}: {err}"]) from err
    return Preferences.from_mapping(data, participant_ids, offer_ids, source=str(path))


def _read(reader, path: Path, strict: bool):
    """Items and rejected-line messages from one of `matcher.io`'s readers."""
    if not path.is_file():
        raise AllocationError([f"{path}: no such file"])
    items, errors = reader(path)
    messages = [str(e) for e in errors]
    if strict and messages:
        raise AllocationError(messages[:1])
    return list(items), messages


def _index(offers, taxonomy: Path | None):
    from matcher.index import OfferIndex

    if taxonomy is None:
        return OfferIndex(offers)
    from matcher.vocab import Vocabulary, load_jobtech

    try:
        vocabulary = Vocabulary.load_default().merged_with(load_jobtech(taxonomy))
    except (OSError, ValueError) as err:
        raise AllocationError([f"{taxonomy}: {err}"]) from err
    return OfferIndex(offers, vocabulary=vocabulary)


class _Progress:
    """Plain progress lines on stderr, at most one every few seconds."""

    def __init__(self, every_s: float = 5.0):
        self.every_s = every_s
        self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.every_s or done == total and total >= 1000:
            _say(f"scored {done:,}/{total:,} participants")
            self.last = now


def run(args) -> int:
    """The `allocate` command; returns the exit code."""
    from matcher.io import read_offers, read_participants

    started = time.perf_counter()
    if args.preferences is not None and args.mode != "stable":
        _say("--preferences applies to --mode stable only (optimal maximises the scores)")
        return EXIT_FATAL
    try:
        offers, bad_offers = _read(read_offers, args.offers, args.strict)
        participants, bad_people = _read(read_participants, args.participants, args.strict)
        for message in bad_offers + bad_people:
            print(message, file=sys.stderr)
        _say(f"read {len(offers):,} offers, {len(participants):,} participants")
        preferences = None
        if args.preferences is not None:
            preferences = read_preferences(
                args.preferences, [p.id for p in participants], [o.id for o in offers]
            )
        index = _index(offers, args.taxonomy)
        result = allocate(
            participants,
            offers,
            mode=args.mode,
            preferences=preferences,
            index=index,
            top=args.top,
            progress=_Progress(),
        )
    except AllocationError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return EXIT_FATAL
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    try:
        with args.out.open("w", encoding="utf-8") as out:
            for participant_id, offer_id in result.offer_for().items():
                line = {"participant": participant_id, "offer": offer_id}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    except OSError as err:
        _say(f"{args.out}: cannot write: {err}")
        return EXIT_FATAL
    rejected = len(bad_offers) + len(bad_people)
    _say(
        f"{args.mode}: {len(result.assignments):,} assigned, {len(result.unassigned):,}"
        f" unassigned, total score {result.total_score:.3f}, {rejected} lines rejected,"
        f" {len(result.warnings)} pairs dropped, {time.perf_counter() - started:.2f} s"
    )
    return EXIT_REJECTED if rejected else EXIT_OK


def main(argv=None) -> int:
    """Run `allocate` on its own: `python -m matcher.cli_allocate --offers ...`."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m matcher.cli_allocate")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["allocate", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
