"""The fast path of the line parsers returns exactly what the full path returns, or nothing.

`matcher.io` checks the common, valid line with one plain function and falls back to the
field-by-field parser (which names every problem) for anything unusual. These tests generate
lines near every rule's edge and hold the two paths equal: a valid line gives the same object
both ways, a line the fast path accepts is never one the full path rejects.
"""

from __future__ import annotations

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from matcher import io
from matcher.geo import Gazetteer
from matcher.types import ACCESSIBILITY, LEADS_TO_EMPLOYMENT, PHYSICAL_DEMANDS, SWEDISH_LEVELS

GAZETTEER = Gazetteer.load_default()

odd = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
EDGES = [-1, -0.5, 0, 0.0, 0.5, 10, 20, 40.5, 90, 91, 168, 168.5, 180, 181, 10**9, 10**9 + 1]
number = st.one_of(
    st.sampled_from(EDGES),
    st.sampled_from(EDGES),
    st.integers(min_value=-200, max_value=2 * 10**9),
    st.floats(min_value=-200, max_value=2e9),
    st.just(10**400),
    st.just(math.inf),
)


words = st.lists(st.text(max_size=6), max_size=3)
location = st.one_of(
    st.fixed_dictionaries(
        {"lat": number, "lon": number},
        optional={"municipality": st.one_of(st.text(max_size=5), st.integers())},
    ),
    st.just({"municipality": "Kalmar"}),
    st.just({"lat": 56.6}),
    odd,
)
hours = st.fixed_dictionaries({"min": number, "max": number})
demands = st.lists(st.sampled_from(sorted(PHYSICAL_DEMANDS) + ["x"]), max_size=3)
access = st.lists(st.sampled_from(sorted(ACCESSIBILITY) + ["x"]), max_size=3)
common = {
    "location": location,
    "hours_per_week": hours,
    "swedish_level": st.sampled_from(SWEDISH_LEVELS),
}
# Each key's values near its rules' edges (plus odd values and null); a generated line is a
# valid line with a few keys changed or removed, so most lines are near-valid.
PARTICIPANT_KEYS = {
    "id": st.sampled_from(["p2", " ", ""]),
    **common,
    "skills": words,
    "interests": words,
    "max_commute_km": number,
    "driving_licence": st.booleans(),
    "cannot": demands,
    "needs": access,
    "support_level": st.integers(min_value=-1, max_value=5),
}
OFFER_KEYS = {
    "id": st.sampled_from(["o2", " "]),
    "title": st.sampled_from(["Lager", "", "  "]),
    **common,
    "description": st.text(max_size=4),
    "employer": st.text(max_size=4),
    "occupation": st.text(max_size=4),
    "skills_required": words,
    "skills_desired": words,
    "requires_driving_licence": st.booleans(),
    "physical_demands": demands,
    "accessibility": access,
    "capacity": st.integers(min_value=-2, max_value=2 * 10**9),
    "leads_to_employment": st.sampled_from(LEADS_TO_EMPLOYMENT),
}
VALID_PARTICIPANT = {
    "id": "p1",
    "location": {"lat": 56.66, "lon": 16.36},
    "skills": ["Truckkort"],
    "hours_per_week": {"min": 10, "max": 30},
    "max_commute_km": 25,
    "swedish_level": "good",
    "driving_licence": True,
    "cannot": ["heavy_lifting"],
    "needs": [],
    "support_level": 2,
}
VALID_OFFER = {
    "id": "o1",
    "title": "Lagerarbetare",
    "location": {"lat": 56.7, "lon": 16.3, "municipality": "Kalmar"},
    "hours_per_week": {"min": 20, "max": 40},
    "capacity": 2,
    "physical_demands": ["standing"],
}


