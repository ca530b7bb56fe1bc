"""Personal data: who sees what, and that every sensitive read is logged."""

import pytest

from models import AuditEvent, Session
from services import privacy
from tests.factories import make_participant, make_unit, make_user


def _events(action):
    return Session.query(AuditEvent).filter_by(action=action).all()


def test_coach_of_the_unit_sees_sensitive_fields_and_the_read_is_logged(db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach, cannot=["heavy_lifting"], health_notes="Ryggbesvär")
    values = privacy.reveal(coach, p, ("cannot", "health_notes"))
    assert values == {"cannot": ["heavy_lifting"], "health_notes": "Ryggbesvär"}
    db.flush()
    [event] = _events("participant.sensitive.view")
    assert event.actor_id == coach.id and event.subject_id == p.id
    assert event.details["fields"] == ["cannot", "health_notes"]


@pytest.mark.parametrize("role", ["employer", "admin", "coach-of-other-unit", "other-participant"])
def test_others_cannot_read_sensitive_fields(db, role):
    """Can an employer, an admin, another unit's coach or another participant read health data? No."""
    unit = make_unit()
    p = make_participant(unit, health_notes="x")
    if role == "coach-of-other-unit":
        user = make_user("coach", unit_id=make_unit().id)
    elif role == "other-participant":
        user = make_user("participant", unit_id=unit.id)
    else:
        user = make_user(role)
    with pytest.raises(PermissionError):
        privacy.reveal(user, p)
    db.flush()
    assert len(_events("participant.sensitive.denied")) == 1


def test_employer_view_shows_only_consented_fields_and_never_health(db):
    p = make_participant(
        skills=["truckkort"],
        interests=["lager"],
        needs=["quiet_space"],
        cannot=["heavy_lifting"],
        health_notes="Migrän",
        personnummer="19811218-9876",
        consent={"skills": True, "adjustments": True},
    )
    view = privacy.employer_view(p)
    assert view["skills"] == ["truckkort"]
    assert view["adjustments"] == ["quiet_space"]
    assert view["name"] is None
    assert "interests" not in view
    text = repr(view)
    for secret in ("heavy_lifting", "Migrän", "9876", p.first_name):
        assert secret not in text


def test_protected_identity_is_hidden_from_all_but_the_coach(db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    colleague = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach, protected_identity=True, consent={"name": True})
    assert privacy.display_name(coach, p) == p.display_name
    assert p.first_name not in privacy.display_name(colleague, p)
    assert privacy.employer_view(p)["name"] is None
