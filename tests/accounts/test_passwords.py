"""The one rule for a new password: long enough, not the e-mail, not a common password."""

import pytest

from services import passwords
from services.validation import Invalid


@pytest.mark.parametrize(
    ("password", "email", "expected"),
    [
        ("kort1!", "", passwords.TOO_SHORT),
        ("x" * 201, "", passwords.TOO_LONG),
        ("anna.svensson@test.example", "Anna.Svensson@test.example", passwords.IS_EMAIL),
        ("anna.svensson1", "anna.svensson1@test.example", passwords.IS_EMAIL),
        ("1234567890", "", passwords.IS_COMMON),
        ("password123", "", passwords.IS_COMMON),
        ("Qwertyuiop", "", passwords.IS_COMMON),
        ("Lösenord123", "", passwords.IS_COMMON),
        ("Sommar2026!!", "", passwords.IS_COMMON),
        ("football2026", "", passwords.IS_COMMON),
        ("tre gröna cyklar i regn", "", None),
        ("Kx8!vQ2#mLp", "anna@test.example", None),
    ],
)
def test_which_passwords_may_be_chosen(password, email, expected):
    """Is each password refused for the right reason, and a good one accepted?"""
    assert passwords.problem(password, email=email) == expected


def test_check_raises_on_the_named_field():
    with pytest.raises(Invalid) as err:
        passwords.check("password12", field="new_password")
    assert err.value.errors == {"new_password": passwords.IS_COMMON}


def test_the_list_is_the_built_one():
    """Is the shipped list the public one (tens of thousands, lower case), not a stub?"""
    common = passwords.common_passwords()
    assert len(common) > 25000
    assert all(word == word.lower() for word in list(common)[:500])
    assert {"123456789", "iloveyou", "lösenord"} <= common
