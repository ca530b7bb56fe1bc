"""Reading offers.jsonl and participants.jsonl exactly as the file contract says.

One JSON object per line, blank lines ignored, unknown keys ignored. A line that breaks the
contract becomes a `LineError` (file, line number, key, problem) and is left out; the caller
decides whether to go on (exit 3 at the end) or stop (`--strict`). Nothing is guessed: a missing
required key is an error, never a default. An optional key given as JSON null counts as absent.
Municipality names are resolved offline; an unknown one is an error on that line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from matcher.geo import Gazetteer, UnknownPlace
from matcher.types import (
    ACCESSIBILITY,
    LEADS_TO_EMPLOYMENT,
    PHYSICAL_DEMANDS,
    SWEDISH_LEVELS,
    HoursRange,
    Location,
    Offer,
    Participant,
)

# The largest whole number a line may carry: larger ones (a capacity past 2**63) would overflow
# the engine's arrays; such a line is rejected with a message instead.
INTEGER_CEILING = 10**9


@dataclass(frozen=True, slots=True)
class LineError:
    file: str
    line: int
    key: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return (
            f"{where}: key '{self.key}': {self.message}" if self.key else f"{where}: {self.message}"
        )


class _Bad(Exception):
    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


class _Fields:
    """Typed access to one JSON object; every problem is collected, not just the first."""

    def __init__(self, data: dict):
        self.data = data
        self.problems: list[_Bad] = []

    def _get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None:
            if required:
                what = "is null" if key in self.data else "is missing (required)"
                self.problems.append(_Bad(key, what))
            return None
        return value

    def string(self, key: str, required: bool = False, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str):
            self.problems.append(_Bad(key, f"expected a string, got {_kind(value)}"))
            return default
        if required and not value.strip():
            self.problems.append(_Bad(key, "is empty"))
        return value

    def strings(self, key: str, allowed: frozenset[str] | None = None) -> tuple[str, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.append(_Bad(key, f"expected a list of strings, got {_kind(value)}"))
            return ()
        if allowed is not None:
            unknown = sorted({v for v in value if v not in allowed})
            if unknown:
                self.problems.append(
                    _Bad(key, f"unknown value(s) {', '.join(map(repr, unknown))}; allowed: "
                         f"{', '.join(sorted(allowed))}")
                )  # fmt: skip
                return ()
        return tuple(value)

    def boolean(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problems.append(_Bad(key, f"expected true or false, got {_kind(value)}"))
            return False
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None) -> str | None:
        value = self._get(key, False)
        if value is None:
            return default
        if value not in choices:
            self.problems.append(_Bad(key, f"expected one of {', '.join(choices)}, got {value!r}"))
            return default
        return value

    def number(self, key: str, minimum: float | None = None) -> float | None:
        value = self._get(key, False)
        if value is None:
            return None
        if not _is_number(value):
            self.problems.append(_Bad(key, f"expected a number, got {_kind(value)}"))
            return None
        if not math.isfinite(value) or abs(value) > INTEGER_CEILING:
            self.problems.append(_Bad(key, f"must be a finite number, got {value!r}"))
            return None
        if minimum is not None and value < minimum:
            self.problems.append(_Bad(key, f"must be >= {minimum:g}, got {value!r}"))
            return None
        return float(value)

    def integer(self, key: str, low: int, high: int | None, default: int | None) -> int | None:
        value = self._get(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.append(_Bad(key, f"expected an integer, got {_kind(value)}"))
            return default
        if high is None:
            high = INTEGER_CEILING
        if value < low or value > high:
            span = f"{low}..{high}" if high is not None else f">= {low}"
            self.problems.append(_Bad(key, f"must be {span}, got {value}"))
            return default
        return value

    def hours(self, key: str) -> HoursRange | None:
        value = self._get(key, False)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems.append(
                _Bad(key, f'expected {{"min": .., "max": ..}}, got {_kind(value)}')
            )
            return None
        lo, hi = value.get("min"), value.get("max")
        for name, v in (("min", lo), ("max", hi)):
            if v is None:
                self.problems.append(_Bad(key, f"'{name}' is missing"))
                return None
            if not _is_number(v) or not 0 <= v <= 168:
                self.problems.append(_Bad(key, f"'{name}' must be a number of hours 0..168"))
                return None
        if lo > hi:
            self.problems.append(_Bad(key, f"'min' ({lo:g}) is greater than 'max' ({hi:g})"))
            return None
        return HoursRange(float(lo), float(hi))

    def location(self, key: str, gazetteer: Gazetteer) -> Location | None:
        value = self._get(key, True)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems.append(_Bad(key, f"expected an object, got {_kind(value)}"))
            return None
        lat, lon, name = value.get("lat"), value.get("lon"), value.get("municipality")
        if lat is not None or lon is not None:
            if not (_is_number(lat) and _is_number(lon)):
                self.problems.append(_Bad(key, "'lat' and 'lon' must both be numbers"))
                return None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                self.problems.append(_Bad(key, f"coordinates out of range: {lat}, {lon}"))
                return None
            return Location(float(lat), float(lon), label=name if isinstance(name, str) else "")
        if name is None:
            self.problems.append(_Bad(key, 'needs {"lat": .., "lon": ..} or {"municipality": ..}'))
            return None
        if not isinstance(name, str):
            self.problems.append(_Bad(key, f"'municipality' must be a string, got {_kind(name)}"))
            return None
        try:
            return gazetteer.resolve(name)
        except UnknownPlace as err:
            self.problems.append(_Bad(key, str(err)))
            return None


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float (JSON allows any length)
        return False


# -- fast paths ------------------------------------------------------------------------------
# The common line is valid; checking it with one plain function is about twice as fast as
# collecting problems field by field. Each returns the same object `parse_*` would, or None for
# anything unusual (then `parse_*` runs and names every problem). Held equal by the tests.


def _plain_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or (kind is float and math.isfinite(value))


def _plain_strings(value: Any, allowed: frozenset[str] | None = None) -> tuple[str, ...]:
    if value is None:
        return ()
    if type(value) is not list:
        raise _NotPlain
    for item in value:
        if type(item) is not str:
            raise _NotPlain
    if allowed is not None and not allowed.issuperset(value):
        raise _NotPlain
    return tuple(value)


class _NotPlain(Exception):
    pass


def _plain_location(value: Any) -> Location:
    lat, lon = value["lat"], value["lon"]  # a municipality name takes the full path
    if not (_plain_number(lat) and _plain_number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise _NotPlain
    name = value.get("municipality")
    return Location(float(lat), float(lon), label=name if type(name) is str else "")


def _plain_hours(value: Any) -> HoursRange | None:
    if value is None:
        return None
    lo, hi = value["min"], value["max"]
    if not (_plain_number(lo) and _plain_number(hi) and 0 <= lo <= hi <= 168):
        raise _NotPlain
    return HoursRange(float(lo), float(hi))


def _plain_text(value: Any, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if type(value) is not str or (required and not value.strip()):
        raise _NotPlain
    return value


def _plain_flag(value: Any) -> bool:
    if value is None:
        return False
    if type(value) is not bool:
        raise _NotPlain
    return value


_isfinite = math.isfinite
_LEVELS = frozenset(SWEDISH_LEVELS)
_CHOICES_LEADS = frozenset(LEADS_TO_EMPLOYMENT)


def _plain_swedish(value: Any) -> str:
    if value is None:
        return "none"
    if type(value) is not str or value not in _LEVELS:
        raise _NotPlain
    return value


def _plain_participant(data: dict) -> Participant | None:
    # The checks of the helpers above, written out: this runs once per line of a large file.
    get = data.get
    try:
        pid = get("id")
        if type(pid) is not str or not pid.strip():
            return None
        where = data["location"]
        lat, lon = where["lat"], where["lon"]
        kind_lat, kind_lon = type(lat), type(lon)
        if not (
            (kind_lat is int or (kind_lat is float and _isfinite(lat)))
            and (kind_lon is int or (kind_lon is float and _isfinite(lon)))
            and -90 <= lat <= 90
            and -180 <= lon <= 180
        ):
            return None
        name = where.get("municipality")
        max_km = get("max_commute_km")
        if max_km is not None:
            kind = type(max_km)
            if not (
                (kind is int or (kind is float and _isfinite(max_km)))
                and 0 <= max_km <= INTEGER_CEILING
            ):
                return None
            max_km = float(max_km)
        level = get("support_level")
        if level is not None and (type(level) is not int or not 1 <= level <= 3):
            return None
        hours = _plain_hours(get("hours_per_week"))
        swedish = _plain_swedish(get("swedish_level"))
        licence = get("driving_licence")
        if licence is None:
            licence = False
        elif type(licence) is not bool:
            return None
        return Participant(
            pid,
            Location(float(lat), float(lon), name if type(name) is str else ""),
            _plain_strings(get("skills")),
            _plain_strings(get("interests")),
            max_km,
            hours,
            swedish,
            licence,
            frozenset(_plain_strings(get("cannot"), PHYSICAL_DEMANDS)),
            frozenset(_plain_strings(get("needs"), ACCESSIBILITY)),
            level,
        )
    except (_NotPlain, KeyError, TypeError):
        return None


def _plain_offer(data: dict) -> Offer | None:
    get = data.get
    try:
        capacity = get("capacity")
        if capacity is None:
            capacity = 1
        elif type(capacity) is not int or not 0 <= capacity <= INTEGER_CEILING:
            return None
        oid, title = get("id"), get("title")
        if type(oid) is not str or not oid.strip() or type(title) is not str or not title.strip():
            return None
        hours = _plain_hours(get("hours_per_week"))
        swedish = _plain_swedish(get("swedish_level"))
        leads = get("leads_to_employment")
        if leads is not None and (type(leads) is not str or leads not in _CHOICES_LEADS):
            return None
        return Offer(
            oid,
            title,
            _plain_location(data["location"]),
            _plain_text(get("description")),
            _plain_text(get("employer")),
            _plain_text(get("occupation")),
            _plain_strings(get("skills_required")),
            _plain_strings(get("skills_desired")),
            hours,
            swedish,
            _plain_flag(get("requires_driving_licence")),
            frozenset(_plain_strings(get("physical_demands"), PHYSICAL_DEMANDS)),
            frozenset(_plain_strings(get("accessibility"), ACCESSIBILITY)),
            capacity,
            leads,
        )
    except (_NotPlain, KeyError, TypeError):
        return None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if _is_number(value) else type(value).__name__
    )


def parse_offer(data: dict, gazetteer: Gazetteer) -> tuple[Offer | None, list[_Bad]]:
    plain = _plain_offer(data)
    if plain is not None:
        return plain, []
    f = _Fields(data)
    offer_id = f.string("id", required=True)
    title = f.string("title", required=True)
    location = f.location("location", gazetteer)
    values = dict(
        description=f.string("description"),
        employer=f.string("employer"),
        occupation=f.string("occupation"),
        skills_required=f.strings("skills_required"),
        skills_desired=f.strings("skills_desired"),
        hours_per_week=f.hours("hours_per_week"),
        swedish_level=f.choice("swedish_level", SWEDISH_LEVELS, "none"),
        requires_driving_licence=f.boolean("requires_driving_licence"),
        physical_demands=frozenset(f.strings("physical_demands", PHYSICAL_DEMANDS)),
        accessibility=frozenset(f.strings("accessibility", ACCESSIBILITY)),
        capacity=f.integer("capacity", 0, None, 1),
        leads_to_employment=f.choice("leads_to_employment", LEADS_TO_EMPLOYMENT, None),
    )
    if f.problems:
        return None, f.problems
    return Offer(id=offer_id, title=title, location=location, **values), []


def parse_participant(data: dict, gazetteer: Gazetteer) -> tuple[Participant | None, list[_Bad]]:
    plain = _plain_participant(data)
    if plain is not None:
        return plain, []
    f = _Fields(data)
    participant_id = f.string("id", required=True)
    location = f.location("location", gazetteer)
    values = dict(
        skills=f.strings("skills"),
        interests=f.strings("interests"),
        max_commute_km=f.number("max_commute_km", minimum=0),
        hours_per_week=f.hours("hours_per_week"),
        swedish_level=f.choice("swedish_level", SWEDISH_LEVELS, "none"),
        driving_licence=f.boolean("driving_licence"),
        cannot=frozenset(f.strings("cannot", PHYSICAL_DEMANDS)),
        needs=frozenset(f.strings("needs", ACCESSIBILITY)),
        support_level=f.integer("support_level", 1, 3, None),
    )
    if f.problems:
        return None, f.problems
    return Participant(id=participant_id, location=location, **values), []


def iter_jsonl(
    path: Path | str, parse: Callable[[dict, Gazetteer], tuple[Any, list[_Bad]]], gazetteer=None
) -> Iterator[tuple[Any, list[LineError]]]:
    """(item or None, errors) per non-blank line; ids must be unique within the file."""
    gazetteer = gazetteer or _LazyGazetteer()
    name = str(path)
    seen: dict[str, int] = {}
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")  # BOM from Excel
            except UnicodeDecodeError as err:
                yield None, [LineError(name, number, None, f"not valid UTF-8 ({err.reason})")]
                continue
            if not text.strip():
                continue
            try:
                data = _whole_line_object(text)
                if data is None:
                    data = json.loads(text)
            except json.JSONDecodeError as err:
                yield None, [LineError(name, number, None, f"not valid JSON: {err.msg}")]
                continue
            except RecursionError:
                yield None, [LineError(name, number, None, "not valid JSON: nested too deep")]
                continue
            if not isinstance(data, dict):
                yield (
                    None,
                    [LineError(name, number, None, f"expected a JSON object, got {_kind(data)}")],
                )
                continue
            item, problems = parse(data, gazetteer)
            if item is not None and item.id in seen:
                problems = [_Bad("id", f"{item.id!r} already used on line {seen[item.id]}")]
                item = None
            if item is not None:
                seen[item.id] = number
            yield item, [LineError(name, number, p.key, p.message) for p in problems]


_scan = json.JSONDecoder().scan_once  # the C scanner json.loads runs, with its defaults


def _whole_line_object(text: str) -> Any:
    """The JSON value of a line that is exactly one value followed by its newline (the usual
    line), read by the scanner `json.loads` uses but without its per-call set-up; None for any
    other line (leading or trailing blanks, a second value, broken JSON), which then goes
    through `json.loads` so that its messages are unchanged."""
    body = text[:-1] if text.endswith("\n") else text
    try:
        value, end = _scan(body, 0)
    except (StopIteration, ValueError, RecursionError):
        return None
    return value if end == len(body) else None


_PLAIN_CHECK = {parse_offer: _plain_offer, parse_participant: _plain_participant}


class _LazyGazetteer:
    """The shipped gazetteer, loaded on the first place name (coordinates need none)."""

    def resolve(self, name: str) -> Location:
        return Gazetteer.load_default().resolve(name)


def _read_all(path, parse, stop_at_first_error: bool, gazetteer):
    plain = _read_plain(path, _PLAIN_CHECK[parse])
    if plain is not None:
        return plain, []
    items, errors = [], []
    for item, problems in iter_jsonl(path, parse, gazetteer):
        if problems:
            errors.extend(problems)
            if stop_at_first_error:
                break
        else:
            items.append(item)
    return items, errors


def _plain_values(path) -> Iterator[dict]:
    """The JSON object of each line, read line by line with json's C scanner, for a file whose
    every non-blank line is exactly one object (no blanks around it); raises _NotPlain at the
    first other line, and OSError / UnicodeDecodeError as reading does (the callers then take
    the line-by-line way, which names the problem)."""
    with open(path, encoding="utf-8-sig", newline="\n") as lines:  # BOM from Excel dropped
        for line in lines:
            if line.endswith("\n"):
                line = line[:-1]
            try:
                value, end = _scan(line, 0)
            except (StopIteration, ValueError, RecursionError):
                if line.strip():
                    raise _NotPlain from None
                continue  # a blank line, skipped as iter_jsonl skips it
            if end != len(line) or type(value) is not dict:
                raise _NotPlain
            yield value


def _plain_rows(path) -> list[dict] | None:
    """All the objects of a plain file (see `_plain_values`), or None."""
    try:
        return list(_plain_values(path))
    except (_NotPlain, OSError, UnicodeDecodeError):
        return None


def _read_plain(path, check) -> list | None:
    """Every item of a file whose lines are all plain (taken by the fast line check, ids
    distinct); None at the first doubt, and `iter_jsonl` then names each problem. Each line's
    object is checked as it is read, so only the items are held."""
    items = []
    add = items.append
    try:
        for value in _plain_values(path):
            item = check(value)
            if item is None:
                return None
            add(item)
    except (_NotPlain, OSError, UnicodeDecodeError):
        return None
    if len({item.id for item in items}) != len(items):
        return None
    return items


def read_offers(
    path: Path | str, *, stop_at_first_error: bool = False, gazetteer: Gazetteer | None = None
) -> tuple[list[Offer], list[LineError]]:
    """Offers of a file and the errors of its rejected lines (OSError when it cannot be read)."""
    return _read_all(path, parse_offer, stop_at_first_error, gazetteer)


def read_participants(
    path: Path | str, *, stop_at_first_error: bool = False, gazetteer: Gazetteer | None = None
) -> tuple[list[Participant], list[LineError]]:
    return _read_all(path, parse_participant, stop_at_first_error, gazetteer)


# -- a caseload as columns --------------------------------------------------------------------
# For allocation with explicit lists, which needs ids, coordinates and the constraint fields and
# nothing else: every line is checked as `read_participants` checks it, but column by column in
# C-level passes instead of one object per person. All or nothing: at the first doubt (a line
# that is not one plain JSON object, a value the fast line check would not take, a repeated id)
# it returns None and the caller reads the file with `read_participants`, which names problems.
# Held equal to `ParticipantColumns.of(read_participants(...))` by property tests.

_NONE = type(None)
_NUMBER_KINDS = frozenset({int, float})


def read_participant_columns(path: Path | str):
    """`ParticipantColumns` of a participants file whose every line is plain, else None (also
    when it cannot be read: the caller's ordinary read then reports why)."""
    rows = _plain_rows(path)
    return None if rows is None else _participant_columns(rows)


def _column(rows: list[dict], key: str) -> list:
    return list(map(dict.get, rows, repeat(key)))


def _columns(rows: list[dict], keys: tuple[str, ...]) -> dict[str, list]:
    """key -> values (None where absent). One C-level pass when every row has every key (as
    most files write them), else one pass per key."""
    if not rows:
        return {key: [] for key in keys}
    try:
        return dict(
            zip(keys, map(list, zip(*map(itemgetter(*keys), rows), strict=True)), strict=True)
        )
    except KeyError:
        return {key: _column(rows, key) for key in keys}


_PARTICIPANT_KEYS = (
    "id", "location", "skills", "interests", "max_commute_km", "hours_per_week", "swedish_level",
    "driving_licence", "cannot", "needs", "support_level",
)  # fmt: skip


def _kinds(values) -> set:
    return set(map(type, values))


def _plain_floats(values: list, none_ok: bool):
    """Float array of plain numbers (finite ints and floats; no bools), NaN where None if
    `none_ok`, and the None mask; None for anything else."""
    kinds = _kinds(values)
    if not kinds <= (_NUMBER_KINDS | {_NONE} if none_ok else _NUMBER_KINDS):
        return None
    missing = None
    if _NONE in kinds:
        missing = np.fromiter(map(_NONE.__instancecheck__, values), bool, len(values))
        values = [math.nan if v is None else v for v in values]
    try:
        array = np.array(values, dtype=np.float64)
    except OverflowError:  # an integer too large for a float
        return None
    finite = np.isfinite(array) if missing is None else np.isfinite(array) | missing
    if not finite.all():
        return None
    return array, missing


def _string_lists(values: list, allowed: frozenset[str] | None = None) -> list | None:
    """Each value None or a list of strings (from `allowed` when given), as lists (None -> [])."""
    kinds = _kinds(values)
    if not kinds <= {list, _NONE}:
        return None
    if _NONE in kinds:
        values = [[] if v is None else v for v in values]
    items = chain.from_iterable(values)
    if allowed is None:
        return values if _kinds(items) <= {str} else None
    try:  # the allowed names are strings, so anything else is not among them
        return values if allowed.issuperset(items) else None
    except TypeError:  # an unhashable item
        return None


def _bit_column(lists: list, table: dict[str, int]) -> np.ndarray:
    lengths = np.fromiter(map(len, lists), np.int64, len(lists))
    flat = np.fromiter(
        map(table.__getitem__, chain.from_iterable(lists)), np.int64, int(lengths.sum())
    )
    out = np.zeros(len(lists), dtype=np.int64)
    if len(flat):
        np.bitwise_or.at(out, np.repeat(np.arange(len(lists)), lengths), flat)
    return out


def _id_column(ids: list) -> bool:
    """Every id a non-blank string, all distinct."""
    return not ids or (
        _kinds(ids) == {str} and all(map(str.strip, ids)) and len(set(ids)) == len(ids)
    )


def _coordinates(where: list):
    """(lat, lon) arrays of `{"lat": .., "lon": ..}` locations, None if any is not plain."""
    if where and _kinds(where) != {dict}:
        return None
    place = _columns(where, ("lat", "lon"))
    lat, lon = _plain_floats(place["lat"], False), _plain_floats(place["lon"], False)
    if lat is None or lon is None:
        return None
    lat, lon = lat[0], lon[0]
    if not (np.all(np.abs(lat) <= 90) and np.all(np.abs(lon) <= 180)):
        return None
    return lat, lon


def _hours_columns(hours: list):
    """(min, max) arrays, -inf/inf where absent, None if a range is not plain."""
    kinds = _kinds(hours)
    if not kinds <= {dict, _NONE}:
        return None
    n = len(hours)
    hours_min, hours_max = np.full(n, -np.inf), np.full(n, np.inf)
    if dict in kinds:
        given = [i for i, h in enumerate(hours) if h is not None]
        ranges = [hours[i] for i in given]
        low, high = (
            _plain_floats(_column(ranges, "min"), False),
            _plain_floats(_column(ranges, "max"), False),
        )
        if low is None or high is None:
            return None
        low, high = low[0], high[0]
        if not np.all((low >= 0) & (low <= high) & (high <= 168)):
            return None
        hours_min[given], hours_max[given] = low, high
    return hours_min, hours_max


def _swedish_column(levels: list, dtype):
    try:
        return np.fromiter(map(_SWEDISH_OR_NONE.__getitem__, levels), dtype, len(levels))
    except (KeyError, TypeError):
        return None


def _texts_ok(values: list) -> bool:
    return _kinds(values) <= {str, _NONE}


def _condition_columns(col: dict, licence: str, demands: str, access: str, swedish_dtype):
    """The columns participants and offers describe alike: hours (min, max), Swedish level,
    driving licence, physical demands and accessibility as bit sets, or None when one of
    them is not plain. The key names differ by side."""
    from matcher.constraints import ACCESS_BITS, DEMAND_BITS

    hours = _hours_columns(col["hours_per_week"])
    swedish = _swedish_column(col["swedish_level"], swedish_dtype)
    licences = col[licence]
    if hours is None or swedish is None or not _kinds(licences) <= {bool, _NONE}:
        return None
    demand_lists = _string_lists(col[demands], PHYSICAL_DEMANDS)
    access_lists = _string_lists(col[access], ACCESSIBILITY)
    if demand_lists is None or access_lists is None:
        return None
    return (
        hours,
        swedish,
        np.fromiter(map(bool, licences), bool, len(licences)),
        _bit_column(demand_lists, DEMAND_BITS),
        _bit_column(access_lists, ACCESS_BITS),
    )


def _participant_columns(rows: list[dict]):
    from matcher.constraints import ParticipantColumns, ParticipantConstraints

    col = _columns(rows, _PARTICIPANT_KEYS)
    ids = col["id"]
    place = _coordinates(col["location"])
    if not _id_column(ids) or place is None:
        return None
    # Checked only: allocation does not use skills and interests.
    if _string_lists(col["skills"]) is None or _string_lists(col["interests"]) is None:
        return None
    km = _plain_floats(col["max_commute_km"], True)
    if km is None:
        return None
    max_km, no_limit = km
    if no_limit is None:
        if not np.all((max_km >= 0) & (max_km <= INTEGER_CEILING)):
            return None
    else:
        if not np.all(no_limit | ((max_km >= 0) & (max_km <= INTEGER_CEILING))):
            return None
        max_km = np.where(no_limit, np.inf, max_km)
    conditions = _condition_columns(col, "driving_licence", "cannot", "needs", np.int64)
    if conditions is None:
        return None
    hours, swedish, licence, cannot, needs = conditions
    levels = col["support_level"]
    if not _kinds(levels) <= {int, _NONE} or not all(1 <= v <= 3 for v in levels if v is not None):
        return None
    constraints = ParticipantConstraints(
        max_km=max_km.astype(np.float64),
        hours_min=hours[0],
        hours_max=hours[1],
        swedish=swedish,
        licence=licence,
        cannot=cannot,
        needs=needs,
    )
    return ParticipantColumns(ids, place[0], place[1], constraints)


_OFFER_KEYS = (
    "id", "title", "location", "description", "employer", "occupation", "skills_required",
    "skills_desired", "hours_per_week", "swedish_level", "requires_driving_licence",
    "physical_demands", "accessibility", "capacity", "leads_to_employment",
)  # fmt: skip


def read_offer_columns(path: Path | str):
    """`OfferColumns` of an offers file whose every line is plain, else None (as
    `read_participant_columns`: the caller then reads it with `read_offers`)."""
    rows = _plain_rows(path)
    return None if rows is None else _offer_columns(rows)


def _offer_columns(rows: list[dict]):
    from matcher.constraints import OfferColumns, OfferConstraintArrays

    n = len(rows)
    col = _columns(rows, _OFFER_KEYS)
    ids, titles = col["id"], col["title"]
    if not _id_column(ids) or (n and _kinds(titles) != {str}) or not all(map(str.strip, titles)):
        return None
    place = _coordinates(col["location"])
    if place is None or not all(map(_texts_ok, (col[k] for k in _OFFER_TEXTS))):
        return None
    # Checked only: allocation does not use the skills.
    if (
        _string_lists(col["skills_required"]) is None
        or _string_lists(col["skills_desired"]) is None
    ):
        return None
    conditions = _condition_columns(
        col, "requires_driving_licence", "physical_demands", "accessibility", np.int8
    )
    if conditions is None:
        return None
    hours, swedish, licence, demands, access = conditions
    capacity = [1 if c is None else c for c in col["capacity"]]
    if not _kinds(capacity) <= {int} or not all(0 <= c <= INTEGER_CEILING for c in capacity):
        return None
    try:
        if not _LEADS_OR_NONE.issuperset(col["leads_to_employment"]):
            return None
    except TypeError:  # an unhashable value
        return None
    arrays = OfferConstraintArrays(
        lat=place[0],
        lon=place[1],
        hours_min=hours[0],
        hours_max=hours[1],
        swedish=swedish,
        licence=licence,
        demands=demands.astype(np.int32),
        access=access.astype(np.int32),
        capacity=np.array(capacity, dtype=np.int64),
    )
    return OfferColumns(ids, arrays)


_OFFER_TEXTS = ("description", "employer", "occupation")
_LEADS_OR_NONE = frozenset({None, *LEADS_TO_EMPLOYMENT})


_SWEDISH_OR_NONE = {None: 0, **{level: n for n, level in enumerate(SWEDISH_LEVELS)}}


# -- output lines ----------------------------------------------------------------------------


def suggestion_line(s, lang: str = "en") -> dict:
    """One `rank` output line: the contract's keys plus `gaps` and `distance_km`."""
    return {
        "participant": s.participant_id,
        "offer": s.offer_id,
        "rank": s.rank,
        "score": round(s.score, 4),
        "components": s.components,
        "reasons": [r.render(lang) for r in s.reasons],
        "gaps": [r.render(lang) for r in s.gaps],
        "distance_km": None if s.distance_km is None else round(s.distance_km, 1),
    }


def exclusion_line(e) -> dict:
    return {"participant": e.participant_id, "offer": e.offer_id, "excluded": list(e.codes)}
