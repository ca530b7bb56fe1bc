"""Access rules over every route of the app (swept from `app.url_map`), and CSRF on every POST.

A world with two of everything (units, coaches, participants, employers, offers, matches): for
each route, the other side's ids must give 403 or 404, a wrong role 403, no login a redirect to
the login page (401 for the API), and a POST without a CSRF token 400.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest

from models import Activity, CorrectionRequest, FollowAlongSupport, Match, Notification, Session
from tests.conftest import login
from tests.factories import (
    make_employer,
    make_offer,
    make_participant,
    make_unit,
    make_user,
    make_workplace,
)

PUBLIC = {
    "public.index",
    "public.accessibility",
    "public.language",
    "public.healthz",
    "auth.login",
    "auth.logout",
    "auth.forgot_password",
    "auth.reset_password",
    "signup.register",
    "supervisor.assess",  # the signed one-time link is the permission (tests/workflow/test_supervisor_assessment.py)
    "signup.sent",
    "signup.confirm",
    "static",
    "api-docs.openapi_json",  # the integration API's document and its docs page (issue 15)
    "api_docs_page.page",
}
# Which roles each URL prefix admits (the blueprints' gates).
GATES = {
    "/coach/": {"coach"},
    "/employer/": {"employer"},
    "/me/": {"participant"},
    "/admin/": {"admin"},
    "/reports/": {"coach", "admin"},
    "/notifications/": {"admin", "coach", "employer", "participant"},
    "/api/": {"admin", "coach", "employer", "participant"},
    "/account/": {"admin", "coach", "employer", "participant"},
}
ROLES = ("admin", "coach", "employer", "participant")
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass
class Side:
    users: dict[str, object]
    ids: dict[str, int]


def _side(suffix: str) -> Side:
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    # The side's own employer (its home unit): the other side shares none of its offers.
    employer = make_employer(home_unit_id=unit.id)
    employer_user = make_user("employer", employer_id=employer.id)
    workplace = make_workplace(employer)
    offer = make_offer(workplace)
    participant_user = make_user("participant", unit_id=unit.id)
    participant = make_participant(unit, coach, user_id=participant_user.id)
    match = Match(participant_id=participant.id, offer_id=offer.id, status="proposed", score=0.5)
    correction = CorrectionRequest(participant_id=participant.id, message=f"fel {suffix}")
    activity = Activity(
        participant_id=participant.id, kind="other", title="Aktivitet", start_on=date(2026, 10, 1)
    )
    Session.add_all([match, correction, activity])
    Session.flush()
    support = FollowAlongSupport(
        participant_id=participant.id, kinds=["on_the_job"], start_on=date(2026, 10, 1)
    )
    Session.add(support)
    Session.flush()
    notes = {}
    for role, user in (
        ("coach", coach),
        ("employer", employer_user),
        ("participant", participant_user),
    ):
        n = Notification(user_id=user.id, kind="test", params={}, link="/")
        Session.add(n)
        Session.flush()
        notes[role] = n.id
    admin = make_user("admin")
    spare = make_user("coach", unit_id=unit.id)  # an account the admin's account pages act on
    return Side(
        users={
            "coach": coach,
            "employer": employer_user,
            "participant": participant_user,
            "admin": admin,
        },
        ids={
            "participant_id": participant.id,
            "match_id": match.id,
            "offer_id": offer.id,
            "workplace_id": workplace.id,
            "correction_id": correction.id,
            "activity_id": activity.id,
            "unit_id": unit.id,
            "employer_id": employer.id,
            "user_id": spare.id,
            "support_id": support.id,
            **{f"notification_id:{r}": i for r, i in notes.items()},
        },
    )


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    a, b = _side("a"), _side("b")
    Session.commit()
    return a, b


def _routes(app):  # type: ignore[no-untyped-def]
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule, ids: dict[str, int], role: str) -> str | None:  # type: ignore[no-untyped-def]
    """The rule's URL with the given side's ids; None when a parameter has no id to try."""
    missing = False

    def sub(m: re.Match[str]) -> str:
        nonlocal missing
        converter, name = m.group(1), m.group(2)
        if converter != "int":
            return "x"
        key = f"{name}:{role}" if name == "notification_id" else name
        if key not in ids:
            missing = True
            return "0"
        return str(ids[key])

    url = PARAM.sub(sub, rule.rule)
    return None if missing else url


def _gate_roles(path: str) -> set[str] | None:
    for prefix, roles in GATES.items():
        if path.startswith(prefix):
            return roles
    return None


def _as(client, user) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the real login form (CSRF checks off for that one request)."""
    app = client.application
    enabled = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client.post("/logout")
        login(client, user.email)
    finally:
        app.config["WTF_CSRF_ENABLED"] = enabled


def _anonymous(client) -> None:  # type: ignore[no-untyped-def]
    app = client.application
    enabled = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client.post("/logout")
    finally:
        app.config["WTF_CSRF_ENABLED"] = enabled


def _call(client, method: str, url: str):  # type: ignore[no-untyped-def]
    return client.get(url) if method == "GET" else client.post(url, data={})


