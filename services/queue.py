"""The one way to start background work: `enqueue(task, *args)`.

A job is recorded as a `JobRun` row in the caller's transaction and sent only after that
transaction commits, so a worker never looks for a row that is not there yet, and a rolled-back
request sends nothing. The task is a module-level function; its dotted path (`task_name`) is what
the `JobRun` row, Redis and the coalescing query hold, and what a worker imports. Where the job
runs depends on JOBS_MODE:

- `rq`: pushed to Redis; an rq worker (`python -m web.worker`) runs it in an app context;
- `thread`: run in this process on one background thread (the embedded default, no Redis);
- `sync`: run in the calling thread when `run_ready()` is called (end of request; tests).

The queue sits below the services so that they can enqueue their own tasks; nothing here knows
which tasks exist.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session as OrmSession

from models import JobRun, Session, utcnow
from services.retry import on_sqlite_lock

log = logging.getLogger(__name__)

_PENDING = "queue.pending"
Task = Callable[..., Any]

# A coalesced job is reused only while it is this young: a row that never left (Redis was down
# when it was sent, a worker lost it) must not swallow every later request for its subject.
COALESCE_WINDOW = timedelta(minutes=10)
# How long the web process waits for Redis before it gives up on sending a job.
REDIS_TIMEOUT_SECONDS = 5


@dataclass
class Dispatcher:
    """How jobs leave this process; configured once by the app factory or the worker."""

    mode: str = "sync"
    redis_url: str = ""
    queue_name: str = "platsmatch"
    timeout: int = 600
    wrap: Callable[[Callable[[], Any]], Any] = lambda fn: fn()  # runs fn inside an app context
    _executor: ThreadPoolExecutor | None = None
    _ready: threading.local = field(default_factory=threading.local)

    def ready_list(self) -> list[tuple[str, str, tuple[Any, ...], dict[str, Any]]]:
        if not hasattr(self._ready, "jobs"):
            self._ready.jobs = []
        return self._ready.jobs

    def send(self, run_id: str, name: str, args: tuple[Any, ...], options: dict[str, Any]) -> None:
        if self.mode == "rq":
            self._send_rq(run_id, name, args, options)
        elif self.mode == "thread":
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")
            fut: Future[Any] = self._executor.submit(self.wrap, lambda: execute(run_id, name, args))
            fut.add_done_callback(_log_failure)
        else:
            self.ready_list().append((run_id, name, args, options))

    def _send_rq(
        self, run_id: str, name: str, args: tuple[Any, ...], options: dict[str, Any]
    ) -> None:
        from redis import Redis
        from rq import Queue, Retry

        connection = Redis.from_url(
            self.redis_url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        queue = Queue(self.queue_name, connection=connection)
        retries = options.get("retries", 0)
        queue.enqueue(
            execute,
            run_id,
            name,
            args,
            job_id=run_id,
            description=options.get("title") or name,
            job_timeout=options.get("timeout") or self.timeout,
            retry=Retry(max=retries, interval=[10, 60, 300][:retries]) if retries else None,
            failure_ttl=7 * 24 * 3600,
        )

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


def _log_failure(fut: Future[Any]) -> None:
    exc = fut.exception()
    if exc is not None:
        log.error("background job failed: %r", exc)


dispatcher = Dispatcher()


def configure(**kwargs: Any) -> Dispatcher:
    dispatcher.shutdown()
    for key, value in kwargs.items():
        setattr(dispatcher, key, value)
    return dispatcher


def _resolve(name: str) -> Task:
    module_name, _, attr = name.rpartition(".")
    return getattr(import_module(module_name), attr)  # type: ignore[no-any-return]


def task_name(task: Task) -> str:
    """The dotted path a worker imports `task` by.

    Only a module-level function has one that leads back to it: a lambda, a nested function or
    a method would be recorded and then fail in the worker, so they are refused here, at once.
    """
    name = f"{task.__module__}.{task.__qualname__}"
    if "." in task.__qualname__ or "<" in task.__qualname__ or _resolve(name) is not task:
        raise ValueError(f"{name} is not a module-level function a worker can import")
    return name


def enqueue(
    task: Task,
    *args: Any,
    title: str = "",
    subject: tuple[str, int] | None = None,
    coalesce: bool = False,
    requested_by_id: int | None = None,
    timeout: int | None = None,
    retries: int = 0,
    session: OrmSession | None = None,
) -> str:
    """Record a job and send it after the current transaction commits; return its id.

    `task` is a module-level function (`outbox.send_outbox_email`); args must be plain ids or
    values. With `coalesce`, a job for the same task and subject still waiting is reused: many
    quick profile edits cause one refresh, not twenty (the debounce the coach view relies on).
    """
    name = task_name(task)
    _listen()
    db = session or Session()
    subject_type, subject_id = subject or ("", None)
    if coalesce:
        waiting = db.scalar(
            select(JobRun)
            .where(
                JobRun.name == name,
                JobRun.subject_type == subject_type,
                JobRun.subject_id == subject_id,
                JobRun.status == "queued",
                JobRun.created_at >= utcnow() - COALESCE_WINDOW,
            )
            .order_by(JobRun.created_at.desc())
            .limit(1)
        )
        if waiting is not None:
            return waiting.id
    run_id = uuid.uuid4().hex
    db.add(
        JobRun(
            id=run_id,
            name=name,
            title=title or task.__name__,
            subject_type=subject_type,
            subject_id=subject_id,
            requested_by_id=requested_by_id,
        )
    )
    options = {"title": title, "timeout": timeout, "retries": retries}
    db.info.setdefault(_PENDING, []).append((run_id, name, args, options))
    return run_id


_listening = threading.Lock()


def _listen() -> None:
    """Hook every session's commit and rollback: on the first enqueue, not at import."""
    with _listening:
        if not event.contains(OrmSession, "after_commit", _send_after_commit):
            event.listen(OrmSession, "after_commit", _send_after_commit)
            event.listen(OrmSession, "after_rollback", _drop_after_rollback)


