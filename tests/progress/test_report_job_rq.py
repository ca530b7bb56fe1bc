"""Does a report built by a real rq worker (another process) hold the same figures as the page?"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import models
import models.db
from jobs.reports import build_report
from models import JobRun, Session
from services import queue
from services.reports import build
from services.reports.scope import Filters, scope_for
from tests.conftest import ROOT, make_database
from tests.progress.fixture import AS_OF, END, START
from tests.progress.fixture import build as build_fixture


def test_real_rq_worker_builds_the_report(redis_url, tmp_path):
    from web import create_app

    database = make_database("sqlite", tmp_path)
    queue_name = f"test-{uuid.uuid4().hex[:8]}"
    config = {"DATABASE_URL": database.url, "REDIS_URL": redis_url, "RQ_QUEUE": queue_name}
    try:
        app = create_app(config | {"JOBS_MODE": "rq", "MAIL_FILE": str(tmp_path / "mail.log")})
        with app.app_context():
            fx = build_fixture()
            scope = scope_for(fx.manager_a, Filters(start=START, end=END))
            direct = build.build("funnel", scope, AS_OF)
            run_id = queue.enqueue(
                build_report,
                "funnel",
                scope.to_json(),
                AS_OF.isoformat(),
                requested_by_id=fx.manager_a.id,
            )
            Session.commit()
        done = subprocess.run(
            [sys.executable, "-m", "web.worker", "--burst"],
            cwd=ROOT,
            env={**os.environ, **config, "MAIL_FILE": str(tmp_path / "mail.log")},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        with app.app_context():
            Session.expire_all()
            run = Session.get(JobRun, run_id)
            assert (run.status, run.progress) == ("done", 1.0)
            assert run.result == direct
    finally:
        models.db.dispose()
        queue.configure(mode="sync")
        database._cleanup()