def near_valid(valid: dict, keys: dict):
    @st.composite
    def build(draw):
        data = dict(valid)
        for key in draw(st.lists(st.sampled_from(sorted(keys)), max_size=3)):
            choice = draw(st.integers(min_value=0, max_value=3))
            if choice == 0:
                data.pop(key, None)
            elif choice == 1:
                data[key] = draw(odd)
            else:
                data[key] = draw(keys[key])
        return data

    return build()


participant = near_valid(VALID_PARTICIPANT, PARTICIPANT_KEYS)
offer = near_valid(VALID_OFFER, OFFER_KEYS)


def full_path(parse_fields, data):
    """The field-by-field parser alone (the fast path switched off)."""
    return parse_fields(data, GAZETTEER)


def edit(base: dict, **changes) -> dict:
    return {**base, **changes}


@settings(max_examples=600, deadline=None)
@given(participant)
@example(edit(VALID_PARTICIPANT, hours_per_week={"min": 30, "max": 10}))
@example(edit(VALID_PARTICIPANT, max_commute_km=10**9 + 1))
@example(edit(VALID_PARTICIPANT, support_level=4))
@example(edit(VALID_PARTICIPANT, support_level=True))
@example(edit(VALID_PARTICIPANT, id=" "))
@example(edit(VALID_PARTICIPANT, location={"lat": 91, "lon": 16}))
@example(edit(VALID_PARTICIPANT, cannot=["x"]))
@example(edit(VALID_PARTICIPANT, driving_licence=1))
def test_participant_fast_path_equals_the_full_path(data):
    fast = io._plain_participant(data)
    item, problems = io.parse_participant(data, GAZETTEER)
    if fast is not None:
        assert problems == [] and item == fast
    reference = _full_participant(data)
    assert (item is None) == (reference[0] is None)
    assert item == reference[0]
    assert [(p.key, p.message) for p in problems] == [(p.key, p.message) for p in reference[1]]


@settings(max_examples=600, deadline=None)
@given(offer)
@example(edit(VALID_OFFER, capacity=-1))
@example(edit(VALID_OFFER, capacity=10**9 + 1))
@example(edit(VALID_OFFER, title=" "))
@example(edit(VALID_OFFER, hours_per_week={"min": 40, "max": 168.5}))
@example(edit(VALID_OFFER, leads_to_employment="perhaps"))
def test_offer_fast_path_equals_the_full_path(data):
    fast = io._plain_offer(data)
    item, problems = io.parse_offer(data, GAZETTEER)
    if fast is not None:
        assert problems == [] and item == fast
    reference = _full_offer(data)
    assert item == reference[0]
    assert [(p.key, p.message) for p in problems] == [(p.key, p.message) for p in reference[1]]


def _without_fast_path(name, data):
    saved = getattr(io, name)
    setattr(io, name, lambda _data: None)
    try:
        parse = io.parse_participant if name == "_plain_participant" else io.parse_offer
        return parse(data, GAZETTEER)
    finally:
        setattr(io, name, saved)


def _full_participant(data):
    return _without_fast_path("_plain_participant", data)


def _full_offer(data):
    return _without_fast_path("_plain_offer", data)


def test_the_fast_path_takes_the_common_line():
    """Not a test of speed: that the plain line really goes the fast way (else it is dead code)."""
    line = {
        "id": "p1",
        "location": {"lat": 56.66, "lon": 16.36, "municipality": "Kalmar"},
        "skills": ["Truckkort"],
        "hours_per_week": {"min": 10, "max": 30},
        "cannot": ["heavy_lifting"],
        "support_level": 2,
    }
    fast = io._plain_participant(line)
    assert fast is not None and fast.location.label == "Kalmar"
    assert fast == _full_participant(line)[0]


def test_a_huge_integer_is_a_line_error_not_a_crash():
    """JSON integers have no size limit; one too large for a float was an OverflowError."""
    item, problems = io.parse_participant(
        {"id": "p1", "location": {"lat": 10**400, "lon": 16.0}}, GAZETTEER
    )
    assert item is None
    assert [p.key for p in problems] == ["location"]


