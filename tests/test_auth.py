"""Login, logout, throttling, role gates and CSRF."""

import re

import pytest

from models import AuditEvent, Session
from tests.conftest import login
from tests.factories import TEST_PASSWORD, make_employer, make_unit, make_user

HOMES = {"admin": "/admin/", "coach": "/coach/", "employer": "/employer/", "participant": "/me/"}


@pytest.mark.parametrize("role", sorted(HOMES))
def test_each_role_lands_on_its_own_home(client, role):
    """Does each role land on its own home page after login?"""
    extra = {"unit_id": make_unit().id} if role in ("coach", "participant") else {}
    if role == "employer":
        extra = {"employer_id": make_employer().id}
    user = make_user(role=role, **extra)
    Session.commit()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(HOMES[role])


@pytest.mark.parametrize("role", sorted(HOMES))
def test_other_roles_pages_are_forbidden(client, role):
    """Can a signed-in user open another audience's pages? No: 403."""
    user = make_user(role=role, unit_id=make_unit().id)
    Session.commit()
    login(client, user.email)
    for other_role, home in HOMES.items():
        if other_role != role:
            assert client.get(home).status_code == 403, (role, home)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/coach/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get("/api/me").status_code == 401


def test_wrong_password_and_unknown_email_get_the_same_message(client):
    """Does a failed login say which part was wrong? It must not."""
    user = make_user(role="coach")
    Session.commit()
    wrong_pw = client.post("/login", data={"email": user.email, "password": "nope"})
    unknown = client.post("/login", data={"email": "nobody@test.example", "password": "nope"})
    assert wrong_pw.status_code == unknown.status_code == 401
    message = "Fel e-postadress eller lösenord."
    assert message in wrong_pw.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_repeated_failures_lock_the_account(app, client):
    user = make_user(role="coach")
    Session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"email": user.email, "password": "wrong"})
    # Now even the right password is refused for a while.
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert client.get("/coach/").status_code == 302  # still not logged in
    actions = [e.action for e in Session.query(AuditEvent).filter_by(subject_id=user.id)]
    assert actions.count("login.failed") == app.config["LOGIN_MAX_FAILURES"]
    assert "login.locked" in actions


def test_logout_ends_the_session(client):
    user = make_user(role="coach", unit_id=make_unit().id)
    Session.commit()
    login(client, user.email)
    assert client.get("/coach/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/coach/").status_code == 302


def test_next_parameter_cannot_redirect_off_site(client):
    user = make_user(role="coach", unit_id=make_unit().id)
    Session.commit()
    response = client.post(
        "/login?next=https://evil.example/x", data={"email": user.email, "password": TEST_PASSWORD}
    )
    assert response.headers["Location"].endswith("/coach/")


def test_post_without_csrf_token_is_refused(app, client):
    """A form post without its CSRF token gets 400, not a login."""
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user(role="coach")
    Session.commit()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert ok.status_code == 302


def test_oversized_login_input_is_a_4xx(client):
    response = client.post("/login", data={"email": "a" * 300 + "@x.se", "password": "p"})
    assert 400 <= response.status_code < 500


def test_session_cookie_is_httponly(client):
    user = make_user(role="coach", unit_id=make_unit().id)
    Session.commit()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
