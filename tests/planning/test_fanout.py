"""The whole-installation refresh in chunks: idempotent, resumable, one offer index."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models import Match, RefreshChunk, Session, utcnow
from services import fanout, offer_index, queue
from tests.factories import make_offer, make_participant, make_unit, make_workplace


def _installation(n: int = 5) -> None:
    unit = make_unit()
    for _ in range(n):
        make_participant(unit)
    for _ in range(3):
        make_offer(make_workplace(), capacity=2)
    Session.commit()


def _rows() -> list[tuple[int, int]]:
    return sorted(
        Session.execute(
            select(Match.participant_id, Match.offer_id).where(Match.status == "suggested")
        ).all()
    )


def test_does_a_run_cover_everyone_in_chunks_and_report_progress(db):
    _installation(5)
    run = fanout.start_refresh(chunk_size=2)
    assert [c.participants for c in run.chunks] == [2, 2, 1]
    assert queue.run_ready() == 3
    progress = fanout.progress_of(run)
    assert progress.by_status == {"done": 3} and progress.fraction == 1.0
    assert progress.participants_done == 5
    assert len(_rows()) == 15  # each of the 5 gets each of the 3 feasible offers


def test_is_a_chunk_run_twice_harmless(db):
    _installation(4)
    run = fanout.start_refresh(chunk_size=2)
    queue.run_ready()
    before = _rows()
    chunk = run.chunks[0]
    assert fanout.refresh_chunk(chunk.id) == {"chunk_id": chunk.id, "status": "skipped"}
    chunk.status = "queued"  # delivered again after it was reset
    Session.commit()
    assert fanout.refresh_chunk(chunk.id)["status"] == "done"
    assert _rows() == before


def test_does_resume_redo_only_the_chunk_of_a_dead_worker(db):
    _installation(6)
    run = fanout.start_refresh(chunk_size=2)
    queue.dispatcher.ready_list().clear()  # nothing ran: as if the workers died at once
    first, second, third = run.chunks
    fanout.refresh_chunk(first.id)
    # the second was taken by a worker that died an hour ago; the third by one still working
    second.status, second.started_at = "running", utcnow() - timedelta(hours=1)
    second.attempts = 1
    third.status, third.started_at = "running", utcnow()
    Session.commit()
    assert fanout.resume(run.id) == 2  # done chunks are not sent again
    queue.run_ready()
    Session.expire_all()
    statuses = {c.number: c.status for c in run.chunks}
    assert statuses == {0: "done", 1: "done", 2: "running"}
    assert Session.get(RefreshChunk, second.id).attempts == 2
    assert Session.get(RefreshChunk, first.id).attempts == 1


def test_is_the_offer_index_built_once_for_all_chunks(db, monkeypatch):
    _installation(6)
    offer_index.forget_indexes()
    builds = []
    real = offer_index._build
    monkeypatch.setattr(offer_index, "_build", lambda *a: builds.append(1) or real(*a))
    fanout.start_refresh(chunk_size=2)
    assert queue.run_ready() == 3
    assert len(builds) == 1


def test_is_a_bad_chunk_size_refused(db):
    import pytest

    with pytest.raises(ValueError):
        fanout.start_refresh(chunk_size=0)
    assert Session.scalar(select(func.count()).select_from(RefreshChunk)) == 0


def test_does_the_progress_page_start_a_run_and_show_it_to_the_installation_admin_only(client):
    from tests.conftest import login
    from tests.factories import make_user

    _installation(3)
    admin = make_user("admin")
    manager = make_user("admin", unit_id=make_unit().id)
    Session.commit()
    login(client, admin.email)
    assert client.post("/admin/refresh", data={"chunk_size": "7"}).status_code == 400
    assert client.post("/admin/refresh", data={"chunk_size": "x"}).status_code == 400
    assert client.post("/admin/refresh", data={"chunk_size": "50"}).status_code == 302
    page = client.get("/admin/refresh").get_data(as_text=True)
    assert "1 av 1 delar klara" in page  # the chunk ran at the end of the request (sync)
    assert client.post("/admin/refresh/999/resume", data={}).status_code == 404
    client.post("/logout")
    from flask import g

    g.pop("_login_user", None)
    login(client, manager.email)
    assert client.get("/admin/refresh").status_code == 404
