"""The integration API: tokens, scope, ETag/If-Match, pagination, one error shape, limits, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import ApiToken, AuditEvent, Offer, Session, utcnow
from services import api_tokens
from services.access import AccessDenied
from services.validation import Invalid
from tests.api.helpers import bearer, side
from tests.factories import make_participant, make_user


@pytest.fixture
def world(app):  # type: ignore[no-untyped-def]
    admin = make_user("admin")
    a, b = side(admin), side(admin)
    Session.commit()
    return admin, a, b


def _error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code
    return body["error"]


def test_tokens_are_stored_hashed_shown_once_and_refused_when_revoked_or_expired(
    client, world
) -> None:
    """Is only the hash kept, and does a revoked, expired or re-roled token stop working?"""
    admin, a, _b = world
    token = Session.scalar(select(ApiToken).where(ApiToken.user_id == a.coach.id))
    assert token.token_hash == api_tokens.hash_secret(a.coach_token)
    assert (
        a.coach_token not in (token.token_hash, token.prefix) and token.prefix == a.coach_token[:10]
    )
    assert client.get("/api/v1/participants", headers=bearer(a.coach_token)).status_code == 200
    _error(client.get("/api/v1/participants"), 401, "unauthorized")
    _error(client.get("/api/v1/participants", headers=bearer("pm_nope")), 401, "unauthorized")

    a.coach.unit_id = None  # the coach left the unit: the token stops working
    Session.commit()
    _error(client.get("/api/v1/participants", headers=bearer(a.coach_token)), 401, "unauthorized")
    a.coach.unit_id = a.unit.id
    token.expires_at = utcnow() - timedelta(seconds=1)
    Session.commit()
    _error(client.get("/api/v1/participants", headers=bearer(a.coach_token)), 401, "unauthorized")
    token.expires_at = utcnow() + timedelta(days=1)
    api_tokens.revoke(admin, token.id)
    _error(client.get("/api/v1/participants", headers=bearer(a.coach_token)), 401, "unauthorized")
    actions = Session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "api_tokens")
    )
    assert {"api_token.created", "api_token.revoked", "api.call"} <= set(actions)


def test_only_admins_make_tokens_and_a_unit_manager_only_for_their_unit(world) -> None:
    """Can a coach make a token, or a unit's manager make one for another unit?"""
    _admin, a, b = world
    with pytest.raises(AccessDenied):
        api_tokens.create(a.coach, name="x", kind="user", days=1, user_id=a.coach.id)
    manager = make_user("admin", unit_id=a.unit.id)
    with pytest.raises(Invalid):
        api_tokens.create(manager, name="x", kind="user", days=1, user_id=b.coach.id)
    with pytest.raises(Invalid):
        api_tokens.create(
            manager, name="x", kind="integration", role="coach", unit_id=b.unit.id, days=1
        )
    with pytest.raises(Invalid):
        api_tokens.create(manager, name="x", kind="user", days=9999, user_id=a.coach.id)
    token, _secret = api_tokens.create(
        manager, name="CRM", kind="integration", role="coach", unit_id=a.unit.id, days=7
    )
    assert token.user.password_hash == api_tokens.NO_PASSWORD and token.unit_id == a.unit.id


def test_an_integration_token_sees_its_unit_only(client, world) -> None:
    """Can an integration token read another unit's participant through the API?"""
    admin, a, b = world
    _token, secret = api_tokens.create(
        admin, name="Treserva", kind="integration", role="coach", unit_id=a.unit.id, days=7
    )
    listed = client.get("/api/v1/participants", headers=bearer(secret)).get_json()
    assert [p["id"] for p in listed["items"]] == [a.participant.id]
    _error(
        client.get(f"/api/v1/participants/{b.participant.id}", headers=bearer(secret)),
        404,
        "not_found",
    )
    _error(
        client.get(f"/api/v1/participants/{b.participant.id}/suggestions", headers=bearer(secret)),
        404,
        "not_found",
    )
    _error(
        client.post(
            f"/api/v1/matches/{b.match.id}/decision",
            json={"decision": "approve"},
            headers=bearer(secret),
        ),
        404,
        "not_found",
    )
    _error(
        client.get("/api/v1/offers", headers=bearer(a.employer_token), query_string={"limit": 0}),
        422,
        "invalid",
    )


def test_coach_lists_with_pagination_and_filters_and_decides(client, world) -> None:
    """Do limit/offset and filters work, and can the coach approve a suggestion?"""
    _admin, a, _b = world
    for n in range(4):
        make_participant(a.unit, a.coach, municipality="Degerfors", external_id=f"E{n}")
    Session.commit()
    h = bearer(a.coach_token)
    first = client.get("/api/v1/participants?limit=2&offset=0", headers=h).get_json()
    second = client.get("/api/v1/participants?limit=2&offset=2", headers=h).get_json()
    assert first["page"] == {"total": 5, "limit": 2, "offset": 0}
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}
    found = client.get("/api/v1/participants?external_id=E2", headers=h).get_json()["items"]
    assert [p["external_id"] for p in found] == ["E2"]
    assert (
        client.get("/api/v1/participants?municipality=degerfors", headers=h).get_json()["page"][
            "total"
        ]
        == 4
    )
    suggestions = client.get(f"/api/v1/offers/{a.offer.id}/suggestions", headers=h).get_json()[
        "items"
    ]
    assert [m["match_id"] for m in suggestions] == [a.match.id]
    decided = client.post(
        f"/api/v1/matches/{a.match.id}/decision", json={"decision": "approve"}, headers=h
    )
    assert decided.status_code == 200 and decided.get_json()["status"] != "suggested"
    again = client.post(
        f"/api/v1/matches/{a.match.id}/decision", json={"decision": "approve"}, headers=h
    )
    _error(again, 409, "conflict")
    bad = client.post(
        f"/api/v1/matches/{a.match.id}/decision", json={"decision": "maybe"}, headers=h
    )
    assert _error(bad, 422, "invalid")["field"] == "decision"
    refresh = client.post(f"/api/v1/participants/{a.participant.id}/suggestions/refresh", headers=h)
    assert refresh.status_code == 202 and refresh.get_json()["job_id"]