def test_coordinates_need_no_gazetteer(tmp_path, monkeypatch):
    """A file with coordinates only never loads the place names (start-up time of the CLI)."""
    path = tmp_path / "participants.jsonl"
    path.write_text('{"id": "p1", "location": {"lat": 56.6, "lon": 16.3}}\n', encoding="utf-8")

    def boom():
        raise AssertionError("gazetteer loaded")

    monkeypatch.setattr(Gazetteer, "load_default", staticmethod(boom))
    people, errors = io.read_participants(path)
    assert [p.id for p in people] == ["p1"] and errors == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)
junk = st.sampled_from(["", " ", "\t", "\r", ",", "]", "}", "{", "[1", '"', "x", "\u2028", "1"])


@settings(max_examples=600, deadline=None)
@given(json_values, junk, junk, st.booleans())
@example(None, "", "", True)  # a line holding null: same value, through json.loads
@example({"id": "a"}, "", ', {"id": "b"}', True)  # two values on one line: not one object
def test_whole_line_reader_agrees_with_json_loads(value, before, after, newline):
    import json

    text = before + json.dumps(value, ensure_ascii=bool(len(before) % 2)) + after
    text += "\n" if newline else ""
    fast = io._whole_line_object(text)
    try:
        slow = json.loads(text)
    except (ValueError, RecursionError):
        assert fast is None  # a line json.loads refuses is never read by the fast path
        return
    assert fast is None or fast == slow
    if not before and not after:
        assert fast == slow  # the usual line is read by the fast path itself


def _same_arrays(a, b, fields) -> bool:
    """Every named array of `a` equals `b`'s, values and dtype."""
    import numpy as np

    return all(
        np.array_equal(getattr(a, f), getattr(b, f)) and getattr(a, f).dtype == getattr(b, f).dtype
        for f in fields
    )


def _same_columns(a, b) -> bool:
    return (
        a.ids == b.ids
        and _same_arrays(a, b, ("lat", "lon"))
        and _same_arrays(a.constraints, b.constraints, a.constraints.__slots__)
    )


def _same_offer_columns(a, b) -> bool:
    return a.ids == b.ids and _same_arrays(a.arrays, b.arrays, a.arrays.__slots__)


def _columns_agree_or_step_aside(path, read_columns, read_objects, columns_of, same) -> None:
    """The column reader returns exactly the columns of the objects the object reader builds,
    and only when that read names no problem; else None (the caller then reads the long way)."""
    columns = read_columns(path)
    objects, errors = read_objects(path)
    if columns is None:
        return
    assert errors == []
    assert same(columns, columns_of(objects))


def _write_lines(tmp_path_factory, rows, extra: str = "") -> str:
    import json

    path = tmp_path_factory.mktemp("cols") / "participants.jsonl"
    text = "".join(
        (row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n"
        for row in rows
    )
    path.write_text(text + extra, encoding="utf-8")
    return str(path)


def _maybe(strategy):
    return st.one_of(st.none(), strategy)


# Lines the fast check takes, with every optional key present, null or absent.
plain_number = st.one_of(st.integers(0, 400), st.floats(0, 400))
plain_participant = st.fixed_dictionaries(
    {"location": st.fixed_dictionaries({"lat": st.floats(-90, 90), "lon": st.integers(-180, 180)},
                                       optional={"municipality": st.text(max_size=3)})},
    optional={
        "skills": _maybe(words),
        "interests": _maybe(words),
        "max_commute_km": _maybe(plain_number),
        "hours_per_week": _maybe(st.tuples(plain_number, plain_number).map(
            lambda lh: {"min": min(lh) % 169, "max": max(lh) % 169} if max(lh) <= 168 else None)),
        "swedish_level": _maybe(st.sampled_from(SWEDISH_LEVELS)),
        "driving_licence": _maybe(st.booleans()),
        "cannot": _maybe(st.lists(st.sampled_from(sorted(PHYSICAL_DEMANDS)), max_size=3)),
        "needs": _maybe(st.lists(st.sampled_from(sorted(ACCESSIBILITY)), max_size=3)),
        "support_level": _maybe(st.integers(1, 3)),
    },
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(plain_participant, plain_participant, plain_participant, participant),
                max_size=8), st.data())  # fmt: skip