def test_without_login_every_private_route_sends_to_login(app, client, world) -> None:
    """Does every page and action outside the public few need a login?"""
    a, _b = world
    wrong = []
    for rule, method in _routes(app):
        if rule.endpoint in PUBLIC:
            continue
        url = _url(rule, a.ids, "coach") or PARAM.sub("1", rule.rule)
        response = _call(client, method, url)
        expected = (401,) if url.startswith("/api/") else (302,)
        location = response.headers.get("Location", "")
        if response.status_code not in expected or (
            response.status_code == 302 and "/login" not in location
        ):
            wrong.append(f"{method} {url}: {response.status_code} {location}")
    assert not wrong, "\n".join(wrong)


def test_wrong_role_gets_403_everywhere(app, client, world) -> None:
    """Can a user reach another audience's pages or actions?"""
    a, _b = world
    wrong = []
    for role in ROLES:
        _as(client, a.users[role])
        for rule, method in _routes(app):
            allowed = _gate_roles(rule.rule)
            if allowed is None or role in allowed or rule.endpoint in PUBLIC:
                continue
            url = _url(rule, a.ids, role) or PARAM.sub("1", rule.rule)
            response = _call(client, method, url)
            if response.status_code != 403:
                wrong.append(f"{role} {method} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


# Ids that are legitimately shared: a coach or admin verifies any new employer.
# A published offer is open to every unit's coaches (services.access.offer), in the API too; its
# suggestions list shows only the coach's own unit's participants.
SHARED_IDS = {
    "admin.employer_verify",
    "api_v1.OfferItem",
    "api_v1.offer_suggestions",
}


def test_other_sides_ids_give_403_or_404(app, client, world) -> None:
    """Can a coach, employer or participant open or act on the other side's rows by id?"""
    a, b = world
    wrong = []
    tried = 0
    for role in ("coach", "employer", "participant"):
        _as(client, a.users[role])
        for rule, method in _routes(app):
            allowed = _gate_roles(rule.rule)
            if allowed is None or role not in allowed or "<int:" not in rule.rule:
                continue
            if rule.endpoint in SHARED_IDS:
                continue
            url = _url(rule, b.ids, role)
            if url is None:
                continue
            tried += 1
            response = _call(client, method, url)
            if response.status_code not in (403, 404):
                wrong.append(f"{role} {method} {url}: {response.status_code}")
    assert tried > 30, tried
    assert not wrong, "\n".join(wrong)


def test_unknown_ids_are_404_not_500(app, client, world) -> None:
    """Does a made-up id give 404 (never a server error) on every route that takes one?"""
    a, _b = world
    wrong = []
    for role in ROLES:
        _as(client, a.users[role])
        for rule, method in _routes(app):
            allowed = _gate_roles(rule.rule)
            if allowed is None or role not in allowed or "<int:" not in rule.rule:
                continue
            url = PARAM.sub(lambda m: "987654" if m.group(1) == "int" else "x", rule.rule)
            response = _call(client, method, url)
            if response.status_code not in (400, 403, 404):
                wrong.append(f"{role} {method} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_post_without_csrf_token_is_400(app, client, world) -> None:
    """Is every POST refused without its CSRF token, signed in or not?"""
    a, _b = world
    app.config["WTF_CSRF_ENABLED"] = True
    wrong = []
    try:
        for rule, method in _routes(app):
            if method != "POST":
                continue
            allowed = _gate_roles(rule.rule)
            role = "coach" if allowed is None else sorted(allowed)[0]
            if rule.endpoint in PUBLIC:
                _anonymous(client)
            else:
                _as(client, a.users[role])
            url = _url(rule, a.ids, role) or PARAM.sub("1", rule.rule)
            response = client.post(url, data={})
            if response.status_code != 400:
                wrong.append(f"{role} POST {url}: {response.status_code}")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert not wrong, "\n".join(wrong)


JUNK = {
    "page": "-1",
    "q": "<script>x</script>",
    "answer": "kanske",
    "status": "zzz",
    "action": "zzz",
    "reason": "zzz",
    "outcome": "zzz",
    "start_on": "2026-99-99",
    "end_on": "igår",
    "value": "1e999",
    "comment": "x" * 5000,
    "note": "<b>note</b>",
    "lang": "xx",
    "next": "//evil.example/",
    "kind": "../../etc",
}


def test_junk_input_never_gives_a_server_error(app, client, world) -> None:
    """Does any page or action answer junk (or nothing) with a 5xx?"""
    a, _b = world
    crashed = []
    for role in ROLES:
        _as(client, a.users[role])
        for rule, method in _routes(app):
            allowed = _gate_roles(rule.rule)
            if allowed is not None and role not in allowed:
                continue
            if rule.endpoint in ("auth.logout", "auth.login"):
                continue
            url = _url(rule, a.ids, role) or PARAM.sub("1", rule.rule)
            for payload in ({}, JUNK):
                if method == "GET":
                    response = client.get(url, query_string=payload)
                else:
                    response = client.post(url, data=payload)
                if response.status_code >= 500:
                    crashed.append(
                        f"{role} {method} {url} {sorted(payload)[:3]}: {response.status_code}"
                    )
    assert not crashed, "\n".join(crashed)
