"""The suggestion queue and the audit log as service functions with a filter dataclass, and the
manual-match page's single constraint check."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from matcher.reasons import exclusion_text
from models import AuditEvent, Match
from services import audit, suggestion_queue
from services.audit import AuditFilter
from services.suggestion_queue import QueueFilter
from tests.conftest import login
from tests.factories import make_offer, make_participant, make_unit, make_user, make_workplace
from tests.workflow.helpers import make_world, other_participant


@pytest.fixture
def world(app, db):  # type: ignore[no-untyped-def]
    w = make_world(skills=["truckkort"])
    db.commit()
    return w


def _titles(page: suggestion_queue.QueuePage) -> list[str]:
    return [m.offer.title for m in page.rows]


def test_queue_filters(db, world) -> None:  # type: ignore[no-untyped-def]
    """Does the queue keep to the unit's open suggestions for active participants, filtered?"""
    far = make_offer(
        make_workplace(municipality="Örebro"), title="Kock", kind="arbetstraning", occupation="Kock"
    )
    world.match("suggested", distance_km=3.0)
    world.match("suggested", offer=far, distance_km=40.0)
    world.match("rejected", offer=make_offer(title="Avvisad"))
    colleague = make_user("coach", unit_id=world.coach.unit_id)
    theirs = make_participant(world.participant.unit, colleague, first_name="Kollegans")
    db.add(Match(participant_id=theirs.id, offer_id=world.offer.id, status="suggested", score=0.9))
    gone = other_participant(world, exited_on=date(2026, 9, 30))
    db.add(Match(participant_id=gone.id, offer_id=world.offer.id, status="suggested", score=0.9))
    outsider = make_user("coach", unit_id=make_unit().id)
    db.flush()

    coach = world.coach
    everything = suggestion_queue.queue(coach, QueueFilter())
    assert everything.total == 3 and everything.rows[0].participant_id == theirs.id  # by score
    assert suggestion_queue.queue(coach, QueueFilter(mine=True)).total == 2
    assert _titles(suggestion_queue.queue(coach, QueueFilter(municipality="Örebro"))) == ["Kock"]
    assert _titles(suggestion_queue.queue(coach, QueueFilter(kind="arbetstraning"))) == ["Kock"]
    assert _titles(suggestion_queue.queue(coach, QueueFilter(field="koc"))) == ["Kock"]
    assert suggestion_queue.queue(coach, QueueFilter(max_km=10)).total == 1
    assert suggestion_queue.queue(coach, QueueFilter(q="kollegans")).total == 1
    assert suggestion_queue.queue(coach, QueueFilter(q="100%_")).total == 0
    assert suggestion_queue.queue(outsider, QueueFilter()).total == 0
    last = suggestion_queue.queue(coach, QueueFilter(page=99))
    assert (last.page, last.pages) == (1, 1)
    assert "Örebro" in suggestion_queue.workplace_municipalities()


def test_queue_name_search_skips_a_colleagues_protected_identity(db, world) -> None:  # type: ignore[no-untyped-def]
    colleague = make_user("coach", unit_id=world.coach.unit_id)
    hidden = make_participant(
        world.participant.unit, colleague, first_name="Hemlig", protected_identity=True
    )
    db.add(Match(participant_id=hidden.id, offer_id=world.offer.id, status="suggested", score=1))
    db.flush()
    assert suggestion_queue.queue(world.coach, QueueFilter(q="hemlig")).total == 0
    assert suggestion_queue.queue(colleague, QueueFilter(q="hemlig")).total == 1


def test_audit_search_filters(db, world) -> None:  # type: ignore[no-untyped-def]
    """Does the audit search filter by action, actor, subject and days, and keep a unit's
    manager to the unit's people?"""
    at = datetime(2026, 11, 2, 12, tzinfo=UTC)
    outsider = make_user("coach", unit_id=make_unit().id, email="ute_x@test.example")
    db.add_all(
        [
            AuditEvent(
                actor_id=world.coach.id,
                actor_role="coach",
                action="match.reject",
                subject_type="matches",
                subject_id=1,
                at=at,
            ),
            AuditEvent(
                actor_id=outsider.id,
                actor_role="coach",
                action="participant.updated",
                subject_type="participants",
                subject_id=world.participant.id,
                at=at.replace(day=5),
            ),
            AuditEvent(
                actor_id=outsider.id,
                actor_role="coach",
                action="login.ok",
                subject_type="",
                at=at.replace(day=6),
            ),
        ]
    )
    db.flush()
    admin = make_user("admin")
    manager = make_user("admin", unit_id=world.coach.unit_id)

    def actions(reader, **kw) -> list[str]:  # type: ignore[no-untyped-def]
        return [e.action for e in audit.search(reader, AuditFilter(**kw)).rows]

    assert actions(admin) == ["login.ok", "participant.updated", "match.reject"]  # newest first
    assert actions(admin, action="match.") == ["match.reject"]
    assert actions(admin, action="match%") == []  # a prefix, not a pattern
    assert actions(admin, actor_email="UTE_X") == ["login.ok", "participant.updated"]
    assert actions(admin, subject_type="participants", subject_id=world.participant.id) == [
        "participant.updated"
    ]
    assert actions(admin, date_from=date(2026, 11, 5), date_to=date(2026, 11, 5)) == [
        "participant.updated"
    ]
    # the manager: the unit's coach acted, or one of the unit's participants was acted on
    assert actions(manager) == ["participant.updated", "match.reject"]
    page = audit.search(admin, AuditFilter())
    assert page.total == 3 and page.actors[world.coach.id] == world.coach
    assert "participants" in audit.subject_types() and "" not in audit.subject_types()


def test_manual_match_checks_the_constraints_once(client, db, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Does the manual-match page run the engine's constraint check once per request, and show
    the conflicts in the engine's own words?"""
    from services import suggestions

    calls = []
    real = suggestions.check_pair
    monkeypatch.setattr(
        suggestions, "check_pair", lambda *a, **kw: calls.append(1) or real(*a, **kw)
    )
    far = make_offer(make_workplace(lat=55.6, lon=13.0, municipality="Malmö"), title="Kock")
    db.commit()
    login(client, world.coach.email)
    url = f"/coach/participants/{world.participant.id}/manual"
    r = client.post(url, data={"manual-offer_id": far.id})
    assert r.status_code == 422
    assert exclusion_text(["distance"], "sv") in r.get_data(as_text=True)
    assert len(calls) == 1
    calls.clear()
    r = client.post(
        url,
        data={"manual-offer_id": far.id, "manual-override": "y", "manual-note": "Flyttar dit"},
    )
    assert r.status_code == 302 and len(calls) == 1
    assert db.scalar(select(Match).where(Match.offer_id == far.id)).source == "manual"


def test_exclusion_texts_come_from_the_engine() -> None:
    """Is every exclusion code the web shows rendered by matcher.reasons, in both languages?"""
    codes = ["distance", "capacity", "location", "not_published"]
    assert exclusion_text(codes, "en") == (
        "too far from home; no open places; the workplace has no location; "
        "the offer is not published"
    )
    assert exclusion_text([], "sv") == ""
