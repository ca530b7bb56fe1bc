"""Coach: participant profiles, the caseload, the logged reveal, hand-over, corrections."""

from __future__ import annotations

from sqlalchemy import select

from models import AuditEvent, CoachChange, JobRun, Participant, Session
from models.identity import with_check_digit
from services import suggestions
from services.queue import task_name
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user

PNR_TEN = with_check_digit("850412123")
PNR = f"19{PNR_TEN[:6]}-{PNR_TEN[6:]}"


def _coach(client):  # type: ignore[no-untyped-def]
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    Session.commit()
    login(client, coach.email)
    return unit, coach


def _profile(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "first_name": "Alma",
        "last_name": "Andersson",
        "municipality": "Karlskoga",
        "enrolled_on": "2026-10-01",
        "gender": "woman",
        "target_group": "long_term_unemployed",
        "support_level": "2",
        "skills": "truckkort, städning",
        "interests": "lager",
        "max_commute_km": "20",
        "hours_min": "10",
        "hours_max": "20",
        "swedish_level": "good",
        "consent": ["skills", "interests"],
        "personnummer": PNR,
        "cannot": ["heavy_lifting"],
        "needs": ["quiet_space"],
        "health_notes": "Ryggbesvär",
    }
    form.update(overrides)
    return form


def test_coach_creates_participant_located_offline_and_refresh_scheduled(client, db) -> None:
    """Does a new profile get the municipality's coordinates, consent and a refresh job?"""
    unit, coach = _coach(client)
    response = client.post("/coach/participants/new", data=_profile())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    p = db.scalar(select(Participant).where(Participant.last_name == "Andersson"))
    assert p.unit_id == unit.id and p.coach_id == coach.id
    assert 59.2 < p.lat < 59.5
    assert p.personnummer == PNR and p.birth_year == 1985
    assert p.skills == ["truckkort", "städning"] and p.cannot == ["heavy_lifting"]
    assert p.consent["skills"] is True and p.consent["name"] is False
    jobs = db.scalars(select(JobRun).where(JobRun.subject_id == p.id)).all()
    assert any(j.name == task_name(suggestions.refresh_participant_job) for j in jobs)


def test_profile_page_masks_personnummer_and_hides_health_until_logged_reveal(client, db) -> None:
    """Is the personnummer masked and health shown only after a reveal that is logged?"""
    unit, coach = _coach(client)
    p = make_participant(unit, coach, personnummer=PNR, health_notes="Ryggbesvär", cannot=["cold"])
    Session.commit()
    html = client.get(f"/coach/participants/{p.id}").get_data(as_text=True)
    assert PNR not in html and PNR[:8] + "-****" in html
    assert "Ryggbesvär" not in html
    before = db.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "participant.sensitive.view", AuditEvent.subject_id == p.id
        )
    )
    assert before is None
    html = client.post(f"/coach/participants/{p.id}/reveal").get_data(as_text=True)
    assert "Ryggbesvär" in html and PNR in html
    logged = db.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "participant.sensitive.view", AuditEvent.subject_id == p.id
        )
    )
    assert logged is not None and logged.actor_id == coach.id


def test_edit_keeps_sensitive_fields_and_validates(client, db) -> None:
    """Does the ordinary edit leave health fields alone and refuse bad input with 400s?"""
    unit, coach = _coach(client)
    p = make_participant(unit, coach, health_notes="Hemligt", cannot=["cold"])
    Session.commit()
    form = _profile(first_name="Bea")
    for key in ("personnummer", "cannot", "needs", "health_notes"):
        form.pop(key)
    assert client.post(f"/coach/participants/{p.id}/edit", data=form).status_code == 302
    db.refresh(p)
    assert p.first_name == "Bea" and p.health_notes == "Hemligt" and p.cannot == ["cold"]
    for overrides, field in (
        ({"municipality": "Ingenstans"}, "municipality"),
        ({"hours_min": "30", "hours_max": "5"}, "hours_max"),
        ({"support_level": "7"}, "support_level"),
        ({"max_commute_km": "långt"}, "max_commute_km"),
        ({"first_name": ""}, "first_name"),
        ({"consent": ["health"]}, "consent"),
    ):
        bad = form | overrides
        response = client.post(f"/coach/participants/{p.id}/edit", data=bad)
        assert response.status_code == 400, overrides
        assert f'id="{field}-error"' in response.get_data(as_text=True), overrides


