"""Personnummer and organisationsnummer: Luhn check digit, date, masking."""

from datetime import date

import pytest

from models.identity import (
    InvalidNumber,
    mask_personnummer,
    normalise_org_number,
    normalise_personnummer,
    with_check_digit,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("811218-9876", "19811218-9876"),
        ("19811218-9876", "19811218-9876"),
        ("198112189876", "19811218-9876"),
        ("8112189876", "19811218-9876"),
        ("121212+1212", "19121212-1212"),  # '+' : 100 years or older
        ("20121212-1212", "20121212-1212"),
        ("701063-2391", "19701063-2391"),  # samordningsnummer: day + 60
    ],
)
def test_valid_personnummer_is_canonicalised(raw, canonical):
    assert normalise_personnummer(raw, today=TODAY) == canonical


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("811218-9875", "kontrollsiffra"),
        ("811318-9875", "datum"),
        ("abc", "formen"),
        ("", "formen"),
        ("20301218-9878", "framtiden"),
    ],
)
def test_invalid_personnummer_says_why(raw, message):
    with pytest.raises(InvalidNumber, match=message):
        normalise_personnummer(raw, today=TODAY)


def test_mask_shows_birth_date_only():
    assert mask_personnummer("19811218-9876") == "19811218-****"
    assert mask_personnummer(None) == ""


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("556036-0793", "556036-0793"),
        ("5560360793", "556036-0793"),
        ("16556036-0793", "556036-0793"),
    ],
)
def test_valid_org_number(raw, canonical):
    assert normalise_org_number(raw) == canonical


@pytest.mark.parametrize("raw", ["556036-0794", "55603-0793", "x"])
def test_invalid_org_number(raw):
    with pytest.raises(InvalidNumber):
        normalise_org_number(raw)


def test_with_check_digit_makes_valid_numbers():
    for nine in ("556036079", "550000001", "811218987"):
        ten = with_check_digit(nine)
        assert normalise_org_number(ten[:6] + "-" + ten[6:])
