"""The workflow's pages: the loop through HTTP, what each side sees, and who is refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AuditEvent, Match, Notification, Offer
from services import suggestions
from services.queue import task_name
from tests.conftest import login
from tests.factories import make_offer, make_unit, make_user, make_workplace
from tests.workflow.helpers import make_world


@pytest.fixture
def world(app, db):
    w = make_world(skills=["truckkort"])
    db.commit()
    return w


def test_loop_through_the_pages(client, db, world):
    """Coach approves, participant says yes, employer accepts, coach plans/starts/ends."""
    w = world
    suggestions.refresh_participant(w.participant.id)
    m = db.scalar(select(Match).where(Match.participant_id == w.participant.id))
    login(client, w.coach.email)
    page = client.get(f"/coach/participants/{w.participant.id}/suggestions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert w.offer.title in html and "har det som krävs: truckkort" in html
    r = client.post(f"/coach/matches/{m.id}/approve", data={f"a{m.id}-note": "Passar dig!"})
    assert r.status_code == 302
    assert db.get(Match, m.id).status == "proposed"
    client.post("/logout")

    login(client, w.participant_user.email)
    html = client.get("/me/proposals").get_data(as_text=True)
    assert w.offer.title in html and "Väntar på ditt svar" in html
    detail = client.get(f"/me/proposals/{m.id}").get_data(as_text=True)
    assert "Passar dig!" in detail and "Ja, jag är intresserad" in detail
    r = client.post(f"/me/proposals/{m.id}", data={"answer": "yes", "comment": "Gärna"})
    assert r.status_code == 302
    assert db.get(Match, m.id).status == "interested"
    client.post("/logout")

    login(client, w.employer_user.email)
    html = client.get(f"/employer/offers/{w.offer.id}/candidates").get_data(as_text=True)
    assert "Intresserad" in html and w.participant.last_name not in html  # no consent to name
    r = client.post(f"/employer/candidates/{m.id}/answer", data={f"c{m.id}-decision": "accept"})
    assert r.status_code == 302
    assert db.get(Match, m.id).status == "accepted"
    assert db.get(Offer, w.offer.id).filled == 1
    client.post("/logout")

    login(client, w.coach.email)
    assert client.get(f"/coach/placements/{m.id}").status_code == 200
    r = client.post(f"/coach/placements/{m.id}/plan", data={"start_on": "2026-12-01"})
    assert r.status_code == 302, r.get_data(as_text=True)
    # The placement starts only once the agreement is confirmed (here: signed on paper).
    assert client.post(f"/coach/placements/{m.id}/start").status_code == 409
    r = client.post(f"/coach/placements/{m.id}/agreement/paper", data={"paper_note": "I akten"})
    assert r.status_code == 302
    assert client.post(f"/coach/placements/{m.id}/start").status_code == 302
    r = client.post(
        f"/coach/placements/{m.id}/note",
        data={"note": "Bra start", "days_expected": "5", "days_attended": "5"},
    )
    assert r.status_code == 302
    r = client.post(
        f"/coach/placements/{m.id}/end",
        data={"outcome": "employment", "outcome_on": "2026-12-28", "record_exit": "y"},
    )
    assert r.status_code == 302
    db.expire_all()
    assert db.get(Match, m.id).status == "completed"
    assert w.participant.exit_outcome == "employment"
    assert w.participant.exited_on == date(2026, 12, 28)
    notes = db.scalars(select(Notification.kind).where(Notification.user_id == w.coach.id)).all()
    assert set(notes) == {"answer.participant_yes", "answer.employer_yes"}
    html = client.get("/notifications/").get_data(as_text=True)
    # The coach planned, started and ended the placement after both answers: acting on the
    # match dealt with its notices, so none is left unread.
    assert "olästa" not in html and "oläst" not in html
    assert (
        db.scalar(
            select(Notification.id).where(
                Notification.user_id == w.coach.id, Notification.read_at.is_(None)
            )
        )
        is None
    )


def test_reject_needs_a_listed_reason(client, db, world):
    m = world.match("suggested")
    db.commit()
    login(client, world.coach.email)
    r = client.post(f"/coach/matches/{m.id}/reject", data={f"r{m.id}-reason": "nonsense"})
    assert r.status_code == 400
    assert db.get(Match, m.id).status == "suggested"
    r = client.post(
        f"/coach/matches/{m.id}/reject",
        data={f"r{m.id}-reason": "distance", f"r{m.id}-note": "Bussen går inte dit"},
    )
    assert r.status_code == 302
    m = db.get(Match, m.id)
    assert m.status == "rejected" and m.rejection_note == "Bussen går inte dit"


def test_invalid_transition_is_409_with_message(client, db, world):
    m = world.match("proposed")
    db.commit()
    login(client, world.coach.email)
    r = client.post(f"/coach/matches/{m.id}/approve")
    assert r.status_code == 409
    assert "Det går inte nu" in r.get_data(as_text=True)
    assert db.get(Match, m.id).status == "proposed"


def test_manual_match_with_conflict_needs_override_and_note(client, db, world):
    """Can a coach propose an infeasible offer? Only deliberately: override + a note."""
    far = make_offer(make_workplace(lat=55.6, lon=13.0, municipality="Malmö"), title="Kock")
    db.commit()
    login(client, world.coach.email)
    url = f"/coach/participants/{world.participant.id}/manual"
    r = client.post(url, data={"manual-offer_id": far.id})
    assert r.status_code == 422
    assert "för långt hemifrån" in r.get_data(as_text=True)
    r = client.post(url, data={"manual-offer_id": far.id, "manual-override": "y"})
    assert r.status_code == 422  # no note, no override
    r = client.post(
        url,
        data={"manual-offer_id": far.id, "manual-override": "y", "manual-note": "Flyttar dit"},
    )
    assert r.status_code == 302
    m = db.scalar(select(Match).where(Match.offer_id == far.id))
    assert m.status == "proposed" and m.source == "manual"
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "match.manual"))
    assert event.details["conflicts"] == ["distance"] and event.details["override"] is True


def test_manual_match_feasible_goes_straight_through(client, db, world):
    offer2 = make_offer(title="Truckförare")
    db.commit()
    login(client, world.coach.email)
    r = client.post(
        f"/coach/participants/{world.participant.id}/manual", data={"manual-offer_id": offer2.id}
    )
    assert r.status_code == 302
    m = db.scalar(select(Match).where(Match.offer_id == offer2.id))
    assert m.status == "proposed" and m.score is not None


def test_why_excluded_lists_reasons(client, db, world):
    make_offer(make_workplace(lat=55.6, lon=13.0, municipality="Malmö"), title="Långt bort")
    db.commit()
    login(client, world.coach.email)
    html = client.get(f"/coach/participants/{world.participant.id}/suggestions?why=1").get_data(
        as_text=True
    )
    assert "Långt bort" in html and "för långt hemifrån" in html


def test_refresh_button_runs_a_job_and_shows_progress(client, db, world):
    login(client, world.coach.email)
    r = client.post(f"/coach/participants/{world.participant.id}/suggestions/refresh")
    assert r.status_code == 302 and "job=" in r.location
    job_id = r.location.split("job=")[1]
    assert client.get(f"/api/jobs/{job_id}").get_json()["status"] == "done"
    assert db.scalar(select(Match).where(Match.participant_id == world.participant.id))


def test_caseload_queue_filters_and_pages(client, db, world):
    suggestions.refresh_participant(world.participant.id)
    login(client, world.coach.email)
    html = client.get("/coach/suggestions").get_data(as_text=True)
    assert world.offer.title in html
    html = client.get("/coach/suggestions?kind=arbetstraning").get_data(as_text=True)
    assert "Inga förslag matchar filtren" in html
    assert client.get("/coach/suggestions?max_km=-3").status_code == 400
    assert client.get("/coach/suggestions?kind=bogus").status_code == 400
    r = client.post("/coach/suggestions/refresh")
    assert r.status_code == 302


def test_coach_home_shows_rapid_start(client, db, world):
    login(client, world.coach.email)
    html = client.get("/coach/").get_data(as_text=True)
    assert "Snabbstart" in html and "inget godkänt förslag" in html


def test_audit_page_filters(client, db, world):
    admin = make_user("admin")
    m = world.match("suggested")
    db.commit()
    from services import workflow

    workflow.reject(m, world.coach, "skills")
    login(client, admin.email)
    html = client.get("/admin/audit?action=match.").get_data(as_text=True)
    assert "Avvisade ett förslag" in html
    html = client.get("/admin/audit?action=login.").get_data(as_text=True)
    assert "Avvisade ett förslag" not in html.split("<tbody>")[1]
    assert client.get("/admin/audit?date_from=2026-12-01&date_to=2026-11-01").status_code == 400
    assert client.get("/admin/audit?subject_id=abc").status_code == 400


# --- access: other unit's coach, other employer, other participant -------------------------------


def _others(w):
    unit = make_unit()
    return {
        "coach": make_user("coach", unit_id=unit.id),
        "employer": make_user("employer", employer_id=make_workplace().employer_id),
        "participant": make_user("participant", unit_id=w.participant.unit_id),
    }


COACH_ROUTES = [
    ("get", "/coach/participants/{p}/suggestions"),
    ("post", "/coach/participants/{p}/suggestions/refresh"),
    ("post", "/coach/participants/{p}/manual"),
    ("post", "/coach/matches/{m}/approve"),
    ("post", "/coach/matches/{m}/reject"),
    ("post", "/coach/matches/{m}/withdraw"),
    ("post", "/coach/matches/{m}/propose"),
    ("post", "/coach/matches/{m}/answer"),
    ("get", "/coach/placements/{m}"),
    ("post", "/coach/placements/{m}/plan"),
    ("post", "/coach/placements/{m}/start"),
    ("post", "/coach/placements/{m}/note"),
    ("post", "/coach/placements/{m}/end"),
]


@pytest.mark.parametrize(("method", "route"), COACH_ROUTES)
def test_other_units_coach_gets_404(client, db, world, method, route):
    m = world.match("accepted")
    others = _others(world)
    db.commit()
    login(client, others["coach"].email)
    url = route.format(p=world.participant.id, m=m.id)
    assert getattr(client, method)(url).status_code == 404
    assert db.get(Match, m.id).status == "accepted"


@pytest.mark.parametrize(
    ("method", "route"),
    [("get", "/me/proposals/{m}"), ("post", "/me/proposals/{m}")],
)
def test_other_participant_gets_404(client, db, world, method, route):
    m = world.match("proposed")
    others = _others(world)
    from tests.factories import make_participant

    make_participant(world.participant.unit, user_id=others["participant"].id)
    db.commit()
    login(client, others["participant"].email)
    r = getattr(client, method)(route.format(m=m.id), data={"answer": "yes"})
    assert r.status_code == 404
    assert db.get(Match, m.id).status == "proposed"


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("get", "/employer/offers/{o}/candidates"),
        ("post", "/employer/candidates/{m}/answer"),
        ("post", "/employer/candidates/{m}/note"),
    ],
)
def test_other_employer_gets_404(client, db, world, method, route):
    m = world.match("interested")
    others = _others(world)
    db.commit()
    login(client, others["employer"].email)
    r = getattr(client, method)(route.format(o=world.offer.id, m=m.id))
    assert r.status_code == 404
    assert db.get(Match, m.id).status == "interested"


def test_employer_does_not_see_a_merely_proposed_participant(client, db, world):
    m = world.match("proposed")
    db.commit()
    login(client, world.employer_user.email)
    assert client.post(f"/employer/candidates/{m.id}/answer").status_code == 404
    html = client.get(f"/employer/offers/{world.offer.id}/candidates").get_data(as_text=True)
    assert "Inga kandidater ännu" in html


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("participant", "/coach/suggestions"),
        ("employer", "/coach/participants/1/suggestions"),
        ("coach", "/admin/audit"),
        ("coach", "/me/proposals"),
        ("participant", "/employer/offers/1/candidates"),
    ],
)
def test_wrong_role_is_403(client, db, world, role, url):
    user = {
        "participant": world.participant_user,
        "employer": world.employer_user,
        "coach": world.coach,
    }[role]
    login(client, user.email)
    assert client.get(url).status_code == 403


def test_notification_of_another_user_is_404(client, db, world):
    m = world.match("proposed")
    db.commit()
    from services import workflow

    workflow.answer(m, world.participant_user, True)
    note = db.scalar(select(Notification).where(Notification.user_id == world.coach.id))
    login(client, world.employer_user.email)
    assert client.post(f"/notifications/{note.id}/open").status_code == 404
    client.post("/logout")
    login(client, world.coach.email)
    r = client.post(f"/notifications/{note.id}/open")
    assert r.status_code == 302 and "/suggestions" in r.location
    assert db.get(Notification, note.id).read_at is not None


def test_supervisor_note_on_an_ongoing_placement(client, db, world):
    from services import placements, workflow

    m = world.match("interested")
    db.commit()
    workflow.employer_answer(m, world.employer_user, True)
    placement = placements.plan(m, world.coach, date(2026, 12, 1))
    login(client, world.employer_user.email)
    url = f"/employer/candidates/{m.id}/note"
    bad = client.post(url, data={f"n{m.id}-days_expected": "2", f"n{m.id}-days_attended": "5"})
    assert bad.status_code == 409  # more days attended than expected
    r = client.post(
        url, data={f"n{m.id}-note": "Kom i tid varje dag", f"n{m.id}-days_expected": "3"}
    )
    assert r.status_code == 302
    notes = placements.notes(placement)
    assert [(n.author_role, n.note) for n in notes] == [("employer", "Kom i tid varje dag")]


def test_coach_records_answer_on_behalf(client, db, world):
    m = world.match("proposed")
    db.commit()
    login(client, world.coach.email)
    assert client.post(f"/coach/matches/{m.id}/answer", data={"answer": "maybe"}).status_code == 400
    assert client.post(f"/coach/matches/{m.id}/answer", data={"answer": "yes"}).status_code == 302
    assert db.get(Match, m.id).status == "interested"
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "match.interested"))
    assert event.actor_id == world.coach.id and event.details["on_behalf"] is True


def test_exclusions_shown_are_logged_as_a_sensitive_read(client, db, world):
    """Exclusions for physical demands are read out of health constraints: is that logged?"""
    world.participant.cannot = ["heavy_lifting"]
    make_offer(title="Flyttarbete", physical_demands=["heavy_lifting"])
    db.commit()
    login(client, world.coach.email)
    client.get(f"/coach/participants/{world.participant.id}/suggestions?why=1")
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "participant.sensitive.view"))
    assert event is not None and event.subject_id == world.participant.id
    assert event.actor_id == world.coach.id and event.details["fields"] == ["cannot", "needs"]


def test_unit_admin_sees_only_their_units_audit_events(client, db, world):
    """Does a unit's manager see another unit's decisions in the audit log? No."""
    from services import workflow

    mine = make_user("admin", unit_id=world.participant.unit_id)
    other = make_world()
    m1, m2 = world.match("suggested"), other.match("suggested")
    db.commit()
    workflow.reject(m1, world.coach, "skills")
    workflow.reject(m2, other.coach, "timing")
    login(client, mine.email)
    html = client.get("/admin/audit?action=match.reject").get_data(as_text=True)
    assert f"{world.coach.name} (coach)" in html and f"{other.coach.name} (coach)" not in html


def test_reasons_render_in_the_readers_language(client, db, world):
    """Are the same stored reasons shown in English to an English reader?"""
    suggestions.refresh_participant(world.participant.id)
    login(client, world.coach.email)
    url = f"/coach/participants/{world.participant.id}/suggestions"
    assert "har det som krävs: truckkort" in client.get(url).get_data(as_text=True)
    html = client.get(url + "?lang=en").get_data(as_text=True)
    assert "matches required skill &#39;truckkort&#39;" in html


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("plan", {"start_on": "not-a-date"}),
        ("plan", {"start_on": "2026-12-10", "end_on": "2026-12-01"}),
        ("plan", {"start_on": "2026-12-10", "hours_per_week": "90"}),
    ],
)
def test_bad_placement_input_is_4xx_with_message(client, db, world, path, data):
    m = world.match("accepted")
    world.offer.filled = 1
    db.commit()
    login(client, world.coach.email)
    r = client.post(f"/coach/placements/{m.id}/{path}", data=data)
    assert 400 <= r.status_code < 500
    assert "Fel:" in r.get_data(as_text=True)
    assert db.get(Match, m.id).status == "accepted"


def test_bad_end_input_is_4xx(client, db, world):
    from services import placements

    m = world.match("accepted")
    world.offer.filled = 1
    db.commit()
    from services import agreements

    placement = placements.plan(m, world.coach, date(2026, 12, 1))
    agreements.record_paper_signature(placement, world.coach, "I akten")
    placements.start(placement, world.coach)
    login(client, world.coach.email)
    r = client.post(f"/coach/placements/{m.id}/end", data={"outcome": "lottery", "outcome_on": "x"})
    assert r.status_code == 400
    assert db.get(Match, m.id).status == "ongoing"


def test_participant_bad_answer_is_400(client, db, world):
    m = world.match("proposed")
    db.commit()
    login(client, world.participant_user.email)
    r = client.post(f"/me/proposals/{m.id}", data={"answer": "maybe"})
    assert r.status_code == 400
    assert db.get(Match, m.id).status == "proposed"


def test_coach_asks_to_see_rejected_offers_again(client, db, world):
    from services import workflow

    suggestions.refresh_participant(world.participant.id)
    m = db.scalar(select(Match).where(Match.participant_id == world.participant.id))
    workflow.reject(m, world.coach, "timing")
    suggestions.refresh_participant(world.participant.id)
    assert db.get(Match, m.id).status == "rejected"
    login(client, world.coach.email)
    url = f"/coach/participants/{world.participant.id}/suggestions/refresh"
    assert client.post(url, data={"reconsider": "1"}).status_code == 302
    assert db.get(Match, m.id).status == "suggested"
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "match.reconsidered"))
    assert event.actor_id == world.coach.id and event.subject_id == m.id


def test_caseload_queue_pages_through_many_suggestions(client, db, world):
    """30 suggestions: page 1 shows 25, page 2 the other 5, with links between them."""
    from models import Participant
    from tests.factories import make_participant

    unit = db.get(Participant, world.participant.id).unit
    for n in range(30):
        p = make_participant(unit, world.coach)
        db.add(
            Match(participant_id=p.id, offer_id=world.offer.id, status="suggested", score=n / 100)
        )
    db.commit()
    login(client, world.coach.email)
    first = client.get("/coach/suggestions").get_data(as_text=True)
    assert first.count('href="/coach/participants/') == 25
    assert "Sida 1 av 2" in first and "page=2" in first
    second = client.get("/coach/suggestions?page=2").get_data(as_text=True)
    assert second.count('href="/coach/participants/') == 5
    assert client.get("/coach/suggestions?page=99").status_code == 200  # clamped to the last


def test_failed_refresh_is_shown(client, db, world):
    """When the last refresh failed, does the page say so rather than look up to date?"""
    from models import JobRun

    db.add(
        JobRun(
            id="f" * 32,
            name=task_name(suggestions.refresh_participant_job),
            subject_type="participant",
            subject_id=world.participant.id,
            status="failed",
        )
    )
    db.commit()
    login(client, world.coach.email)
    html = client.get(f"/coach/participants/{world.participant.id}/suggestions").get_data(
        as_text=True
    )
    assert "uppdateringen av förslagen misslyckades" in html