@example([VALID_PARTICIPANT, edit(VALID_PARTICIPANT, support_level=4)], None)
@example([VALID_PARTICIPANT, edit(VALID_PARTICIPANT, hours_per_week={"min": 9, "max": 8})], None)
@example([VALID_PARTICIPANT, edit(VALID_PARTICIPANT, needs=["x"])], None)
@example([VALID_PARTICIPANT, edit(VALID_PARTICIPANT, max_commute_km=-1)], None)
@example([VALID_PARTICIPANT, edit(VALID_PARTICIPANT, skills=[1])], None)
def test_column_reader_equals_objects_or_steps_aside(tmp_path_factory, rows, data):
    """Whole files of valid and near-valid lines (ids mostly distinct, so mostly a line's own
    problems decide) against `read_participants`."""
    from matcher.constraints import ParticipantColumns

    rows = [dict(row, id=f"p{n}") if data is None or data.draw(st.integers(0, 9)) else row
            for n, row in enumerate(rows)]  # fmt: skip
    _columns_agree_or_step_aside(
        _write_lines(tmp_path_factory, rows),
        io.read_participant_columns,
        io.read_participants,
        ParticipantColumns.of,
        _same_columns,
    )


def test_column_reader_takes_a_plain_file_and_refuses_doubtful_ones(tmp_path_factory):
    from matcher.constraints import ParticipantColumns

    plain = [
        edit(VALID_PARTICIPANT, id="p1"),
        edit(VALID_PARTICIPANT, id="p2", hours_per_week=None, max_commute_km=None, cannot=None),
        {"id": "p3", "location": {"lat": 59, "lon": 15}},
    ]
    path = _write_lines(tmp_path_factory, plain, extra="\n   \n")  # blank lines are skipped
    columns = io.read_participant_columns(path)
    assert columns is not None and columns.ids == ["p1", "p2", "p3"]
    assert _same_columns(columns, ParticipantColumns.of(io.read_participants(path)[0]))
    doubtful = [
        plain + [edit(VALID_PARTICIPANT, id="p1")],  # a repeated id
        plain + [{"id": "p4", "location": {"municipality": "Kalmar"}}],  # a place name
        plain + [edit(VALID_PARTICIPANT, id="p4", swedish_level="perfect")],
        plain + [edit(VALID_PARTICIPANT, id="p4", max_commute_km=10**400)],
        plain + [edit(VALID_PARTICIPANT, id="p4", support_level=True)],
        plain + ['{"id": "p4", "location": {"lat": 59, "lon": 15}}, {"id": "p5"}'],
        plain + [' {"id": "p4", "location": {"lat": 59, "lon": 15}}'],  # leading blank
        plain + ["[1, 2]"],
    ]
    for rows in doubtful:
        assert io.read_participant_columns(_write_lines(tmp_path_factory, rows)) is None, rows[-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(plain_participant, participant), max_size=6), st.data())
@example([VALID_PARTICIPANT, VALID_PARTICIPANT], None)  # a repeated id: named on its line
def test_whole_file_read_equals_the_line_by_line_read(tmp_path_factory, rows, data):
    """`read_participants` takes a file of plain lines in one pass; the result (items and
    named problems) is the one the line-by-line reader gives."""
    rows = [dict(row, id=f"p{n}") if data is not None and data.draw(st.integers(0, 4)) else row
            for n, row in enumerate(rows)]  # fmt: skip
    path = _write_lines(tmp_path_factory, rows)
    expected = ([], [])
    for item, problems in io.iter_jsonl(path, io.parse_participant):
        if problems:
            expected[1].extend(problems)
        else:
            expected[0].append(item)
    assert io.read_participants(path) == expected
    assert io._read_plain(path, io._plain_participant) in (None, expected[0])


