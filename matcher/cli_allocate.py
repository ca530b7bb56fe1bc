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

import gc
import json
import sys
import time
from contextlib import contextmanager, nullcontext
from json.encoder import encode_basestring
from pathlib import Path

from matcher.allocate import AllocationError, Preferences, allocate, allocate_listed


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


def _assignment_lines(p_ids, offer_for):
    """`{"participant": ..., "offer": ...}` per participant, byte for byte what `json.dumps(line,
    ensure_ascii=False)` writes (the same string encoder), without a dict and a dumps per line."""
    quoted = encode_basestring
    for pid in p_ids:
        offer = offer_for[pid]
        yield (
            f'{{"participant": {quoted(pid)}, '
            f'"offer": {"null" if offer is None else quoted(offer)}}}\n'
        )


def _allocate_objects(args, participants, offers, progress):
    """`allocate` by scores: each participant's best feasible offers from the text model."""
    from matcher.cli import load_vocabulary
    from matcher.index import OfferIndex  # scikit-learn and the vocabulary: scoring only

    return allocate(
        participants,
        offers,
        mode=args.mode,
        index=OfferIndex(offers, vocabulary=load_vocabulary(args.taxonomy)),
        top=args.top,
        explain=False,
        progress=lambda done, _total: progress.advance(done - progress.done),
    )


def run(args) -> int:
    """The `allocate` command; returns the exit code (raises CliError for fatal problems)."""
    started = time.perf_counter()
    # Explicit lists: reading is most of the run (scoring, the other path, builds a text model
    # and keeps the collector).
    with _without_cycle_collection() if args.preferences is not None else nullcontext():
        return _run(args, started)


@contextmanager
def _without_cycle_collection():
    """Reading builds a few hundred thousand objects and no reference cycles; the cyclic
    collector would walk the growing heap again and again for nothing (about 20 ms of a
    0.3 s run at 5,000 x 1,000). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run(args, started: float) -> int:
    from matcher.cli import EXIT_FATAL, EXIT_OK, EXIT_REJECTED, CliError, read_inputs
    from matcher.constraints import ParticipantColumns
    from matcher.io import (
        read_offer_columns,
        read_offers,
        read_participant_columns,
        read_participants,
    )
    from matcher.progress import Progress

    if args.preferences is not None and args.mode != "stable":
        raise CliError(
            "--preferences applies to --mode stable only (optimal maximises the scores)",
            EXIT_FATAL,
        )
    if args.top < 1:
        raise CliError(f"--top must be at least 1, got {args.top}", EXIT_FATAL)
    # Explicit lists need ids, places and constraints only: read those as columns when every
    # line of a file is plain (else the ordinary read names each problem).
    offer_columns = columns = None
    if args.preferences is not None and args.offers.is_file():
        offer_columns = read_offer_columns(args.offers)
    if offer_columns is not None:
        offers, bad_offers, o_ids = offer_columns, 0, offer_columns.ids
    else:
        offers, bad_offers = read_inputs(read_offers, args.offers, args.strict)
        o_ids = [o.id for o in offers]
    if args.preferences is not None and args.participants.is_file():
        columns = read_participant_columns(args.participants)
    if columns is not None:
        p_ids, bad_people, participants = columns.ids, 0, None
    else:
        participants, bad_people = read_inputs(read_participants, args.participants, args.strict)
        p_ids = [p.id for p in participants]
    _say(f"read {len(offers):,} offers, {len(p_ids):,} participants")
    preferences = None
    if args.preferences is not None:
        preferences = read_preferences(args.preferences, p_ids, o_ids)
    progress = Progress(len(p_ids), "allocate")
    try:
        if preferences is not None:  # ids only: feasibility of the listed pairs decides
            people = columns if columns is not None else ParticipantColumns.of(participants)
            result = allocate_listed(people, offers, preferences)
            progress.advance(len(p_ids))
        else:
            result = _allocate_objects(args, participants, offers, progress)
    except AllocationError as err:
        raise CliError(str(err), EXIT_FATAL) from err
    finally:
        progress.close()
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    try:
        with args.out.open("w", encoding="utf-8") as out:
            out.write("".join(_assignment_lines(p_ids, result.offer_for())))
    except OSError as err:
        raise CliError(f"{args.out}: cannot write: {err}") from err
    rejected = bad_offers + bad_people
    _say(
        f"allocate ({args.mode}): {len(p_ids):,} participants x {len(offers):,} offers,"
        f" {len(result.assignments):,} assigned, {len(result.unassigned):,} unassigned,"
        + ("" if result.total_score is None else f" total score {result.total_score:.3f},")
        + f" {len(result.warnings)} infeasible pairs dropped,"
        f" {rejected} lines rejected, {time.perf_counter() - started:.1f} s"
    )
    return EXIT_REJECTED if rejected else EXIT_OK
