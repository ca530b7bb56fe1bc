"""Reading the JSONL files exactly per the contract: every problem named by file, line and key."""

from __future__ import annotations

import json

import pytest

from matcher.io import (
    LineError,
    exclusion_line,
    read_offers,
    read_participants,
    suggestion_line,
)
from matcher.reasons import Reason
from matcher.types import Exclusion, HoursRange, Suggestion

GOOD_OFFER = {
    "id": "o1",
    "title": "Lagerarbetare",
    "location": {"municipality": "Karlskoga"},
    "skills_required": ["truckkort"],
    "hours_per_week": {"min": 10, "max": 40},
    "swedish_level": "basic",
    "requires_driving_licence": True,
    "physical_demands": ["standing"],
    "accessibility": ["step_free"],
    "capacity": 2,
    "leads_to_employment": "maybe",
    "some_future_key": {"ignored": True},
}


def write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n",
        encoding="utf-8",
    )
    return path


def test_a_full_offer_is_read_with_every_field(tmp_path):
    offers, errors = read_offers(write(tmp_path, "offers.jsonl", [GOOD_OFFER]))
    assert errors == []
    [o] = offers
    assert (o.id, o.title, o.capacity, o.swedish_level) == ("o1", "Lagerarbetare", 2, "basic")
    assert o.hours_per_week == HoursRange(10, 40)
    assert o.requires_driving_licence and o.physical_demands == {"standing"}
    assert o.accessibility == {"step_free"} and o.leads_to_employment == "maybe"
    assert abs(o.location.lat - 59.33) < 0.05 and o.location.label == "Karlskoga"


def test_defaults_are_the_contracts(tmp_path):
    minimal = {"id": "o", "title": "T", "location": {"lat": 59.3, "lon": 18.0}}
    [o], errors = read_offers(write(tmp_path, "o.jsonl", [minimal]))
    assert errors == []
    assert (o.capacity, o.swedish_level, o.requires_driving_licence) == (1, "none", False)
    assert o.hours_per_week is None and o.leads_to_employment is None
    person = {"id": "p", "location": {"municipality": "Upplands Väsby kommun"}, "skills": None}
    [p], errors = read_participants(write(tmp_path, "p.jsonl", [person]))
    assert errors == []
    assert p.max_commute_km is None and p.support_level is None and p.skills == ()


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"id": None}, "id", "is null"),
        ({"title": "  "}, "title", "is empty"),
        ({"title": 3}, "title", "expected a string, got a number"),
        ({"location": {"municipality": "Atlantis"}}, "location", "unknown Swedish municipality"),
        ({"location": {"lat": 59.3}}, "location", "'lat' and 'lon' must both be numbers"),
        ({"location": {"lat": 95, "lon": 10}}, "location", "out of range"),
        ({"location": {}}, "location", "needs"),
        ({"location": "Karlskoga"}, "location", "expected an object, got a string"),
        ({"skills_required": "truckkort"}, "skills_required", "expected a list of strings"),
        ({"skills_desired": [1]}, "skills_desired", "expected a list of strings"),
        ({"hours_per_week": {"min": 40, "max": 10}}, "hours_per_week", "greater than 'max'"),
        ({"hours_per_week": {"min": 10}}, "hours_per_week", "'max' is missing"),
        ({"hours_per_week": {"min": -1, "max": 10}}, "hours_per_week", "0..168"),
        ({"swedish_level": "perfect"}, "swedish_level", "expected one of none, basic"),
        ({"requires_driving_licence": "yes"}, "requires_driving_licence", "true or false"),
        ({"physical_demands": ["flying"]}, "physical_demands", "unknown value(s) 'flying'"),
        ({"accessibility": ["elevator"]}, "accessibility", "unknown value(s) 'elevator'"),
        ({"capacity": -1}, "capacity", "must be 0..1000000000, got -1"),
        ({"capacity": 1.5}, "capacity", "expected an integer"),
        ({"capacity": True}, "capacity", "expected an integer"),
        ({"leads_to_employment": "sure"}, "leads_to_employment", "expected one of yes"),
    ],
)
def test_each_bad_offer_value_is_named(tmp_path, change, key, message):
    """Does a bad value give file, line, key and what is wrong, and drop only that line?"""
    bad = {**GOOD_OFFER, "id": "bad", **change}
    path = write(tmp_path, "offers.jsonl", [GOOD_OFFER, bad])
    offers, errors = read_offers(path)
    assert [o.id for o in offers] == ["o1"]
    assert len(errors) == 1
    e = errors[0]
    assert (e.file, e.line, e.key) == (str(path), 2, key)
    assert message in e.message
    assert str(e).startswith(f"{path}:2: key '{key}': ")


