"""Accounts and sessions: copied cookies after logout, idle and maximum age, CSRF at login,
and login throttles that nobody else can use to lock the owner out."""

from __future__ import annotations

import re

from models import Session
from tests.conftest import login
from tests.factories import TEST_PASSWORD, make_unit, make_user


def _coach():
    user = make_user("coach", unit_id=make_unit().id)
    Session.commit()
    return user


def _cookie(client) -> str:
    return client.get_cookie("session", domain="localhost").value


def test_a_copied_session_cookie_is_dead_after_logout(fresh, db):
    """Can someone who copied the session cookie keep using it after the owner logs out? No."""
    user = _coach()
    owner, thief = fresh.test_client(), fresh.test_client()
    login(owner, user.email)
    thief.set_cookie("session", _cookie(owner), domain="localhost")
    assert thief.get("/coach/").status_code == 200  # the copy works while the login lives
    assert owner.post("/logout").status_code == 302
    assert thief.get("/coach/").status_code == 302
    assert "/login" in thief.get("/coach/").headers["Location"]


def test_logging_in_again_after_logout_works(fresh, db):
    user = _coach()
    client = fresh.test_client()
    login(client, user.email)
    client.post("/logout")
    login(client, user.email)
    assert client.get("/coach/").status_code == 200


def test_an_idle_session_ends(fresh, db, time_machine):
    """Does a login live on without use? No: after SESSION_IDLE_MINUTES it is over."""
    time_machine.move_to("2026-12-01 08:00:00+00:00", tick=False)
    user = _coach()
    client = fresh.test_client()
    login(client, user.email)
    time_machine.move_to("2026-12-01 08:20:00+00:00", tick=False)
    assert client.get("/coach/").status_code == 200
    time_machine.move_to("2026-12-01 08:45:00+00:00", tick=False)  # 25 minutes since last use
    assert client.get("/coach/").status_code == 200
    time_machine.move_to("2026-12-01 09:16:00+00:00", tick=False)  # 31 minutes idle
    response = client.get("/coach/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_session_ends_at_its_maximum_age_even_when_used(fresh, db, time_machine):
    time_machine.move_to("2026-12-01 08:00:00+00:00", tick=False)
    user = _coach()
    client = fresh.test_client()
    login(client, user.email)
    hours = fresh.config["SESSION_MAX_HOURS"]
    minute = 0
    while minute < hours * 60 - 20:
        minute += 20
        time_machine.move_to("2026-12-01 08:00:00+00:00", tick=False)
        time_machine.shift(minute * 60)
        assert client.get("/coach/").status_code == 200, minute
    time_machine.shift(30 * 60)
    assert client.get("/coach/").status_code == 302


def test_the_csrf_token_changes_at_login(fresh, db):
    """Is the CSRF token from before the login still the one after it? No: it is rotated."""
    fresh.config["WTF_CSRF_ENABLED"] = True
    user = _coach()
    client = fresh.test_client()
    page = client.get("/login").get_data(as_text=True)
    before = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302
    page = client.get("/login?lang=sv").get_data(as_text=True)  # logged in: redirects home
    home = client.get("/coach/").get_data(as_text=True)
    after = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', home)
    assert after is not None
    assert after.group(1) != before
    # The old token no longer posts.
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400


def _post_login(client, email: str, password: str, ip: str):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )


def test_someone_else_s_failures_do_not_lock_the_owner_out(fresh, db):
    """Can anyone lock a known account with wrong passwords? Not for its owner elsewhere."""
    user = _coach()
    attacker, owner = fresh.test_client(), fresh.test_client()
    for _ in range(fresh.config["LOGIN_MAX_FAILURES"] + 3):
        _post_login(attacker, user.email, "wrong", "203.0.113.9")
    assert _post_login(attacker, user.email, TEST_PASSWORD, "203.0.113.9").status_code == 429
    assert _post_login(owner, user.email, TEST_PASSWORD, "198.51.100.7").status_code == 302


def test_one_address_trying_many_accounts_is_throttled(fresh, db):
    fresh.config["LOGIN_ADDRESS_MAX_FAILURES"] = 4
    user = _coach()
    client = fresh.test_client()
    for n in range(4):
        assert _post_login(client, f"guess{n}@test.example", "x", "203.0.113.10").status_code == 401
    assert _post_login(client, user.email, TEST_PASSWORD, "203.0.113.10").status_code == 429
    assert _post_login(client, user.email, TEST_PASSWORD, "203.0.113.11").status_code == 302


def test_many_addresses_against_one_account_are_throttled_and_the_owner_can_lift_it(fresh, db):
    from services import accounts
    from web.auth import login_limits

    fresh.config["LOGIN_ACCOUNT_MAX_FAILURES"] = 6
    user = _coach()
    client = fresh.test_client()
    for n in range(6):
        _post_login(client, user.email, "wrong", f"203.0.113.{20 + n}")
    assert _post_login(client, user.email, TEST_PASSWORD, "198.51.100.7").status_code == 429
    with fresh.test_request_context():
        accounts.unlock(user.email, limits=login_limits())
    assert _post_login(client, user.email, TEST_PASSWORD, "198.51.100.7").status_code == 302


def test_known_and_unknown_e_mails_get_the_same_answers_when_throttled(fresh, db):
    """Does the lock tell which e-mail addresses have accounts? No: same status, same page."""
    user = _coach()
    client = fresh.test_client()
    answers = {}
    for email in (user.email, "nobody@test.example"):
        for _ in range(fresh.config["LOGIN_MAX_FAILURES"]):
            assert _post_login(client, email, "wrong", "203.0.113.50").status_code == 401
        locked = _post_login(client, email, "wrong", "203.0.113.50")
        assert locked.status_code == 429
        answers[email] = locked.get_data(as_text=True).replace(email, "EMAIL")
    known, unknown = answers.values()
    assert re.sub(r'value="[^"]*"', "", known) == re.sub(r'value="[^"]*"', "", unknown)


def test_known_and_unknown_e_mails_take_about_the_same_time(fresh, db):
    """A locked account used to answer ten times faster: the throttled path hashes too."""
    import time

    user = _coach()
    client = fresh.test_client()
    for _ in range(fresh.config["LOGIN_MAX_FAILURES"]):
        _post_login(client, user.email, "wrong", "203.0.113.60")

    def timed(email: str, ip: str) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            _post_login(client, email, "wrong", ip)
            best = min(best, time.perf_counter() - start)
        return best

    locked = timed(user.email, "203.0.113.60")
    unknown = timed("nobody@test.example", "203.0.113.61")
    assert 0.4 < locked / unknown < 2.5
