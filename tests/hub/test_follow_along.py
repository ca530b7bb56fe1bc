"""Follow-along support after a job start: periods, contacts, access, audit and concurrency."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AuditEvent, FollowAlongContact, FollowAlongSupport
from services import follow_along
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user


@pytest.fixture
def world(app, db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    colleague = make_user("coach", unit_id=unit.id)
    manager = make_user("admin", unit_id=unit.id)
    p = make_participant(unit, coach, first_name="Amina", last_name="Yusuf", gender="woman")
    stranger = make_user("coach", unit_id=make_unit().id)
    db.commit()
    return coach, colleague, manager, p, stranger


NEW = {
    "new-kinds": ["on_the_job", "employer_advice"],
    "new-start_on": "2026-11-02",
    "new-planned_end_on": "2027-05-02",
    "new-employer_name": "Bageriet AB",
    "new-note": "Stöd första halvåret.",
}


def _actions(db) -> list[str]:
    return [
        e.action
        for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))
        if e.action.startswith("follow_along")
    ]


def test_coach_records_support_and_contacts_shown_in_words(client, db, world):
    """Can the coach start a period and add a dated contact, both shown in words and audited?"""
    coach, colleague, _m, p, _s = world
    login(client, coach.email)
    page = client.get(f"/coach/participants/{p.id}/follow-along")
    assert page.status_code == 200
    assert f'href="/coach/participants/{p.id}/follow-along"' in client.get(
        f"/coach/participants/{p.id}/journal"
    ).get_data(as_text=True)
    r = client.post(f"/coach/participants/{p.id}/follow-along", data=NEW)
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    support = db.scalar(select(FollowAlongSupport).where(FollowAlongSupport.participant_id == p.id))
    assert support.kinds == ["on_the_job", "employer_advice"]
    assert support.planned_end_on == date(2027, 5, 2)
    r = client.post(
        f"/coach/participants/{p.id}/follow-along/{support.id}/contacts",
        data={
            f"c{support.id}-contact_on": "2026-11-10",
            f"c{support.id}-with_whom": "supervisor",
            f"c{support.id}-channel": "visit",
            f"c{support.id}-about": "Gick igenom arbetsschemat.",
        },
    )
    assert r.status_code == 303
    html = client.get(f"/coach/participants/{p.id}/follow-along").get_data(as_text=True)
    for words in (
        "Stöd på arbetsplatsen",
        "Råd och stöd till arbetsgivaren",
        "Handledaren",
        "Besök",
        "Gick igenom arbetsschemat.",
        "Bageriet AB",
    ):
        assert words in html
    assert _actions(db) == ["follow_along.start", "follow_along.contact"]


def test_bad_input_is_a_clear_400(client, db, world):
    coach, *_rest, p, _s = world
    login(client, coach.email)
    bad = dict(NEW, **{"new-kinds": [], "new-planned_end_on": "2026-01-01"})
    r = client.post(f"/coach/participants/{p.id}/follow-along", data=bad)
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Välj minst en typ av stöd." in html
    assert "Det planerade slutet kan inte vara före starten." in html
    r = client.post(
        f"/coach/participants/{p.id}/follow-along", data=dict(NEW, **{"new-kinds": ["bogus"]})
    )
    assert r.status_code == 400 and "Välj typ av stöd i listan." in r.get_data(as_text=True)
    assert db.scalar(select(FollowAlongSupport)) is None


def test_only_the_unit_reads_and_writes(client, db, world):
    """Does a coach of another unit get 404, and may the unit's manager work with it?"""
    coach, _c, manager, p, stranger = world
    support = follow_along.start(
        coach, p, follow_along.SupportData(kinds=["crisis"], start_on=date(2026, 11, 1))
    )
    login(client, stranger.email)
    assert client.get(f"/coach/participants/{p.id}/follow-along").status_code == 404
    r = client.post(f"/coach/participants/{p.id}/follow-along", data=NEW)
    assert r.status_code == 404
    r = client.post(f"/coach/participants/{p.id}/follow-along/{support.id}/contacts", data={})
    assert r.status_code == 404
    with pytest.raises(PermissionError):
        follow_along.start(stranger, p, follow_along.SupportData(["crisis"], date(2026, 11, 1)))
    assert follow_along.may_work(manager, p)
    follow_along.add_contact(
        manager,
        p,
        support.id,
        follow_along.ContactData(date(2026, 11, 3), "employer", "phone", "Uppföljning"),
    )
    assert db.scalar(select(FollowAlongContact.coach_id)) == manager.id


def test_concurrent_edits_do_not_overwrite(client, db, world):
    """Two coaches edit the same period from the same version: is the second refused (409)?"""
    coach, colleague, _m, p, _s = world
    support = follow_along.start(
        coach, p, follow_along.SupportData(kinds=["on_the_job"], start_on=date(2026, 11, 1))
    )
    version = support.version_id
    form = {
        f"s{support.id}-kinds": ["on_the_job"],
        f"s{support.id}-start_on": "2026-11-01",
        f"s{support.id}-planned_end_on": "2027-02-01",
        f"s{support.id}-version": str(version),
    }
    login(client, coach.email)
    first = client.post(f"/coach/participants/{p.id}/follow-along/{support.id}", data=form)
    assert first.status_code == 303
    client.post("/logout")
    login(client, colleague.email)
    second = client.post(
        f"/coach/participants/{p.id}/follow-along/{support.id}",
        data=dict(form, **{f"s{support.id}-ended_on": "2026-12-01"}),
    )
    assert second.status_code == 409
    db.expire_all()
    got = db.get(FollowAlongSupport, support.id)
    assert got.planned_end_on == date(2027, 2, 1) and got.ended_on is None
    assert _actions(db) == ["follow_along.start", "follow_along.update"]
