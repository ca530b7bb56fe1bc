"""The supervisor's assessment: portal and one-time link, confirmed skills on the profile, the
ranking boost with its reason line, reminders when missing, and the participant's plain view."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from models import ConfirmedSkill, Match, Notification, SupervisorAssessment
from services import agreements, placements, ranking_adjust, suggestions, supervisor_assessments
from services.supervisor_assessments import Answers, LinkError
from services.workflow import NotAllowed
from tests.conftest import login
from tests.factories import make_offer, make_user, make_workplace
from tests.workflow.helpers import make_world

FORM = {
    "punctuality": "4",
    "cooperation": "3",
    "tasks_done": "3",
    "would_hire": "recommend",
    "competences": "Kundservice, kassa",
    "comment": "Alltid i tid och glad.",
}


@pytest.fixture
def ongoing(app, db):
    w = make_world()
    m = w.match("accepted")
    w.offer.filled = 1
    db.commit()
    placement = placements.plan(m, w.coach, date(2026, 12, 1), hours_per_week=20)
    agreements.record_paper_signature(placement, w.coach, "I akten")
    placements.start(placement, w.coach)
    return w, m, placement


def _answers(**kw):
    return Answers(
        **({"punctuality": 4, "cooperation": 3, "tasks_done": 3, "would_hire": "yes"} | kw)
    )


def test_one_time_link_works_once_and_confirms_skills(client, ongoing, db):
    w, m, placement = ongoing
    token = supervisor_assessments.make_token(placement, "end")
    page = client.get(f"/handledare/bedomning/{token}")
    assert page.status_code == 200 and w.offer.title in page.get_data(as_text=True)
    assert (
        client.post(f"/handledare/bedomning/{token}", data={"punctuality": "9"}).status_code == 400
    )
    r = client.post(f"/handledare/bedomning/{token}", data=FORM)
    assert r.status_code == 200 and "Tack!" in r.get_data(as_text=True)
    again = client.post(f"/handledare/bedomning/{token}", data=FORM)
    assert again.status_code == 410 and "redan använts" in again.get_data(as_text=True)
    assert client.get("/handledare/bedomning/forged.token").status_code == 410
    (row,) = db.scalars(select(SupervisorAssessment)).all()
    assert row.via_link and row.stage == "end" and row.would_hire == "recommend"
    skills = db.scalars(select(ConfirmedSkill).order_by(ConfirmedSkill.skill)).all()
    assert [s.skill.casefold() for s in skills] == ["kassa", "kundservice"]
    assert all(s.confirmed_on and w.employer.name in s.source for s in skills)
    kinds = {(n.user_id, n.kind) for n in db.scalars(select(Notification))}
    assert (w.coach.id, "assessment.supervisor_done") in kinds
    assert (w.participant_user.id, "assessment.for_participant") in kinds


def test_link_expires(app, ongoing, db):
    _w, _m, placement = ongoing
    with time_machine.travel(datetime(2026, 12, 1, tzinfo=UTC), tick=False):
        token = supervisor_assessments.make_token(placement, "mid")
    with time_machine.travel(datetime(2027, 1, 15, tzinfo=UTC), tick=False):
        with pytest.raises(LinkError, match="gått ut"):
            supervisor_assessments.read_token(token)


def test_employer_portal_form_and_strangers(client, ongoing, db):
    w, m, placement = ongoing
    login(client, w.employer_user.email)
    assert client.get(f"/employer/placements/{m.id}/assessment/mid").status_code == 200
    assert client.get(f"/employer/placements/{m.id}/assessment/later").status_code == 404
    r = client.post(f"/employer/placements/{m.id}/assessment/mid", data=FORM)
    assert r.status_code == 302
    twice = client.post(f"/employer/placements/{m.id}/assessment/mid", data=FORM)
    assert twice.status_code == 409
    stranger = make_user("employer")
    db.commit()
    with pytest.raises(NotAllowed):
        supervisor_assessments.submit(placement, "end", _answers(), actor=stranger)


def test_participant_reads_it_in_plain_words(client, ongoing, db):
    w, m, placement = ongoing
    supervisor_assessments.submit(
        placement,
        "mid",
        _answers(competences=["kassa"], comment="Bra jobbat"),
        actor=w.employer_user,
    )
    login(client, w.participant_user.email)
    page = client.get(f"/me/placements/{m.id}/feedback").get_data(as_text=True)
    assert "Mycket bra" in page and "Bra jobbat" in page and "kassa" in page.casefold()
    assert "Ja, vi skulle vilja anställa" in page


def test_coach_page_shows_link_and_confirmed_skill(client, ongoing, db):
    w, m, placement = ongoing
    login(client, w.coach.email)
    page = client.get(f"/coach/placements/{m.id}").get_data(as_text=True)
    assert "/handledare/bedomning/" in page
    supervisor_assessments.submit(
        placement, "mid", _answers(competences=["kassa"]), actor=w.employer_user
    )
    page = client.get(f"/coach/placements/{m.id}").get_data(as_text=True)
    assert "Bekräftade kompetenser" in page


def test_reminder_when_missing_once(app, ongoing, db):
    w, m, placement = ongoing
    # mid-point of 1–29 December is 15 December
    assert supervisor_assessments.send_reminders(date(2026, 12, 14))["sent"] == 0
    assert supervisor_assessments.send_reminders(date(2026, 12, 16))["sent"] == 2
    assert supervisor_assessments.send_reminders(date(2026, 12, 17))["sent"] == 0
    note = db.scalar(
        select(Notification).where(Notification.kind == "assessment.supervisor_missing")
    )
    assert note.user_id == w.employer_user.id
    assert note.link == f"/employer/placements/{m.id}/assessment/mid"


def test_confirmed_skill_lifts_the_ranking_with_a_reason(app, db):
    w = make_world(skills=["kassa", "truckkort"])
    # Two offers alike but for the skill each wants.
    shop = make_offer(make_workplace(w.employer), title="Medarbetare", skills_required=["kassa"])
    store = make_offer(
        make_workplace(w.employer), title="Medarbetare", skills_required=["truckkort"]
    )
    db.commit()
    suggestions.refresh_participant(w.participant.id)
    before = {m.offer_id: m.score for m in db.scalars(select(Match))}
    before_rank = {m.offer_id: m.rank for m in db.scalars(select(Match))}
    db.add(
        ConfirmedSkill(
            participant_id=w.participant.id,
            skill="kassa",
            source="Handledare, Test AB",
            confirmed_on=date(2026, 12, 1),
        )
    )
    db.commit()
    suggestions.refresh_participant(w.participant.id)
    db.expire_all()
    after = {m.offer_id: m for m in db.scalars(select(Match))}
    assert after[shop.id].score >= before[shop.id] * (1 + ranking_adjust.CONFIRMED_BOOST) - 1e-6
    assert after[store.id].score == pytest.approx(before[store.id])
    codes = [r["code"] for r in after[shop.id].reasons]
    assert "confirmed_skill" in codes
    # It moves up (or stays first): it never falls behind an offer it was ahead of.
    assert after[shop.id].rank <= before_rank[shop.id]


def test_employer_backlog_lowers_softly_with_a_reason(app, db):
    from matcher.types import Suggestion
    from services.ranking_adjust import adjust

    w = make_world()
    for _ in range(3):
        other = make_world()
        m = other.match("interested", offer=w.offer)
        assert m.status == "interested"
    db.commit()
    s = Suggestion(
        participant_id=str(w.participant.id), offer_id=str(w.offer.id), rank=1, score=0.5
    )
    (got,) = adjust(w.participant, [s])
    assert got.score == pytest.approx(0.5 * 0.94)
    assert [r.code for r in got.reasons] == ["employer_backlog"]
    assert got.reasons[0].params == {"count": 3}
