"""The queue: sent only after commit, idempotent, and run by a real rq worker on real Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

import models
import models.db
from models import JobRun, OutboxEmail, Session
from services import queue
from services.outbox import send_outbox_email
from tests import tasks
from tests.conftest import ROOT, make_database


def _outbox(**kw):
    mail = OutboxEmail(
        dedupe_key=kw.pop("dedupe_key", uuid.uuid4().hex),
        to_address="deltagare@test.example",
        subject=kw.pop("subject", "Ett förslag på arbetsplats"),
        body="Hej!",
    )
    Session.add(mail)
    Session.flush()
    return mail


def test_job_is_not_sent_when_the_transaction_rolls_back(app, db):
    """Does a rolled-back request still send its job? It must not."""
    mail = _outbox()
    db.commit()
    queue.enqueue(send_outbox_email, mail.id)
    db.rollback()
    assert queue.run_ready() == 0
    assert db.get(OutboxEmail, mail.id).sent_at is None


def test_job_runs_after_commit_and_records_its_run(app, db, tmp_path):
    mail = _outbox(subject="Förslag: Lagerarbetare")
    run_id = queue.enqueue(send_outbox_email, mail.id, title="E-post")
    assert queue.run_ready() == 0  # not before commit
    db.commit()
    assert queue.run_ready() == 1
    run = db.get(JobRun, run_id)
    assert run.status == "done" and run.progress == 1.0
    assert run.result == {"status": "sent"}
    assert "Förslag: Lagerarbetare" in (tmp_path / "outbox.log").read_text(encoding="utf-8")


def test_running_twice_sends_once(app, db, tmp_path):
    """Is an e-mail ever sent twice when its job is delivered twice? No."""
    mail = _outbox(subject="Bara en gång")
    run_id = queue.enqueue(send_outbox_email, mail.id)
    db.commit()
    queue.run_ready()
    db.get(JobRun, run_id).status = "queued"  # as if the queue delivered it again
    db.commit()
    assert queue.execute(run_id, queue.task_name(send_outbox_email), (mail.id,)) == {
        "status": "already_sent"
    }
    assert (tmp_path / "outbox.log").read_text(encoding="utf-8").count("Bara en gång") == 1


def test_job_tolerates_a_deleted_row(app, db):
    mail = _outbox()
    run_id = queue.enqueue(send_outbox_email, mail.id)
    db.commit()
    db.delete(mail)
    db.commit()
    queue.run_ready()
    assert db.get(JobRun, run_id).result == {"status": "missing"}


def test_coalesced_jobs_wait_as_one(app, db):
    first = queue.enqueue(send_outbox_email, 1, subject=("participants", 7), coalesce=True)
    db.flush()
    second = queue.enqueue(send_outbox_email, 1, subject=("participants", 7), coalesce=True)
    assert first == second


def test_a_job_is_recorded_by_its_function_s_dotted_path(app, db):
    """Does the run row hold the path a worker in another process imports the task by?"""
    run_id = queue.enqueue(send_outbox_email, 1)
    run = db.get(JobRun, run_id)
    assert run.name == "services.outbox.send_outbox_email"
    assert run.title == "send_outbox_email"


def test_a_task_a_worker_could_not_import_is_refused_at_once(app, db):
    """Is a lambda or a nested function refused when enqueued, not when a worker meets it?"""

    def nested() -> None:
        pass

    for task in (lambda: None, nested):
        with pytest.raises(ValueError, match="module-level function"):
            queue.enqueue(task)
    assert db.scalar(select(func.count(JobRun.id))) == 0


def test_failed_job_is_marked_failed_with_its_error(app, db):
    run_id = queue.enqueue(tasks.explode)
    db.commit()
    with pytest.raises(RuntimeError):
        queue.run_ready()
    run = db.get(JobRun, run_id)
    assert run.status == "failed" and "boom" in run.message


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_real_rq_worker_runs_the_job(backend, redis_url, tmp_path):
    """A job sent by the app through Redis is run by `python -m web.worker` in another process."""
    from web import create_app

    database = make_database(backend, tmp_path)
    queue_name = f"test-{uuid.uuid4().hex[:8]}"
    mail_file = tmp_path / "worker-outbox.log"
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "REDIS_URL": redis_url,
        "RQ_QUEUE": queue_name,
        "MAIL_FILE": str(mail_file),
    }
    try:
        app = create_app(
            {
                "DATABASE_URL": database.url,
                "REDIS_URL": redis_url,
                "JOBS_MODE": "rq",
                "RQ_QUEUE": queue_name,
                "MAIL_FILE": str(mail_file),
            }
        )
        with app.app_context():
            mail = _outbox(subject="Från rq-arbetaren")
            run_id = queue.enqueue(send_outbox_email, mail.id, retries=2)
            Session.commit()
            mail_id = mail.id
        done = subprocess.run(
            [sys.executable, "-m", "web.worker", "--burst"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        with app.app_context():
            Session.expire_all()
            assert Session.get(JobRun, run_id).status == "done"
            assert Session.get(OutboxEmail, mail_id).sent_at is not None
        assert "Från rq-arbetaren" in Path(mail_file).read_text(encoding="utf-8")
    finally:
        models.db.dispose()
        queue.configure(mode="sync")
        database._cleanup()
