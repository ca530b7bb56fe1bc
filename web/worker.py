"""The rq worker entry point (`python -m web.worker`, the Procfile's `worker:` line).

It builds the app once and runs every job inside its app context, so jobs see the same settings
and database session set-up as requests do.
"""

from __future__ import annotations

import sys

from redis import Redis
from rq import Queue, SimpleWorker, Worker

from web import create_app


class AppWorker(Worker):
    app = None

    def perform_job(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        import models

        with self.app.app_context():
            # The work horse is a fork: never share the parent's pooled connections.
            models.Session.get_bind().dispose(close=False)
            try:
                return super().perform_job(*args, **kwargs)
            finally:
                models.Session.remove()


class AppSimpleWorker(SimpleWorker):
    app = None

    def perform_job(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        import models

        with self.app.app_context():
            try:
                return super().perform_job(*args, **kwargs)
            finally:
                models.Session.remove()


def main(argv: list[str] | None = None) -> int:
    app = create_app({"JOBS_MODE": "rq"})
    url = app.config["REDIS_URL"]
    if not url:
        print("REDIS_URL is not set: nothing to work for (jobs run in-process).", file=sys.stderr)
        return 2
    burst = "--burst" in (argv if argv is not None else sys.argv[1:])
    connection = Redis.from_url(url)
    # --simple: jobs run in this process rather than a fork per job, so per-process caches (the
    # offer index) are built once and serve every job: the whole-installation refresh's chunks.
    cls = (
        AppSimpleWorker if "--simple" in (argv if argv is not None else sys.argv[1:]) else AppWorker
    )
    cls.app = app
    worker = cls([Queue(app.config["RQ_QUEUE"], connection=connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
