"""The admin's account pages: list and filter, create with an invitation, deactivate,
reactivate, unlock, resend; audited; a unit's manager only within the unit."""

from __future__ import annotations

from sqlalchemy import select

from models import AuditEvent, Session, User
from tests.accounts.conftest import link_in, outbox_to
from tests.conftest import login
from tests.factories import TEST_PASSWORD, make_unit, make_user

NEW = "tre gröna cyklar i regn"


def _audited(action: str, user_id: int) -> bool:
    return (
        Session.scalar(
            select(AuditEvent.id).where(
                AuditEvent.action == action,
                AuditEvent.subject_type == "users",
                AuditEvent.subject_id == user_id,
            )
        )
        is not None
    )


def _world():
    a, b = make_unit(name="Enhet A"), make_unit(name="Enhet B")
    boss = make_user("admin")
    manager = make_user("admin", unit_id=a.id)
    coach_a = make_user("coach", unit_id=a.id, name="Anna Andersson")
    coach_b = make_user("coach", unit_id=b.id, name="Bertil Berg")
    employer = make_user("employer", name="Cecilia Carlsson")
    Session.commit()
    return a, b, boss, manager, coach_a, coach_b, employer


def test_the_admin_lists_and_filters_accounts(fresh, db):
    a, b, boss, _manager, coach_a, coach_b, employer = _world()
    client = fresh.test_client()
    login(client, boss.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/accounts"' in page
    every = client.get("/admin/accounts").get_data(as_text=True)
    assert all(u.email in every for u in (coach_a, coach_b, employer))
    coaches = client.get("/admin/accounts", query_string={"role": "coach"}).get_data(as_text=True)
    assert coach_a.email in coaches and employer.email not in coaches
    in_b = client.get("/admin/accounts", query_string={"unit_id": b.id}).get_data(as_text=True)
    assert coach_b.email in in_b and coach_a.email not in in_b
    found = client.get("/admin/accounts", query_string={"q": "bertil"}).get_data(as_text=True)
    assert coach_b.email in found and coach_a.email not in found
    junk = client.get("/admin/accounts", query_string={"role": "zzz", "unit_id": "x" * 30})
    assert junk.status_code == 400


def test_a_unit_manager_sees_and_acts_only_within_the_unit(fresh, db):
    """Can a unit's manager list or deactivate another unit's coach? No (404)."""
    _a, _b, _boss, manager, coach_a, coach_b, employer = _world()
    client = fresh.test_client()
    login(client, manager.email)
    page = client.get("/admin/accounts").get_data(as_text=True)
    assert coach_a.email in page and coach_b.email not in page and employer.email not in page
    assert client.get(f"/admin/accounts/{coach_b.id}").status_code == 404
    assert client.post(f"/admin/accounts/{coach_b.id}/deactivate").status_code == 404
    assert Session.get(User, coach_b.id).active
    assert client.post(f"/admin/accounts/{coach_a.id}/deactivate").status_code == 303


def test_other_roles_cannot_reach_the_account_pages(fresh, db):
    *_rest, coach_a, _coach_b, _employer = _world()
    client = fresh.test_client()
    login(client, coach_a.email)
    assert client.get("/admin/accounts").status_code == 403
    assert client.post(f"/admin/accounts/{coach_a.id}/unlock").status_code == 403


def test_create_sends_an_invitation_whose_link_sets_the_password_once(fresh, db):
    a, _b, boss, *_rest = _world()
    client = fresh.test_client()
    login(client, boss.email)
    response = client.post(
        "/admin/accounts/new",
        data={
            "role": "coach",
            "unit_id": str(a.id),
            "name": "Dana Dahl",
            "email": "Dana.Dahl@Test.example",
            "locale": "en",
        },
    )
    assert response.status_code == 302
    user = Session.scalar(select(User).where(User.email == "dana.dahl@test.example"))
    assert user.role == "coach" and user.unit_id == a.id and user.must_change_password
    assert _audited("account.created", user.id)
    (mail,) = outbox_to(user.email)
    assert mail.subject == "Welcome to Platsmatch"
    link = link_in(mail.body)
    newcomer = fresh.test_client()
    assert newcomer.get(link).status_code == 200
    newcomer.post(link, data={"new_password": NEW, "new_password_again": NEW})
    login(newcomer, user.email, NEW)
    assert newcomer.get("/coach/").status_code == 200  # no forced change: the password is theirs
    assert newcomer.get(link).status_code == 400
    assert _audited("password.invite_used", user.id)


def test_create_refuses_bad_input_at_the_field(fresh, db):
    a, _b, boss, _manager, coach_a, *_rest = _world()
    client = fresh.test_client()
    login(client, boss.email)
    cases = [
        (
            {"role": "coach", "unit_id": "", "name": "X", "email": "x@test.example"},
            "hör till en enhet",
        ),
        (
            {"role": "coach", "unit_id": str(a.id), "name": "X", "email": coach_a.email},
            "finns redan",
        ),
        (
            {
                "role": "coach",
                "unit_id": str(a.id),
                "name": "Ev\u202eil",
                "email": "e@test.example",
            },
            "osynliga",
        ),
        (
            {"role": "participant", "unit_id": str(a.id), "name": "X", "email": "p@test.example"},
            "aria-invalid",
        ),
        (
            {"role": "coach", "unit_id": "999999", "name": "X", "email": "y@test.example"},
            "aria-invalid",
        ),
    ]
    for data, message in cases:
        response = client.post("/admin/accounts/new", data=data | {"locale": "sv"})
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), (data, message)