def test_missing_required_keys_are_errors_not_defaults(tmp_path):
    path = write(tmp_path, "offers.jsonl", [{"description": "no id, title or location"}])
    offers, errors = read_offers(path)
    assert offers == []
    assert [(e.key, e.message) for e in errors] == [
        ("id", "is missing (required)"),
        ("title", "is missing (required)"),
        ("location", "is missing (required)"),
    ]
    assert all(e.line == 1 for e in errors)


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"max_commute_km": -5}, "max_commute_km", "must be >= 0"),
        ({"max_commute_km": "far"}, "max_commute_km", "expected a number"),
        ({"support_level": 0}, "support_level", "must be 1..3"),
        ({"support_level": 4}, "support_level", "must be 1..3"),
        ({"driving_licence": 1}, "driving_licence", "true or false"),
        ({"cannot": ["sleeping"]}, "cannot", "unknown value(s) 'sleeping'"),
        ({"needs": ["lift"]}, "needs", "unknown value(s) 'lift'"),
        ({"interests": [None]}, "interests", "expected a list of strings"),
        ({"location": None}, "location", "is null"),
    ],
)
def test_each_bad_participant_value_is_named(tmp_path, change, key, message):
    good = {"id": "p1", "location": {"municipality": "Örebro"}, "max_commute_km": 30}
    path = write(tmp_path, "participants.jsonl", [good, {**good, "id": "p2", **change}])
    people, errors = read_participants(path)
    assert [p.id for p in people] == ["p1"]
    [e] = errors
    assert (e.line, e.key) == (2, key) and message in e.message


def test_line_level_problems(tmp_path):
    path = tmp_path / "offers.jsonl"
    good = json.dumps(GOOD_OFFER).encode()
    path.write_bytes(good + b"\n\n   \n{not json\n[1, 2]\n" + b'{"id": "\xff"}\n' + good + b"\n")
    offers, errors = read_offers(path)
    assert [o.id for o in offers] == ["o1"]
    assert [(e.line, e.key) for e in errors] == [(4, None), (5, None), (6, None), (7, "id")]
    assert "not valid JSON" in errors[0].message
    assert "expected a JSON object, got a list" in errors[1].message
    assert "not valid UTF-8" in errors[2].message
    assert "'o1' already used on line 1" in errors[3].message
    assert (
        str(errors[0])
        == f"{path}:4: not valid JSON: Expecting property name enclosed in double quotes"
    )


def test_a_byte_order_mark_is_not_an_error(tmp_path):
    path = tmp_path / "offers.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD_OFFER).encode() + b"\n")
    offers, errors = read_offers(path)
    assert errors == [] and [o.id for o in offers] == ["o1"]


def test_strict_reading_stops_at_the_first_bad_line(tmp_path):
    path = write(tmp_path, "o.jsonl", ["nope", GOOD_OFFER, "nope"])
    offers, errors = read_offers(path, stop_at_first_error=True)
    assert offers == [] and [e.line for e in errors] == [1]


def test_output_lines_follow_the_contract():
    s = Suggestion(
        "p1", "o7", 1, 0.83123, {"skills": 0.9}, (Reason("near", {"km": 4.2}),),
        (Reason("missing_required", {"skill": "B-körkort"}),), 11.24,
    )  # fmt: skip
    line = suggestion_line(s)
    assert list(line)[:6] == ["participant", "offer", "rank", "score", "components", "reasons"]
    assert line["reasons"] == ["close to home: 4,2 km"] and line["score"] == 0.8312
    assert suggestion_line(s, "sv")["gaps"] == ["saknar: B-körkort (krav)"]
    assert exclusion_line(Exclusion("p1", "o2", ("distance", "hours"))) == {
        "participant": "p1",
        "offer": "o2",
        "excluded": ["distance", "hours"],
    }


def test_line_error_text_without_a_key():
    assert str(LineError("f.jsonl", 3, None, "broken")) == "f.jsonl:3: broken"
