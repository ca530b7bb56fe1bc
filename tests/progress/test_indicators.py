"""Managing the indicator set: a unit gets its own copy; reorder, deactivate, scale and anchors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Indicator
from services import indicators as service
from services.progression import indicator_set
from tests.conftest import login
from tests.factories import make_unit, make_user
from tests.progress.helpers import default_indicators


@pytest.fixture
def setup(db):
    unit = make_unit()
    return unit, make_user("admin", unit_id=unit.id), make_user("admin"), default_indicators()


def test_a_unit_manager_edits_a_copy_and_the_default_stays(setup, db):
    unit, manager, _admin, ind = setup
    data = service.IndicatorInput(
        key="health",
        label_sv="Min hälsa",
        label_en="My health",
        scale_min=0,
        scale_max=10,
        anchors={"0": {"sv": "Dålig"}, "10": {"sv": "Utmärkt"}},
    )
    saved = service.save(manager, data, ind["health"].id)
    assert saved.unit_id == unit.id and saved.id != ind["health"].id
    assert [i.key for i in indicator_set(unit.id)] == [
        "job_search",
        "health",
        "self_belief",
        "coach_belief",
    ]
    assert ind["health"].label_sv == "Hälsa" and ind["health"].scale_max == 5
    assert (saved.scale_min, saved.scale_max, saved.anchors["10"]) == (0, 10, {"sv": "Utmärkt"})
    other = make_unit()
    assert [i.id for i in indicator_set(other.id)] == [i.id for i in ind.values()]


def test_bad_scale_and_duplicate_keys_are_refused(setup):
    _unit, manager, _admin, _ind = setup
    with pytest.raises(service.IndicatorError) as err:
        service.save(manager, service.IndicatorInput(key="health", label_sv="x", label_en="x"))
    assert err.value.problems == {"key": "duplicate"}
    with pytest.raises(service.IndicatorError) as err:
        service.save(
            manager,
            service.IndicatorInput(
                key="new_one", label_sv="x", label_en="x", scale_min=5, scale_max=5
            ),
        )
    assert err.value.problems == {"scale_max": "scale"}


def test_reorder_and_deactivate_over_http(client, setup, db):
    unit, manager, _admin, ind = setup
    login(client, manager.email)
    assert client.get("/admin/indicators").status_code == 200
    assert client.post(f"/admin/indicators/{ind['health'].id}/up").status_code == 302
    assert [i.key for i in indicator_set(unit.id)] == [
        "health",
        "job_search",
        "self_belief",
        "coach_belief",
    ]
    assert client.post(f"/admin/indicators/{ind['self_belief'].id}/deactivate").status_code == 302
    assert "self_belief" not in [i.key for i in indicator_set(unit.id)]
    assert "self_belief" in [i.key for i in indicator_set(None)]  # the default set is untouched
    response = client.post(
        "/admin/indicators/new",
        data={
            "key": "cv",
            "label_sv": "Har ett cv",
            "label_en": "Has a CV",
            "answered_by": "coach",
            "scale_min": "1",
            "scale_max": "3",
            "high_sv": "Ja",
        },
    )
    assert response.status_code == 302
    cv = db.scalar(select(Indicator).where(Indicator.key == "cv"))
    assert (cv.unit_id, cv.answered_by, cv.anchors) == (unit.id, "coach", {"3": {"sv": "Ja"}})
    bad = client.post(
        "/admin/indicators/new",
        data={
            "key": "Bad Key",
            "label_sv": "x",
            "label_en": "x",
            "answered_by": "both",
            "scale_min": "1",
            "scale_max": "5",
        },
    )
    assert bad.status_code == 400 and 'id="key-error"' in bad.get_data(as_text=True)


def test_installation_admin_edits_the_default_set(client, setup):
    _unit, _manager, admin, ind = setup
    login(client, admin.email)
    response = client.post(
        f"/admin/indicators/{ind['health'].id}",
        data={
            "key": "health",
            "label_sv": "Hälsan",
            "label_en": "Health",
            "answered_by": "both",
            "scale_min": "1",
            "scale_max": "5",
        },
    )
    assert response.status_code == 302
    assert ind["health"].label_sv == "Hälsan" and ind["health"].unit_id is None


def test_coaches_cannot_manage_indicators(client, setup):
    unit, *_ = setup
    login(client, make_user("coach", unit_id=unit.id).email)
    assert client.get("/admin/indicators").status_code == 403