def test_offer_update_needs_the_current_etag(client, world) -> None:
    """Is a stale update refused with 412, a blind one with 428, and a fresh one applied?"""
    _admin, a, _b = world
    h = bearer(a.employer_token)
    body = {"title": "Butik", "workplace_id": a.workplace.id, "capacity": 2}
    created = client.post("/api/v1/offers", json=body, headers=h)
    assert created.status_code == 201
    offer_id = created.get_json()["id"]
    read = client.get(f"/api/v1/offers/{offer_id}", headers=h)
    etag = read.headers["ETag"]
    _error(
        client.put(f"/api/v1/offers/{offer_id}", json=body, headers=h), 428, "precondition_required"
    )
    first = client.put(
        f"/api/v1/offers/{offer_id}",
        json=body | {"title": "Butik 1"},
        headers=h | {"If-Match": etag},
    )
    assert first.status_code == 200 and first.get_json()["title"] == "Butik 1"
    stale = client.put(
        f"/api/v1/offers/{offer_id}",
        json=body | {"title": "Butik 2"},
        headers=h | {"If-Match": etag},
    )
    _error(stale, 412, "precondition_failed")
    assert Session.get(Offer, offer_id).title == "Butik 1"
    published = client.post(
        f"/api/v1/offers/{offer_id}/status", json={"status": "published"}, headers=h
    )
    assert published.get_json()["status"] == "published"
    other = client.put(
        f"/api/v1/offers/{offer_id}",
        json=body,
        headers=bearer(_b_token(world)) | {"If-Match": etag},
    )
    _error(other, 404, "not_found")
    wrong = client.post(
        "/api/v1/offers", json=body | {"workplace_id": _b_workplace(world)}, headers=h
    )
    assert _error(wrong, 422, "invalid")["field"] == "workplace_id"


def _b_token(world) -> str:  # type: ignore[no-untyped-def]
    return world[2].employer_token


def _b_workplace(world) -> int:  # type: ignore[no-untyped-def]
    return world[2].workplace.id


def test_every_error_has_one_shape(client, world) -> None:
    """Do 404, 405, 422 and bad JSON all answer {"error": {"code", "message", "field"}}?"""
    _admin, a, _b = world
    h = bearer(a.coach_token)
    _error(client.get("/api/v1/no/such/thing", headers=h), 404, "not_found")
    _error(client.get("/api/v1/offers/987654", headers=h), 404, "not_found")
    not_allowed = client.delete("/api/v1/offers", headers=h)
    _error(not_allowed, 405, "method_not_allowed")
    assert "GET" in not_allowed.headers["Allow"]
    _error(
        client.post(
            "/api/v1/offers",
            data="{nope",
            content_type="application/json",
            headers=bearer(a.employer_token),
        ),
        400,
        "bad_request",
    )
    _error(client.get("/api/v1/reports/figures?kind=zzz", headers=h), 422, "invalid")
    _error(client.get("/api/v1/employers/me", headers=h), 403, "forbidden")
    # an employer's operation is refused for a coach before the body is read
    _error(client.post("/api/v1/offers", data="{nope", headers=h), 403, "forbidden")
    figures = client.get("/api/v1/reports/figures", headers=h)
    assert figures.status_code == 200 and figures.get_json()["kind"] == "outcomes"


def test_each_token_has_a_rate_limit(app, client, world) -> None:
    """Is a token over its limit answered 429 while another token still gets through?"""
    _admin, a, b = world
    app.config["API_RATE_LIMIT"] = "3 per minute"
    for _ in range(3):
        assert client.get("/api/v1/offers", headers=bearer(a.coach_token)).status_code == 200
    _error(client.get("/api/v1/offers", headers=bearer(a.coach_token)), 429, "rate_limited")
    assert client.get("/api/v1/offers", headers=bearer(b.coach_token)).status_code == 200


def test_every_call_with_a_token_is_audited(client, world) -> None:
    """Is each call, refused or not, in the audit log with its user, method, path and status?"""
    _admin, a, b = world
    client.get("/api/v1/participants", headers=bearer(a.coach_token))
    client.get(f"/api/v1/participants/{b.participant.id}", headers=bearer(a.coach_token))
    calls = Session.scalars(
        select(AuditEvent).where(AuditEvent.action == "api.call").order_by(AuditEvent.id)
    ).all()
    assert [(c.actor_id, c.details["status"]) for c in calls] == [
        (a.coach.id, 200),
        (a.coach.id, 404),
    ]
    assert calls[1].details["path"] == f"/api/v1/participants/{b.participant.id}"


def test_openapi_document_and_docs_page_are_served(client) -> None:
    """Is the OpenAPI 3 document generated and the docs page readable without a login?"""
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and "/api/v1/offers/{offer_id}" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "/api/v1/offers" in page.get_data(as_text=True)