def _send_after_commit(session: OrmSession) -> None:
    """Send the committed jobs. The request's own work is committed by now, so a queue that
    cannot be reached (Redis down) must not turn it into an error page: the job is marked
    failed, which also keeps coalescing from reusing a row that never left."""
    unsent: list[str] = []
    for item in session.info.pop(_PENDING, []):
        try:
            dispatcher.send(*item)
        except Exception as exc:  # noqa: BLE001 - any failure to send leaves the same state
            log.error("job %s (%s) could not be sent: %r", item[0], item[1], exc)
            unsent.append(item[0])
    if unsent:
        _mark_unsent(session, unsent)
        not_sent().extend(unsent)


def _mark_unsent(session: OrmSession, run_ids: list[str]) -> None:
    """Mark jobs failed in a session of their own: the committing one cannot write any more."""
    try:
        with OrmSession(bind=session.get_bind(), join_transaction_mode="create_savepoint") as own:
            own.execute(
                update(JobRun)
                .where(JobRun.id.in_(run_ids), JobRun.status == "queued")
                .values(
                    status="failed",
                    finished_at=utcnow(),
                    message="not sent: the job queue could not be reached",
                )
            )
            own.commit()
    except Exception as exc:  # noqa: BLE001 - the rows stay queued and age out of coalescing
        log.error("could not mark unsent jobs %s failed: %r", run_ids, exc)


_unsent = threading.local()


def not_sent() -> list[str]:
    """Ids of the jobs this thread could not send since `not_sent().clear()`; a view reads it to
    tell the user that the background part will not happen now."""
    if not hasattr(_unsent, "ids"):
        _unsent.ids = []
    return _unsent.ids  # type: ignore[no-any-return]


def _drop_after_rollback(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


def run_ready() -> int:
    """Run the jobs that `sync` mode held back for this thread; return how many ran."""
    ran = 0
    ready = dispatcher.ready_list()
    while ready:
        run_id, name, args, _options = ready.pop(0)
        execute(run_id, name, args)
        ran += 1
    return ran


# --- running a job -----------------------------------------------------------------------------

_current = threading.local()


def _update_run(run_id: str, **fields: Any) -> JobRun | None:
    """Write a job's status in its own short transaction, retried when SQLite is busy."""

    def write() -> JobRun | None:
        db = Session()
        run = db.get(JobRun, run_id)
        if run is not None:
            for key, value in fields.items():
                setattr(run, key, value)
            db.commit()
        return run

    return on_sqlite_lock(write)


def execute(run_id: str, name: str, args: tuple[Any, ...] | list[Any]) -> Any:
    """Run one job: mark it running, call the task, record how it ended.

    The task comes by its dotted path, because that is what crosses Redis to a worker process.
    Status writes are retried on SQLite's "database is locked", so a job is never left `queued`
    because another connection was writing at that moment.
    """
    db = Session()
    run = db.get(JobRun, run_id)
    if run is None:  # the row went with a rolled-back or purged transaction: nothing to do
        log.warning("job run %s not found; skipping %s", run_id, name)
        return None
    if run.status == "done":  # delivered twice: the first delivery already did the work
        return run.result
    _update_run(run_id, status="running", started_at=utcnow(), message="")
    task = _resolve(name)
    _current.run_id = run_id
    try:
        result = task(*args)
    except Exception as exc:
        Session().rollback()
        _update_run(
            run_id, status="failed", finished_at=utcnow(), message=f"{type(exc).__name__}: {exc}"
        )
        raise
    finally:
        _current.run_id = None
    _update_run(
        run_id,
        status="done",
        finished_at=utcnow(),
        progress=1.0,
        result=result if isinstance(result, dict) else {"value": result},
    )
    return result


def progress(fraction: float, message: str = "") -> None:
    """Tasks call this to show how far they got; committed at once so pages can poll it."""
    run_id = getattr(_current, "run_id", None)
    if not run_id:
        return
    db = Session()
    run = db.get(JobRun, run_id)
    if run is not None:
        run.progress = max(0.0, min(1.0, fraction))
        run.message = message
        db.commit()
