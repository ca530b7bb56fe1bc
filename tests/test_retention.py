"""Retention: participants are anonymised after their unit's period, and past reports keep
their figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from models import (
    Activity,
    AuditEvent,
    CorrectionRequest,
    Match,
    Notification,
    Participant,
    Session,
    User,
)
from services import notifications, retention
from services.reports import build
from services.reports.scope import Filters, scope_for
from services.validation import Invalid
from tests.factories import make_user
from tests.progress.fixture import AS_OF, END, START
from tests.progress.fixture import build as build_fixture

TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 4, 15), 3, date(2026, 7, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 12, 1), 24, date(2026, 12, 1)),
    ],
)
def test_months_after(day, months, expected):
    assert retention.months_after(day, months) == expected


def _all_reports(fx):
    """Every report kind, for the unit manager and for a coach, over the past period."""
    out = {}
    for who in (fx.manager_a, fx.c1, fx.c2, fx.admin):
        scope = scope_for(who, Filters(start=START, end=END))
        for kind in build.KINDS:
            out[(who.id, kind)] = build.build(kind, scope, AS_OF)
    return out


def _make_personal(fx):
    """P1 has a login, health data, notes, a correction and a notification: all must go."""
    p1 = fx.p["P1"]
    user = make_user("participant", unit_id=p1.unit_id, email="p1@example.test")
    p1.user_id = user.id
    p1.email, p1.phone, p1.street = "p1@example.test", "070-1234567", "Storgatan 1"
    p1.health_notes, p1.cannot = "Ryggbesvär", ["heavy_lifting"]
    m1 = fx.m["M1"]
    m1.coach_note, m1.participant_comment = "Trivs bra", "Jag vill gärna"
    Session.add(CorrectionRequest(participant_id=p1.id, message="Fel adress", answer="Rättat"))
    Session.add(
        Activity(participant_id=p1.id, kind="course", title="Svenska", notes="x", start_on=START)
    )
    Session.flush()
    notifications.notify(user.id, "proposal.withdrawn", {"offer": "o", "employer": "e"})
    Session.flush()
    return p1, user


def test_a_dry_run_lists_and_logs_but_changes_nothing(app, db):
    fx = build_fixture()
    p1, _user = _make_personal(fx)
    result = retention.run(TODAY, 3, apply=False)
    # Exited 2026-04-15 (P1), 2026-03-01 (P3), 2026-05-01 (P6): due after 3 months; P2 (09-01) not.
    assert sorted(d.participant_id for d in result.due) == sorted(
        fx.p[k].id for k in ("P1", "P3", "P6")
    )
    Session.expire_all()
    assert Session.get(Participant, p1.id).personnummer == "19900101-0017"
    assert Session.get(Participant, p1.id).anonymised_at is None
    [event] = Session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.dry_run"))
    assert event.details["participants"] == 3


def test_anonymising_keeps_every_past_report_identical(app, db):
    """Does a report for a past period give the same figures after anonymisation? It must."""
    fx = build_fixture()
    p1, user = _make_personal(fx)
    before = _all_reports(fx)
    result = retention.run(TODAY, 3, apply=True)
    assert len(result.due) == 3
    Session.expire_all()
    after = _all_reports(fx)
    assert after == before
    assert before[(fx.manager_a.id, "outcomes")]["population"] > 0


def test_anonymising_removes_what_identifies_or_describes_the_person(app, db):
    fx = build_fixture()
    p1, user = _make_personal(fx)
    retention.run(TODAY, 3, apply=True)
    Session.expire_all()
    p = Session.get(Participant, p1.id)
    assert p.anonymised_at is not None
    assert (p.first_name, p.email, p.phone, p.street) == ("Anonymiserad", "", "", "")
    assert p.personnummer is None and p.personnummer_hash is None
    assert (p.health_notes, p.cannot, p.skills, p.user_id) == ("", [], [], None)
    raw = Session.execute(
        text("SELECT personnummer_enc FROM participants WHERE id = :id"), {"id": p.id}
    ).scalar()
    assert raw is None
    u = Session.get(User, user.id)
    assert not u.active and "p1@" not in u.email and u.name == "Anonymiserad"
    assert Session.scalars(select(Notification).where(Notification.user_id == user.id)).all() == []
    m1 = Session.get(Match, fx.m["M1"].id)
    assert (m1.coach_note, m1.participant_comment, m1.status) == ("", "", "completed")
    [c] = Session.scalars(select(CorrectionRequest).where(CorrectionRequest.participant_id == p.id))
    assert (c.message, c.answer) == ("", "")
    # Not yet due: untouched.
    assert Session.get(Participant, fx.p["P2"].id).anonymised_at is None
    events = Session.scalars(
        select(AuditEvent).where(AuditEvent.action == "participant.anonymised")
    ).all()
    assert sorted(e.subject_id for e in events) == sorted(fx.p[k].id for k in ("P1", "P3", "P6"))
    # A second night finds nobody left.
    assert retention.run(TODAY, 3, apply=True).due == []


def test_a_units_own_period_wins_over_the_default(app, db):
    fx = build_fixture()
    admin = fx.admin
    retention.set_retention(admin, fx.unit_a.id, 12)
    assert retention.run(TODAY, 3, apply=False).due == []
    with pytest.raises(Invalid):
        retention.set_retention(admin, fx.unit_a.id, 0)
    with pytest.raises(PermissionError):
        retention.set_retention(fx.c1, fx.unit_a.id, 6)
    with pytest.raises(PermissionError):
        retention.set_retention(fx.manager_b, fx.unit_a.id, 6)
    retention.set_retention(fx.manager_a, fx.unit_a.id, None)
    assert len(retention.run(TODAY, 3, apply=False).due) == 3


def test_the_nightly_command_dry_runs_by_default_and_applies_on_request(app, db):
    fx = build_fixture()
    runner = app.test_cli_runner()
    app.config["RETENTION_MONTHS"] = 3
    dry = runner.invoke(args=["retention", "--as-of", "2026-11-01"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: would anonymise" in dry.output and "--apply" in dry.output
    assert Session.get(Participant, fx.p["P1"].id).anonymised_at is None
    done = runner.invoke(args=["retention", "--apply", "--as-of", "2026-11-01"])
    assert done.exit_code == 0 and "Anonymised 3 participant(s)" in done.output
    assert fx.p["P1"].first_name not in done.output


@pytest.mark.parametrize(
    ("unit", "months", "by", "message"),
    [
        ("A", "6", "coach", "not an administrator"),
        ("none", "6", "admin", "unit 999999"),
        ("A", "0", "admin", "mellan 1 och 240"),
        ("A", "241", "admin", "mellan 1 och 240"),
        ("A", "many", "admin", "whole number"),
    ],
)
def test_set_retention_refuses_bad_input_with_a_message(app, db, unit, months, by, message):
    """Does a typo in the unit, the months or the admin give a message and exit 2, no traceback?"""
    fx = build_fixture()
    unit_id = str(fx.unit_a.id) if unit == "A" else "999999"
    email = fx.admin.email if by == "admin" else fx.c1.email
    result = app.test_cli_runner().invoke(args=["set-retention", unit_id, months, "--by", email])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert Session.get(type(fx.unit_a), fx.unit_a.id).retention_months is None


def test_set_retention_command_sets_and_resets(app, db):
    fx = build_fixture()
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["set-retention", str(fx.unit_a.id), "36", "--by", fx.admin.email])
    assert ok.exit_code == 0 and "retention 36 months" in ok.output
    assert fx.unit_a.retention_months == 36
    back = runner.invoke(
        args=["set-retention", str(fx.unit_a.id), "default", "--by", fx.admin.email]
    )
    assert back.exit_code == 0 and fx.unit_a.retention_months is None
