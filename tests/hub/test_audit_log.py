"""A readable audit log: event names, tables and values in words, Swedish local time, people and
participants by name, filters by person and period, and a download."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models import AuditEvent
from services import workflow
from tests.conftest import login
from tests.factories import make_participant, make_user
from tests.workflow.helpers import make_world


@pytest.fixture
def world(app, db):
    w = make_world(first_name="Amina", last_name="Yusuf")
    admin = make_user("admin", name="Ada Admin")
    db.commit()
    return w, admin


def test_the_log_reads_in_words_and_local_time(app, client, db, world):
    w, admin = world
    m = w.match("suggested")
    db.commit()
    workflow.reject(m, w.coach, "distance")
    db.add(
        AuditEvent(
            actor_id=w.coach.id,
            actor_role="coach",
            action="participant.sensitive.view",
            subject_type="participants",
            subject_id=w.participant.id,
            details={"fields": ["cannot", "needs"]},
            at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC),
        )
    )
    db.commit()
    login(client, admin.email)
    html = client.get("/admin/audit").get_data(as_text=True).split("<tbody>")[1]
    assert "Läste känsliga uppgifter" in html and "participant.sensitive.view" not in html
    assert "Deltagare: Amina Yusuf" in html and "participants #" not in html
    assert "ska undvika, behöver" in html and "[&#39;cannot&#39;" not in html
    assert "2026-07-02 00:30:00" in html  # 22:30 UTC is half past midnight in Swedish summer
    assert "Avvisade ett förslag" in html and "För långt bort" in html
    assert f"{w.coach.name} (coach)" in html
    client.post("/language", data={"lang": "en", "next": "/admin/audit"})
    with app.app_context():  # Flask-Babel caches the locale per app context, as per request
        html = client.get("/admin/audit").get_data(as_text=True).split("<tbody>")[1]
    assert ": Amina Yusuf" in html and "Deltagare" not in html
    assert "Read sensitive details" in html


def test_protected_identity_is_not_named(client, db, world):
    w, admin = world
    hidden = make_participant(
        db.get(type(w.participant).unit.property.mapper.class_, w.participant.unit_id),
        w.coach,
        first_name="Hemlig",
        last_name="Person",
        protected_identity=True,
    )
    db.add(AuditEvent(actor_id=w.coach.id, actor_role="coach", action="participant.updated",
                      subject_type="participants", subject_id=hidden.id))  # fmt: skip
    db.commit()
    login(client, admin.email)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Hemlig" not in html and f"Skyddad identitet (#{hidden.id})" in html
    found = client.get("/admin/audit?participant=Hemlig").get_data(as_text=True)
    assert "Inga händelser." in found.split("<tbody>")[1]


def test_filters_by_person_participant_and_swedish_days(client, db, world):
    w, admin = world
    db.add_all(
        [
            AuditEvent(actor_id=w.coach.id, actor_role="coach", action="participant.updated",
                       subject_type="participants", subject_id=w.participant.id,
                       at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)),  # 2 March in Sweden
            AuditEvent(actor_id=admin.id, actor_role="admin", action="login.ok",
                       at=datetime(2026, 3, 1, 12, tzinfo=UTC)),
        ]
    )  # fmt: skip
    db.commit()
    login(client, admin.email)

    def shown(query):
        html = client.get(f"/admin/audit?{query}").get_data(as_text=True).split("<tbody>")[1]
        return ("Ändrade en deltagares profil" in html, "Loggade in" in html)

    assert shown(f"actor={w.coach.name.split()[0]}") == (True, False)
    assert shown("participant=amina") == (True, False)
    assert shown("date_from=2026-03-02&date_to=2026-03-02") == (True, False)
    assert shown("date_from=2026-03-01&date_to=2026-03-01") == (False, True)


def test_download_the_filtered_log(client, db, world):
    w, admin = world
    m = w.match("suggested")
    db.commit()
    workflow.reject(m, w.coach, "timing")
    login(client, admin.email)
    r = client.get("/admin/audit.csv?action=match.")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    text = r.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert ["Urval", "Händelse: match."] in rows
    event = next(r for r in rows if len(r) > 2 and r[2] == "Avvisade ett förslag")
    assert "Amina Yusuf" in event[3] and "Fel tidpunkt" in event[4]
    exported = db.scalar(select(AuditEvent).where(AuditEvent.action == "audit.export"))
    assert exported.actor_id == admin.id
    assert client.get("/admin/audit.csv?date_from=x").status_code == 400


def test_coaches_cannot_read_or_download_the_log(client, world):
    w, _admin = world
    login(client, w.coach.email)
    assert client.get("/admin/audit").status_code in (403, 404)
    assert client.get("/admin/audit.csv").status_code in (403, 404)
