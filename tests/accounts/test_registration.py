"""Employer registration tells nobody whether an e-mail address already has an account; a new
login goes live only from the link sent to the address."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from models import Employer, Session, User
from models.identity import with_check_digit
from tests.accounts.conftest import outbox_to
from tests.conftest import login
from tests.factories import TEST_PASSWORD, make_user


def _form(email: str, org: str, **over: str) -> dict[str, object]:
    number = with_check_digit(org)
    return {
        "org_name": f"Bolag {org} AB",
        "org_number": f"{number[:6]}-{number[6:]}",
        "contact_name": "Kim Kontakt",
        "contact_email": email,
        "password": "tre gröna cyklar i regn",
        "password_again": "tre gröna cyklar i regn",
        "name": "Verkstaden",
        "municipality": "Karlskoga",
    } | over


def _confirm_link(body: str) -> str:
    found = re.findall(r"https?://[^/\s]+(/employer/register/confirm/\S+)", body)
    assert len(found) == 1, body
    return found[0]


def test_a_known_and_a_new_address_get_the_same_answer(fresh, db):
    """Does the registration form tell that an address already has an account? No: the same
    answer, and the account's owner is told by e-mail instead."""
    owner = make_user("coach", email="upptagen@test.example")
    Session.commit()
    client = fresh.test_client()
    known = client.post("/employer/register", data=_form("Upptagen@test.example", "556000001"))
    new = client.post("/employer/register", data=_form("ny@test.example", "556000002"))
    assert known.status_code == new.status_code == 302
    assert known.headers["Location"] == new.headers["Location"]
    assert client.get(known.headers["Location"]).status_code == 200
    (warning,) = outbox_to(owner.email)
    assert "försökte registrera" in warning.subject and "/password/forgot" in warning.body
    # Nothing was created for the known address, and its owner's password is unchanged.
    assert (
        Session.scalar(select(func.count(Employer.id)).where(Employer.name == "Bolag 556000001 AB"))
        == 0
    )
    login(client, owner.email, TEST_PASSWORD)


def test_a_new_login_goes_live_only_from_the_link_once(fresh, db):
    """Can someone register with another person's address and log in? No: the login stays
    closed until the link sent to the address is used, and the link works once."""
    client = fresh.test_client()
    client.post("/employer/register", data=_form("kim@test.example", "556000003"))
    user = Session.scalar(select(User).where(User.email == "kim@test.example"))
    assert user is not None and not user.active
    refused = client.post(
        "/login", data={"email": user.email, "password": "tre gröna cyklar i regn"}
    )
    assert refused.status_code == 401
    link = _confirm_link(outbox_to(user.email)[0].body)
    assert client.get(link).status_code == 200
    done = client.post(link)
    assert done.status_code == 302 and done.headers["Location"].endswith("/employer/")
    assert client.get("/employer/").status_code == 200
    client.post("/logout")
    assert client.get(link).status_code == 400
    assert client.post(link).status_code == 400
    login(client, user.email, "tre gröna cyklar i regn")


def test_a_deactivated_account_is_not_revived_by_its_old_link(fresh, db):
    client = fresh.test_client()
    client.post("/employer/register", data=_form("lo@test.example", "556000004"))
    link = _confirm_link(outbox_to("lo@test.example")[0].body)
    client.post(link)
    user = Session.scalar(select(User).where(User.email == "lo@test.example"))
    user.active = False
    Session.commit()
    assert client.get(link).status_code == 400


def test_registration_refuses_a_common_password(fresh, db):
    response = fresh.test_client().post(
        "/employer/register",
        data=_form(
            "p@test.example", "556000005", password="password123", password_again="password123"
        ),
    )
    assert response.status_code == 400
    assert "för vanligt" in response.get_data(as_text=True)
