"""Fast decisions: approve or reject from the caseload queue, one or several at once, each
through the workflow and audited, and a short undo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Match, Notification, utcnow
from services import workflow
from services.workflow import WorkflowError
from tests.conftest import login
from tests.factories import make_offer, make_participant, make_unit, make_user, make_workplace
from tests.workflow.helpers import make_world, other_participant


@pytest.fixture
def world(app, db):
    w = make_world(capacity=3)
    second = make_offer(make_workplace(w.employer), title="Kassabiträde", capacity=3)
    p2 = other_participant(w)
    ms = [w.match("suggested"), w.match("suggested", offer=second)]
    ms.append(Match(participant_id=p2.id, offer_id=w.offer.id, status="suggested", score=0.4))
    db.add(ms[-1])
    db.commit()
    return w, ms


def _audited(db, action):
    return db.scalars(select(AuditEvent.subject_id).where(AuditEvent.action == action)).all()


def test_queue_shows_a_button_and_a_box_per_suggestion(client, world):
    w, ms = world
    login(client, w.coach.email)
    html = client.get("/coach/suggestions").get_data(as_text=True)
    for m in ms:
        assert f'name="one" value="approve:{m.id}"' in html
        assert f'name="ids" value="{m.id}"' in html
    assert 'value="">Välj ett skäl</option>' in html


def test_approve_one_from_the_queue(client, db, world):
    w, ms = world
    login(client, w.coach.email)
    r = client.post("/coach/suggestions/decide", data={"one": f"approve:{ms[0].id}"})
    assert r.status_code == 303 and f"decided={ms[0].id}" in r.headers["Location"]
    db.expire_all()
    assert [db.get(Match, m.id).status for m in ms] == ["proposed", "suggested", "suggested"]
    assert _audited(db, "match.approve") == [ms[0].id]


def test_approve_several_each_audited(client, db, world):
    w, ms = world
    login(client, w.coach.email)
    r = client.post(
        "/coach/suggestions/decide",
        data={"action": "approve", "ids": [str(m.id) for m in ms]},
        follow_redirects=True,
    )
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "3 förslag är godkända och skickade." in html
    db.expire_all()
    assert {db.get(Match, m.id).status for m in ms} == {"proposed"}
    assert sorted(_audited(db, "match.approve")) == sorted(m.id for m in ms)
    assert sorted(_audited(db, "match.propose")) == sorted(m.id for m in ms)


def test_reject_several_needs_a_reason(client, db, world):
    w, ms = world
    login(client, w.coach.email)
    r = client.post(
        "/coach/suggestions/decide",
        data={"action": "reject", "ids": [str(ms[0].id)]},
        follow_redirects=True,
    )
    assert "Välj ett skäl för att avvisa." in r.get_data(as_text=True)
    assert db.get(Match, ms[0].id).status == "suggested"
    client.post(
        "/coach/suggestions/decide",
        data={"action": "reject", "reason": "timing", "ids": [str(ms[0].id), str(ms[1].id)]},
    )
    db.expire_all()
    assert db.get(Match, ms[0].id).rejection_reason == "timing"
    assert db.get(Match, ms[1].id).status == "rejected"


def test_one_refusal_does_not_stop_the_others(client, db, world):
    """A suggestion of another unit (or already decided) is refused; the rest go through."""
    w, ms = world
    stranger_unit = make_unit()
    foreign = make_participant(stranger_unit, make_user("coach", unit_id=stranger_unit.id))
    fm = Match(participant_id=foreign.id, offer_id=w.offer.id, status="suggested", score=0.9)
    db.add(fm)
    db.commit()
    workflow.reject(ms[1], w.coach, "skills")
    login(client, w.coach.email)
    r = client.post(
        "/coach/suggestions/decide",
        data={"action": "approve", "ids": [str(ms[0].id), str(ms[1].id), str(fm.id)]},
        follow_redirects=True,
    )
    html = r.get_data(as_text=True)
    assert "1 förslag är godkänt och skickat." in html
    assert "avvisad av coach" in html  # why ms[1] was refused, in words
    db.expire_all()
    assert db.get(Match, fm.id).status == "suggested"
    assert db.get(Match, ms[0].id).status == "proposed"


@pytest.mark.parametrize(
    "data", [{"action": "delete", "ids": ["1"]}, {"action": "approve", "ids": ["x"]}]
)
def test_bad_decision_input_is_a_400(client, world, data):
    w, _ms = world
    login(client, w.coach.email)
    assert client.post("/coach/suggestions/decide", data=data).status_code == 400


def test_undo_a_rejection_within_the_window(client, db, world):
    w, ms = world
    login(client, w.coach.email)
    client.post(
        "/coach/suggestions/decide",
        data={"action": "reject", "reason": "distance", "ids": [str(ms[0].id)]},
    )
    html = client.get(f"/coach/suggestions?decided={ms[0].id}").get_data(as_text=True)
    assert "Ångra" in html
    r = client.post("/coach/suggestions/undo", data={"ids": [str(ms[0].id)]}, follow_redirects=True)
    assert "1 beslut är ångrat." in r.get_data(as_text=True)
    db.expire_all()
    m = db.get(Match, ms[0].id)
    assert m.status == "suggested" and m.rejection_reason is None and m.decided_at is None
    (event,) = db.scalars(select(AuditEvent).where(AuditEvent.action == "match.undo")).all()
    assert event.details["from"] == "rejected" and event.details["to"] == "suggested"


def test_undo_an_approval_before_the_participant_saw_it(app, db, world):
    """An approval sent to a participant whose notice is unread and whose e-mail has not gone
    out can be undone; the notice disappears."""
    w, ms = world
    from services import queue

    queue.dispatcher.ready_list().clear()
    m = workflow.approve(ms[0], w.coach, send=True)
    queue.dispatcher.ready_list().clear()  # the e-mail job has not run
    assert db.scalar(select(Notification).where(Notification.kind == "proposal.new"))
    workflow.undo(m, w.coach)
    assert m.status == "suggested"
    assert db.scalar(select(Notification).where(Notification.kind == "proposal.new")) is None


def test_no_undo_once_the_participant_has_seen_it(app, db, world):
    w, ms = world
    m = workflow.approve(ms[0], w.coach, send=True)
    note = db.scalar(select(Notification).where(Notification.kind == "proposal.new"))
    note.read_at = utcnow()
    db.commit()
    with pytest.raises(WorkflowError, match="redan fått förslaget"):
        workflow.undo(m, w.coach)
    assert db.get(Match, m.id).status == "proposed"


def test_no_undo_after_the_window_or_by_another_coach(app, db, world):
    w, ms = world
    m = workflow.reject(ms[0], w.coach, "other")
    colleague = make_user("coach", unit_id=w.coach.unit_id)
    with pytest.raises(WorkflowError, match="Bara den som"):
        workflow.undo(m, colleague)
    m.decided_at = utcnow() - timedelta(minutes=workflow.UNDO_MINUTES + 1)
    db.commit()
    with pytest.raises(WorkflowError, match="mer än"):
        workflow.undo(m, w.coach)
    assert db.get(Match, m.id).status == "rejected"


def test_single_approve_on_the_participant_page_offers_undo(client, db, world):
    w, ms = world
    login(client, w.coach.email)
    r = client.post(f"/coach/matches/{ms[1].id}/reject", data={f"r{ms[1].id}-reason": "interest"})
    assert r.status_code == 302 and f"decided={ms[1].id}" in r.headers["Location"]
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "/coach/suggestions/undo" in html


def test_reject_without_a_chosen_reason_is_refused(client, db, world):
    """Is "För långt bort" no longer chosen for the coach? An empty reason is a 400."""
    w, ms = world
    login(client, w.coach.email)
    html = client.get(f"/coach/participants/{w.participant.id}/suggestions").get_data(as_text=True)
    select_html = html.split(f'id="r{ms[0].id}-reason"')[1].split("</select>")[0]
    assert select_html.index('value=""') < select_html.index('value="distance"')
    assert "selected" not in select_html
    r = client.post(f"/coach/matches/{ms[0].id}/reject", data={f"r{ms[0].id}-reason": ""})
    assert r.status_code == 400
    assert db.get(Match, ms[0].id).status == "suggested"


def test_a_suggestions_page_without_health_facts_logs_no_sensitive_read(client, db, world):
    """Opening the suggestions (with a support-level gap, or exclusions for distance only) shows
    nothing read from health fields, so nothing is logged as a sensitive read."""
    from tests.factories import make_offer as offer_factory

    w, ms = world
    w.participant.support_level = 1
    offer_factory(make_workplace(lat=55.6, lon=13.0, municipality="Malmö"), title="Långt bort")
    db.commit()
    login(client, w.coach.email)
    assert client.get(f"/coach/participants/{w.participant.id}/suggestions").status_code == 200
    client.get(f"/coach/participants/{w.participant.id}/suggestions?why=1")
    assert _audited(db, "participant.sensitive.view") == []
