"""Suggestions stored as Match rows: ranking, staleness, decided rows left alone, scheduling."""

from __future__ import annotations

from sqlalchemy import select

import jobs.queue
from matcher import ENGINE_VERSION
from models import JobRun, Match
from services import suggestions
from tests.factories import make_offer, make_participant, make_unit, make_user, make_workplace


def _statuses(db, participant_id):
    rows = db.scalars(select(Match).where(Match.participant_id == participant_id)).all()
    return {m.offer_id: m.status for m in rows}


def test_refresh_stores_ranked_explained_suggestions(app, db):
    """Does a refresh store the feasible offers with score, reasons and distance?"""
    unit = make_unit()
    p = make_participant(unit, skills=["truckkort"], max_commute_km=30)
    near = make_offer(title="Lagerarbetare")
    far = make_offer(make_workplace(lat=55.6, lon=13.0, municipality="Malmö"))
    result = suggestions.refresh_participant(p.id)
    assert result is not None and result.suggested >= 1
    rows = {m.offer_id: m for m in db.scalars(select(Match).where(Match.participant_id == p.id))}
    assert near.id in rows and far.id not in rows
    m = rows[near.id]
    assert m.status == "suggested" and m.rank >= 1 and 0 < m.score <= 1
    assert m.engine_version == ENGINE_VERSION
    assert m.distance_km is not None and m.distance_km < 5
    assert any(r["code"] == "skill_required" for r in m.reasons)
    assert set(m.components) >= {"skills"}


def test_decided_rows_are_kept_and_rejected_not_resuggested(app, db):
    """Is an offer the coach rejected suggested again? Not unless the coach asks."""
    p = make_participant(make_unit(), max_commute_km=30)
    a, b = make_offer(), make_offer()
    suggestions.refresh_participant(p.id)
    assert _statuses(db, p.id) == {a.id: "suggested", b.id: "suggested"}
    m = db.scalar(select(Match).where(Match.participant_id == p.id, Match.offer_id == a.id))
    m.status = "rejected"
    db.commit()
    suggestions.refresh_participant(p.id)
    assert _statuses(db, p.id) == {a.id: "rejected", b.id: "suggested"}
    result = suggestions.refresh_participant(p.id, reconsider_rejected=True)
    assert result.reconsidered == 1
    assert _statuses(db, p.id) == {a.id: "suggested", b.id: "suggested"}


def test_stale_suggestion_dropped_when_offer_closes(app, db):
    p = make_participant(make_unit(), max_commute_km=30)
    a, b = make_offer(), make_offer()
    suggestions.refresh_participant(p.id)
    a.status = "closed"
    db.commit()
    result = suggestions.refresh_participant(p.id)
    assert result.dropped == 1
    assert _statuses(db, p.id) == {b.id: "suggested"}


def test_offer_change_refreshes_affected_participants(app, db):
    """Does publishing a new offer reach the participants it suits, in one coalesced job?"""
    coach = make_user("coach")
    unit = make_unit()
    p = make_participant(unit, coach, max_commute_km=30)
    suggestions.refresh_participant(p.id)
    offer = make_offer()
    first = suggestions.schedule_refresh_for_offer(offer.id, coach.id)
    again = suggestions.schedule_refresh_for_offer(offer.id, coach.id)
    assert first == again  # debounced
    db.commit()
    assert jobs.queue.run_ready() == 1
    assert db.get(JobRun, first).status == "done"
    assert _statuses(db, p.id) == {offer.id: "suggested"}


def test_participant_refresh_job_tolerates_missing_row(app, db):
    run_id = suggestions.schedule_refresh_for_participant(999999)
    db.commit()
    jobs.queue.run_ready()
    assert db.get(JobRun, run_id).result == {"status": "missing"}


def test_caseload_refresh_caps_exposure(app, db):
    """Is one attractive offer shown to far more participants than it has slots? No: at most
    ceil(3 x open slots) in a caseload run, and the others still get suggestions."""
    import math

    from sqlalchemy import func

    unit = make_unit()
    people = [make_participant(unit, max_commute_km=50) for _ in range(12)]
    star = make_offer(title="Lagerarbetare", capacity=1, skills_desired=["truckkort"])
    others = [make_offer(title=f"Lager {n}", capacity=2) for n in range(4)]
    db.commit()
    progress = []
    total = suggestions.refresh_unit(
        unit.id, top=3, exposure_multiple=3, on_progress=lambda f, m: progress.append(f)
    )
    assert total["participants"] == 12
    shown = dict(
        db.execute(
            select(Match.offer_id, func.count(Match.id))
            .where(Match.status == "suggested")
            .group_by(Match.offer_id)
        ).all()
    )
    assert shown.get(star.id, 0) <= math.ceil(3 * 1)
    for o in others:
        assert shown.get(o.id, 0) <= math.ceil(3 * 2)
    per_person = dict(
        db.execute(
            select(Match.participant_id, func.count(Match.id)).group_by(Match.participant_id)
        ).all()
    )
    assert all(per_person.get(p.id, 0) >= 1 for p in people)
    assert progress[0] == 0.0 and progress[-1] == 1.0


def test_index_survives_most_offers_closing_and_new_ones_arriving(app, db):
    """After most of the index changes (a season's offers close, new ones open), does ranking
    still work and see only the new offers?"""
    p = make_participant(make_unit(), max_commute_km=30)
    old = [make_offer(title=f"Lager {n}") for n in range(60)]
    suggestions.refresh_participant(p.id)
    for o in old:
        o.status = "closed"
    fresh = [make_offer(title="Snöröjare", skills_required=["truckkort"]) for _ in range(2)]
    db.commit()
    result = suggestions.refresh_participant(p.id)
    assert result.dropped == min(len(old), app.config["SUGGESTIONS_PER_PARTICIPANT"])
    assert set(_statuses(db, p.id)) == {o.id for o in fresh}


def test_cli_refresh_suggestions(app, db):
    p = make_participant(make_unit(), max_commute_km=30)
    make_offer()
    db.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["refresh-suggestions", "--unit", str(p.unit_id)])
    assert result.exit_code == 0, result.output
    assert "1 participants, 1 suggestions" in result.output
    bad = runner.invoke(args=["refresh-suggestions", "--unit", "999999"])
    assert bad.exit_code == 2 and "no unit with id 999999" in bad.output