def test_a_unit_manager_creates_only_in_the_own_unit(fresh, db):
    a, b, _boss, manager, *_rest = _world()
    client = fresh.test_client()
    login(client, manager.email)
    response = client.post(
        "/admin/accounts/new",
        data={
            "role": "coach",
            "unit_id": str(b.id),
            "name": "E",
            "email": "e@test.example",
            "locale": "sv",
        },
    )
    assert response.status_code == 400  # another unit is not among the choices
    client.post(
        "/admin/accounts/new",
        data={
            "role": "coach",
            "unit_id": str(a.id),
            "name": "E",
            "email": "e@test.example",
            "locale": "sv",
        },
    )
    assert Session.scalar(select(User.unit_id).where(User.email == "e@test.example")) == a.id


def test_deactivation_ends_sessions_and_reactivation_lets_in_again(fresh, db):
    _a, _b, boss, _manager, coach_a, *_rest = _world()
    admin, coach = fresh.test_client(), fresh.test_client()
    login(admin, boss.email)
    login(coach, coach_a.email)
    assert coach.get("/coach/").status_code == 200
    assert admin.post(f"/admin/accounts/{coach_a.id}/deactivate").status_code == 303
    assert coach.get("/coach/").status_code == 302
    refused = coach.post("/login", data={"email": coach_a.email, "password": TEST_PASSWORD})
    assert refused.status_code == 401
    assert _audited("account.deactivated", coach_a.id)
    admin.post(f"/admin/accounts/{coach_a.id}/reactivate")
    login(coach, coach_a.email)
    assert _audited("account.reactivated", coach_a.id)


def test_an_admin_cannot_deactivate_themself(fresh, db):
    _a, _b, boss, *_rest = _world()
    client = fresh.test_client()
    login(client, boss.email)
    response = client.post(f"/admin/accounts/{boss.id}/deactivate", follow_redirects=True)
    assert "eget konto" in response.get_data(as_text=True)
    assert Session.get(User, boss.id).active


def test_unlock_lifts_the_account_lock(fresh, db):
    """Can the admin let in an owner whose account others locked from many addresses?"""
    fresh.config["LOGIN_ACCOUNT_MAX_FAILURES"] = 3
    _a, _b, boss, _manager, coach_a, *_rest = _world()
    owner, admin = fresh.test_client(), fresh.test_client()
    for i in range(3):
        owner.post(
            "/login",
            data={"email": coach_a.email, "password": "fel"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{i + 1}"},
        )
    assert (
        owner.post("/login", data={"email": coach_a.email, "password": TEST_PASSWORD}).status_code
        == 429
    )
    login(admin, boss.email)
    locked = admin.get("/admin/accounts", query_string={"status": "locked"}).get_data(as_text=True)
    assert coach_a.email in locked and boss.email not in locked
    admin.post(f"/admin/accounts/{coach_a.id}/unlock")
    login(owner, coach_a.email)
    assert _audited("account.unlocked", coach_a.id)


def test_resend_invitation_only_while_no_own_password(fresh, db):
    a, _b, boss, _manager, coach_a, *_rest = _world()
    client = fresh.test_client()
    login(client, boss.email)
    client.post(
        "/admin/accounts/new",
        data={
            "role": "coach",
            "unit_id": str(a.id),
            "name": "F",
            "email": "f@test.example",
            "locale": "sv",
        },
    )
    user = Session.scalar(select(User).where(User.email == "f@test.example"))
    assert client.post(f"/admin/accounts/{user.id}/invite").status_code == 303
    assert len(outbox_to(user.email)) == 2
    assert _audited("account.invitation_sent", user.id)
    refused = client.post(f"/admin/accounts/{coach_a.id}/invite", follow_redirects=True)
    assert "redan ett eget lösenord" in refused.get_data(as_text=True)
    assert outbox_to(coach_a.email) == []
