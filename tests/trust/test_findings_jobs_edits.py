"""Audit findings: a Redis outage during a save, and two coaches saving one profile."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time

import pytest
from sqlalchemy import select

from models import JobRun, Participant, Session
from services import participants, queue, suggestions
from services.queue import task_name
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user
from tests.portals.test_participants import _profile

REFRESH = task_name(suggestions.refresh_participant_job)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, on another port, that the test may stop."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from redis import Redis

    conn = Redis(port=port, socket_connect_timeout=1)
    for _ in range(50):
        try:
            conn.ping()
            break
        except Exception:  # noqa: BLE001
            time.sleep(0.1)
    yield proc, f"redis://127.0.0.1:{port}/0"
    conn.close()
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


def _edit_form(p: Participant, **overrides: object) -> dict[str, object]:
    form = _profile(**overrides)
    for key in ("personnummer", "cannot", "needs", "health_notes"):
        form.pop(key)
    return form


def test_a_save_while_redis_is_down_is_kept_and_does_not_block_later_refreshes(
    app, client, db, own_redis
):
    """Redis stops mid-save: does the coach get an error page, and do that participant's
    suggestions never refresh again? Neither: the save is kept, the job is marked failed, and
    the next save once Redis is back sends a new job."""
    proc, url = own_redis
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach)
    Session.commit()
    login(client, coach.email)
    queue.configure(mode="rq", redis_url=url, queue_name="outage-test")
    try:
        proc.terminate()
        proc.wait(timeout=10)
        response = client.post(
            f"/coach/participants/{p.id}/edit", data=_edit_form(p, first_name="Bea")
        )
        assert response.status_code == 302
        follow = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "inte uppdateras just nu" in follow
        db.expire_all()
        assert db.get(Participant, p.id).first_name == "Bea"  # the save itself committed
        runs = db.scalars(
            select(JobRun).where(JobRun.subject_id == p.id, JobRun.name == REFRESH)
        ).all()
        assert [r.status for r in runs] == ["failed"]
        assert "not sent" in runs[0].message

        # Redis is back (a new server on the same port): the next save sends a new job.
        port = url.rsplit(":", 1)[1].split("/")[0]
        back = subprocess.Popen(
            ["redis-server", "--port", port, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            from redis import Redis

            conn = Redis.from_url(url, socket_connect_timeout=1)
            for _ in range(50):
                try:
                    conn.ping()
                    break
                except Exception:  # noqa: BLE001
                    time.sleep(0.1)
            response = client.post(
                f"/coach/participants/{p.id}/edit", data=_edit_form(p, first_name="Cissi")
            )
            assert response.status_code == 302
            db.expire_all()
            runs = db.scalars(
                select(JobRun)
                .where(JobRun.subject_id == p.id, JobRun.name == REFRESH)
                .order_by(JobRun.created_at)
            ).all()
            assert [r.status for r in runs] == ["failed", "queued"]
            assert conn.exists(f"rq:job:{runs[1].id}")  # really sent this time
            conn.close()
        finally:
            back.terminate()
            back.wait(timeout=10)
    finally:
        queue.configure(mode="sync")


def test_an_old_queued_row_is_not_reused_by_coalescing(app, db, time_machine):
    """A row left `queued` (sent nowhere) must not swallow later refreshes for good."""
    time_machine.move_to("2026-12-01 08:00:00+00:00", tick=False)
    first = queue.enqueue(
        suggestions.refresh_participant_job, 1, subject=("participants", 1), coalesce=True
    )
    db.commit()
    queue.dispatcher.ready_list().clear()  # as if it never reached a worker
    assert (
        queue.enqueue(
            suggestions.refresh_participant_job, 1, subject=("participants", 1), coalesce=True
        )
        == first
    )
    time_machine.move_to("2026-12-01 09:00:00+00:00", tick=False)
    later = queue.enqueue(
        suggestions.refresh_participant_job, 1, subject=("participants", 1), coalesce=True
    )
    assert later != first
    db.rollback()


def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_two_coaches_saving_one_profile_the_second_gets_a_conflict(fresh, db):
    """Two real sessions open the same profile and both save: is the first change lost? No:
    the second gets 409 with a clear message and the first one's change stays."""
    unit = make_unit()
    first_coach = make_user("coach", unit_id=unit.id)
    second_coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, first_coach, first_name="Alma", phone="")
    Session.commit()
    one, two = fresh.test_client(), fresh.test_client()
    login(one, first_coach.email)
    login(two, second_coach.email)
    v1 = _version(one.get(f"/coach/participants/{p.id}/edit").get_data(as_text=True))
    v2 = _version(two.get(f"/coach/participants/{p.id}/edit").get_data(as_text=True))
    assert v1 == v2
    saved = one.post(
        f"/coach/participants/{p.id}/edit",
        data={**_edit_form(p, phone="070-111 11 11"), "version": v1},
    )
    assert saved.status_code == 302
    refused = two.post(
        f"/coach/participants/{p.id}/edit",
        data={**_edit_form(p, first_name="Berit"), "version": v2},
    )
    assert refused.status_code == 409
    assert "Någon annan har ändrat profilen" in refused.get_data(as_text=True)
    db.expire_all()
    kept = db.get(Participant, p.id)
    assert kept.phone == "070-111 11 11" and kept.first_name == "Alma"
    # Opened again, the second coach gets the new version and can save.
    v3 = _version(two.get(f"/coach/participants/{p.id}/edit").get_data(as_text=True))
    assert v3 != v2
    again = two.post(
        f"/coach/participants/{p.id}/edit",
        data={**_edit_form(p, first_name="Berit", phone="070-111 11 11"), "version": v3},
    )
    assert again.status_code == 302


def test_the_sensitive_page_is_version_checked_too(app, client, db):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach, health_notes="Första")
    Session.commit()
    login(client, coach.email)
    page = client.post(f"/coach/participants/{p.id}/sensitive", data={"open": "1"})
    version = _version(page.get_data(as_text=True))
    participants.save_sensitive(
        coach, p, personnummer="", cannot=[], needs=[], health_notes="Annan"
    )
    response = client.post(
        f"/coach/participants/{p.id}/sensitive", data={"health_notes": "Min", "version": version}
    )
    assert response.status_code == 409
    db.expire_all()
    assert db.get(Participant, p.id).health_notes == "Annan"


@pytest.mark.parametrize("name", ["Al\u202ema", "Al\u200bma", "Al\u2066ma\u2069", "A\u0007lma"])
def test_names_with_invisible_characters_are_refused(client, db, name):
    """Is a name with a bidi override or a zero-width character accepted? No: 400."""
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach, first_name="Alma")
    Session.commit()
    login(client, coach.email)
    response = client.post(f"/coach/participants/{p.id}/edit", data=_edit_form(p, first_name=name))
    assert response.status_code == 400
    assert "osynliga tecken" in response.get_data(as_text=True)
    with pytest.raises(participants.Invalid):
        participants.save(
            coach, p, participants.ProfileData("Al\u202ema", "B", "Karlskoga", p.enrolled_on)
        )
