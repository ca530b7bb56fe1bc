"""`python -m matcher allocate`: assign participants to offers from JSON Lines files.

    python -m matcher allocate --offers offers.jsonl --participants participants.jsonl \\
        --out assignments.jsonl [--mode stable|optimal] [--preferences prefs.json] \\
        [--taxonomy DIR] [--strict] [--top 20]

Writes one line per participant, in input order: `{"participant": "p1", "offer": "o7"}`, or
`"offer": null` for those left without one. Exit codes follow the file contract: 0 done, 2 a fatal
input problem (bad preferences, `--strict` and a bad line, bad options), 1 a file that cannot be
read or written, 3 done but some input lines were rejected (as `matcher.cli` for `rank`; the
shared helpers there read the inputs and the taxonomy).

Preferences (stable mode only; with `--mode optimal` they are refused, since the optimum is
defined by the scores): a pair must be in both lists to be acceptable; an infeasible pair named
in both lists is dropped with a warning on stderr, because the contract assigns feasible pairs
only. Unknown ids, repeated entries, duplicate keys or broken JSON stop the run with the place.
"""

from __future__ import annotations

import json
import sys
import time
from json.encoder import encode_basestring
from pathlib import Path

from matcher.allocate import AllocationError, Preferences, allocate


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
        "--top", type=int, default=20, help="feasible offers considered per participant (20)"
    )
    parser.set_defaults(func=run)


def _say(message: str) -> None:
    print(f"matcher: {message}", file=sys.stderr, flush=True)


def _reject_pairs_hook(pairs):
    """json object hook that refuses duplicate keys instead of keeping the last one silently."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def read_preferences(path: Path, participant_ids, offer_ids) -> Preferences:
    """Load and check prefs.json; CliError with the file and place on any problem."""
    from matcher.cli import EXIT_FATAL, CliError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CliError(f"{path}: cannot read: {err}") from err
    try:
        data = json.loads(text, object_pairs_hook=_reject_pairs_hook)
    except json.JSONDecodeError as err:
        raise CliError(
            f"{path}: line {err.lineno}, column {err.colno}: not valid JSON: {err.msg}",
            EXIT_FATAL,
        ) from err
    except ValueError as err:  # from the duplicate-key hook
        raise CliError(f"{path}: {err}", EXIT_FATAL) from err
    try:
        return Preferences.from_mapping(data, participant_ids, offer_ids, source=str(path))
    except AllocationError as err:
        raise CliError(str(err), EXIT_FATAL) from err


def _assignment_lines(participants, offer_for):
    """`{"participant": ..., "offer": ...}` per participant, byte for byte what `json.dumps(line,
    ensure_ascii=False)` writes (the same string encoder), without a dict and a dumps per line."""
    quoted = encode_basestring
    for participant in participants:
        offer = offer_for[participant.id]
        yield (
            f'{{"participant": {quoted(participant.id)}, '
            f'"offer": {"null" if offer is None else quoted(offer)}}}\n'
        )


def run(args) -> int:
    """The `allocate` command; returns the exit code (raises CliError for fatal problems)."""
    from matcher.cli import (
        EXIT_FATAL,
        EXIT_OK,
        EXIT_REJECTED,
        CliError,
        load_vocabulary,
        read_inputs,
    )
    from matcher.io import read_offers, read_participants
    from matcher.progress import Progress

    started = time.perf_counter()
    if args.preferences is not None and args.mode != "stable":
        raise CliError(
            "--preferences applies to --mode stable only (optimal maximises the scores)",
            EXIT_FATAL,
        )
    if args.top < 1:
        raise CliError(f"--top must be at least 1, got {args.top}", EXIT_FATAL)
    offers, bad_offers = read_inputs(read_offers, args.offers, args.strict)
    participants, bad_people = read_inputs(read_participants, args.participants, args.strict)
    _say(f"read {len(offers):,} offers, {len(participants):,} participants")
    preferences = None
    if args.preferences is not None:
        preferences = read_preferences(
            args.preferences, [p.id for p in participants], [o.id for o in offers]
        )
    # Explicit stable preferences need feasibility only, not scores: no text model to build.
    index = None
    if preferences is None:
        from matcher.index import OfferIndex  # scikit-learn and the vocabulary: scoring only

        index = OfferIndex(offers, vocabulary=load_vocabulary(args.taxonomy))
    progress = Progress(len(participants), "allocate")
    try:
        result = allocate(
            participants,
            offers,
            mode=args.mode,
            preferences=preferences,
            index=index,
            top=args.top,
            explain=False,
            progress=lambda done, _total: progress.advance(done - progress.done),
        )
    except AllocationError as err:
        raise CliError(str(err), EXIT_FATAL) from err
    finally:
        progress.close()
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    try:
        with args.out.open("w", encoding="utf-8") as out:
            out.write("".join(_assignment_lines(participants, result.offer_for())))
    except OSError as err:
        raise CliError(f"{args.out}: cannot write: {err}") from err
    rejected = bad_offers + bad_people
    _say(
        f"allocate ({args.mode}): {len(participants):,} participants x {len(offers):,} offers,"
        f" {len(result.assignments):,} assigned, {len(result.unassigned):,} unassigned,"
        + ("" if result.total_score is None else f" total score {result.total_score:.3f},")
        + f" {len(result.warnings)} infeasible pairs dropped,"
        f" {rejected} lines rejected, {time.perf_counter() - started:.1f} s"
    )
    return EXIT_REJECTED if rejected else EXIT_OK