def test_bad_personnummer_is_a_field_error(client, db) -> None:
    """Is a personnummer with a wrong check digit refused next to its field?"""
    _coach(client)
    wrong = PNR[:-1] + str((int(PNR[-1]) + 1) % 10)
    response = client.post("/coach/participants/new", data=_profile(personnummer=wrong))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="personnummer-error"' in html and "kontrollsiffra" in html
    assert 'value="Alma"' in html


def test_caseload_filters_search_and_paging(client, db) -> None:
    """Do search, filters, my/all and paging narrow the caseload to the unit's people?"""
    unit, coach = _coach(client)
    colleague = make_user("coach", unit_id=unit.id)
    for i in range(30):
        make_participant(unit, coach, last_name=f"Person{i:02d}", support_level=1 + i % 3)
    make_participant(unit, colleague, first_name="Kollegans", last_name="Deltagare")
    make_participant(make_unit(), None, first_name="Annan", last_name="Enhet")
    Session.commit()
    html = client.get("/coach/participants").get_data(as_text=True)
    assert "Person00" in html and "Kollegans" not in html and "Annan Enhet" not in html
    assert "sida 1 av 2" in html
    assert "Person29" in client.get("/coach/participants?page=2").get_data(as_text=True)
    html = client.get("/coach/participants?scope=unit&q=kollegans").get_data(as_text=True)
    assert "Kollegans" in html and "Person00" not in html
    html = client.get("/coach/participants?support_level=1&scope=mine").get_data(as_text=True)
    assert "Person00" in html and "Person01" not in html
    assert client.get("/coach/participants?page=x").status_code == 400


def test_hand_over_within_unit_only(client, db) -> None:
    """Is a hand-over logged, and is a coach of another unit refused?"""
    unit, coach = _coach(client)
    colleague = make_user("coach", unit_id=unit.id)
    stranger = make_user("coach", unit_id=make_unit().id)
    p = make_participant(unit, coach)
    Session.commit()
    response = client.post(
        f"/coach/participants/{p.id}/handover", data={"to_coach_id": str(stranger.id)}
    )
    assert response.status_code == 400
    response = client.post(
        f"/coach/participants/{p.id}/handover",
        data={"to_coach_id": str(colleague.id), "reason": "Föräldraledighet"},
    )
    assert response.status_code == 302
    db.refresh(p)
    assert p.coach_id == colleague.id
    change = db.scalar(select(CoachChange).where(CoachChange.participant_id == p.id))
    assert change.from_coach_id == coach.id and change.reason == "Föräldraledighet"


def test_other_units_participant_is_404(client, db) -> None:
    """Can a coach open or change a participant of another unit?"""
    _coach(client)
    other = make_participant(make_unit())
    Session.commit()
    for method, url in (
        ("get", f"/coach/participants/{other.id}"),
        ("get", f"/coach/participants/{other.id}/edit"),
        ("post", f"/coach/participants/{other.id}/reveal"),
        ("post", f"/coach/participants/{other.id}/sensitive"),
        ("get", f"/coach/participants/{other.id}/handover"),
    ):
        assert getattr(client, method)(url).status_code == 404, url


def test_protected_identity_hidden_from_other_coach(client, db) -> None:
    """Does a colleague see 'protected identity' instead of the name and address?"""
    unit, coach = _coach(client)
    owner = make_user("coach", unit_id=unit.id)
    p = make_participant(
        unit, owner, first_name="Hemlig", street="Gömdvägen 1", protected_identity=True
    )
    Session.commit()
    html = client.get(f"/coach/participants/{p.id}").get_data(as_text=True)
    assert "Hemlig" not in html and "Gömdvägen" not in html
    html = client.get("/coach/participants?scope=unit").get_data(as_text=True)
    assert "Hemlig" not in html and f"#{p.id}" in html
    html = client.get("/coach/participants?scope=unit&q=hemlig").get_data(as_text=True)
    assert f"#{p.id}" not in html, "a search by name must not find a protected identity"
    assert client.get(f"/coach/participants/{p.id}/edit").status_code == 403
    html = client.get(f"/coach/participants/{p.id}/handover").get_data(as_text=True)
    assert "Hemlig" not in html
