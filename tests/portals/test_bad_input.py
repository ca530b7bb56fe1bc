"""Bad input never gives a server error: oversized bodies, malformed values, NUL bytes, HTML."""

from __future__ import annotations

import pytest

from models import Session
from tests.conftest import login
from tests.factories import make_employer, make_unit, make_user, make_workplace


@pytest.fixture
def coach_client(client, db):  # type: ignore[no-untyped-def]
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    Session.commit()
    login(client, coach.email)
    return client


def test_oversized_body_is_413(coach_client) -> None:
    """Is a body over MAX_CONTENT_LENGTH refused with 413 and a page, not a crash?"""
    big = "x" * (3 * 1024 * 1024)
    response = coach_client.post("/coach/participants/new", data={"first_name": big})
    assert response.status_code == 413
    assert "Det som skickades är för stort" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("enrolled_on", "2026-13-45"),
        ("enrolled_on", "igår"),
        ("birth_year", "1e999"),
        ("hours_min", "NaN"),
        ("hours_max", "Infinity"),
        ("max_commute_km", "-5"),
        ("support_level", "drop table"),
        ("gender", "robot"),
        ("first_name", "a" * 101),
        ("skills", ",".join(f"ord{i}" for i in range(200))),
        ("postal_code", "ABCDE"),
    ],
)
def test_malformed_values_are_field_errors(coach_client, field: str, value: str) -> None:
    """Does each malformed value give a 400 with its message next to the field?"""
    form = {
        "first_name": "Test",
        "last_name": "Person",
        "municipality": "Karlskoga",
        "enrolled_on": "2026-10-01",
        "support_level": "2",
        field: value,
    }
    response = coach_client.post("/coach/participants/new", data=form)
    assert response.status_code == 400, (field, value)
    assert f'id="{field}-error"' in response.get_data(as_text=True), (field, value)


def test_nul_bytes_are_refused_with_400(coach_client) -> None:
    """Is a NUL byte (which PostgreSQL cannot store) refused before it reaches the database?"""
    form = {
        "first_name": "Te\x00st",
        "last_name": "Person",
        "municipality": "Karlskoga",
        "enrolled_on": "2026-10-01",
        "support_level": "2",
    }
    assert coach_client.post("/coach/participants/new", data=form).status_code == 400
    assert coach_client.get("/coach/participants?q=a%00b").status_code == 400


def test_html_in_every_employer_text_is_escaped(client, db) -> None:
    """Is HTML typed into an offer shown as text on the employer's pages?"""
    from models import utcnow

    employer = make_employer(name="<b>Bolag</b>", verified_at=utcnow())
    workplace = make_workplace(employer, name="<img src=x onerror=alert(1)>")
    user = make_user("employer", employer_id=employer.id)
    Session.commit()
    login(client, user.email)
    evil = "<script>alert('x')</script>"
    response = client.post(
        "/employer/offers/new",
        data={
            "title": evil,
            "kind": "praktik",
            "workplace_id": str(workplace.id),
            "description": evil,
            "tasks": evil,
            "skills_required": evil,
            "capacity": "1",
            "swedish_level": "none",
        },
    )
    assert response.status_code == 302
    for path in ("/employer/", response.headers["Location"]):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Bolag" not in html
        assert "&lt;script&gt;" in html


def test_html_in_participant_names_is_escaped_everywhere_they_show(client, db) -> None:
    """Is a participant called <script> shown as text on the coach's and their own pages?"""
    from tests.factories import make_participant

    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    user = make_user("participant", unit_id=unit.id)
    evil = "<script>alert(1)</script>"
    p = make_participant(
        unit, coach, user_id=user.id, first_name=evil, last_name=evil, skills=[evil]
    )
    Session.commit()
    login(client, coach.email)
    for path in (
        "/coach/",
        "/coach/participants",
        f"/coach/participants/{p.id}",
        f"/coach/participants/{p.id}/edit",
        f"/coach/participants/{p.id}/suggestions",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html, path
    client.post("/logout")
    login(client, user.email)
    for path in ("/me/", "/me/my-data"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "&lt;script&gt;" in html, path