def test_whole_file_read_takes_the_plain_file(tmp_path_factory):
    rows = [edit(VALID_PARTICIPANT, id=f"p{n}") for n in range(3)]
    path = _write_lines(tmp_path_factory, rows, extra="\n")
    plain = io._read_plain(path, io._plain_participant)
    assert plain is not None and [p.id for p in plain] == ["p0", "p1", "p2"]
    offers = _write_lines(tmp_path_factory, [VALID_OFFER, edit(VALID_OFFER, id="o2")])
    assert [o.id for o in io._read_plain(offers, io._plain_offer)] == ["o1", "o2"]


plain_offer = st.fixed_dictionaries(
    {"title": st.sampled_from(["Lager", "Kock"]),
     "location": st.fixed_dictionaries({"lat": st.integers(-90, 90), "lon": st.floats(-180, 180)},
                                       optional={"municipality": st.text(max_size=3)})},
    optional={
        "description": _maybe(st.text(max_size=3)),
        "employer": _maybe(st.text(max_size=3)),
        "occupation": _maybe(st.text(max_size=3)),
        "skills_required": _maybe(words),
        "skills_desired": _maybe(words),
        "hours_per_week": _maybe(st.just({"min": 0, "max": 168.0})),
        "swedish_level": _maybe(st.sampled_from(SWEDISH_LEVELS)),
        "requires_driving_licence": _maybe(st.booleans()),
        "physical_demands": _maybe(st.lists(st.sampled_from(sorted(PHYSICAL_DEMANDS)), max_size=3)),
        "accessibility": _maybe(st.lists(st.sampled_from(sorted(ACCESSIBILITY)), max_size=3)),
        "capacity": _maybe(st.integers(0, 10**9)),
        "leads_to_employment": _maybe(st.sampled_from(LEADS_TO_EMPLOYMENT)),
    },
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(plain_offer, plain_offer, plain_offer, offer), max_size=8), st.data())
@example([VALID_OFFER, edit(VALID_OFFER, id="o2", capacity=True)], None)
@example([VALID_OFFER, edit(VALID_OFFER, id="o2", title=" ")], None)
@example([VALID_OFFER, edit(VALID_OFFER, id="o2", leads_to_employment=["yes"])], None)
@example([VALID_OFFER, edit(VALID_OFFER, id="o2", employer=3)], None)
@example([VALID_OFFER, edit(VALID_OFFER, id="o2", accessibility=["x"])], None)
@example([VALID_OFFER, VALID_OFFER], None)  # a repeated id
def test_offer_column_reader_equals_objects_or_steps_aside(tmp_path_factory, rows, data):
    from matcher.constraints import OfferColumns

    # The examples keep their ids (one repeats an id on purpose).
    rows = [dict(row, id=f"o{n}") if data is not None and data.draw(st.integers(0, 9)) else row
            for n, row in enumerate(rows)]  # fmt: skip
    _columns_agree_or_step_aside(
        _write_lines(tmp_path_factory, rows),
        io.read_offer_columns,
        io.read_offers,
        OfferColumns.of,
        _same_offer_columns,
    )


def test_offer_column_reader_takes_a_plain_file(tmp_path_factory):
    from matcher.constraints import OfferColumns

    rows = [VALID_OFFER, edit(VALID_OFFER, id="o2", capacity=None, hours_per_week=None),
            {"id": "o3", "title": "Kock", "location": {"lat": 59, "lon": 15}}]  # fmt: skip
    path = _write_lines(tmp_path_factory, rows)
    columns = io.read_offer_columns(path)
    assert columns is not None and columns.ids == ["o1", "o2", "o3"]
    assert columns.arrays.capacity.tolist() == [2, 1, 1]
    assert _same_offer_columns(columns, OfferColumns.of(io.read_offers(path)[0]))
