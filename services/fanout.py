"""A whole-installation suggestion refresh, fanned out over rq workers in chunks.

`start_refresh()` cuts the active participants into chunks of consecutive ids, records each
chunk in `refresh_chunks` and enqueues one job per chunk (`services.queue`: rq when REDIS_URL
is set). Redis carries the jobs and PostgreSQL the state; there is no scheduler of our own.

- Idempotent: a chunk job claims its chunk with a guarded UPDATE (only a chunk not done, and
  not running unless its run went stale), and storing suggestions replaces the `suggested` rows
  of each participant (`services.suggestions`), so a chunk run twice leaves the same rows.
- Resumable: when a worker dies, its chunk stays `running`; `resume(run_id)` re-enqueues every
  chunk not done, and a stale `running` one is claimed again. Done chunks are skipped.
- One offer index per worker process, not per chunk: `services.offer_index.offer_index()` is a
  module-level cache keyed by the database and brought up to date by offer stamps; run the
  workers with `python -m web.worker --simple` so jobs run in the worker process itself rather
  than in a fork that throws the cache away after each job.
- Memory per worker: that index plus one chunk of participants and their rows (`chunk_size`).
  Each chunk records its time, its worker and the worker's peak RSS, for the progress page
  and for projecting a national run (benchmarks/FANOUT.md).
"""

from __future__ import annotations

import os
import resource
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select, update

from matcher.types import Suggestion
from models import Match, Participant, RefreshChunk, RefreshRun, Session, utcnow
from services import candidate_cap, ranking_adjust
from services.offer_index import engine_participant, lock, offer_index
from services.queue import enqueue
from services.suggestions import DEFAULT_TOP, _excluded, _existing, _setting, _store

DEFAULT_CHUNK = 500
STALE_AFTER = timedelta(minutes=15)


def start_refresh(
    chunk_size: int = DEFAULT_CHUNK, requested_by_id: int | None = None
) -> RefreshRun:
    """Record a run and its chunks, enqueue one job per chunk (sent after this commit)."""
    if not 1 <= chunk_size <= 50_000:
        raise ValueError("chunk_size must be between 1 and 50,000")
    db = Session()
    ids = db.scalars(
        select(Participant.id).where(Participant.exited_on.is_(None)).order_by(Participant.id)
    ).all()
    run = RefreshRun(chunk_size=chunk_size, participants=len(ids), requested_by_id=requested_by_id)
    db.add(run)
    db.flush()
    for number, start in enumerate(range(0, len(ids), chunk_size)):
        part = ids[start : start + chunk_size]
        db.add(
            RefreshChunk(
                run_id=run.id,
                number=number,
                first_id=part[0],
                last_id=part[-1],
                participants=len(part),
            )
        )
    db.flush()
    _enqueue(run.id, [c.id for c in run.chunks])
    db.commit()
    return run


def resume(run_id: int, *, workers_died: bool = False) -> int:
    """Enqueue again every chunk of the run that is not done; return how many.

    A chunk a dead worker held stays `running` and is taken again once it is stale
    (STALE_AFTER); with `workers_died` (the operator knows they are gone) at once.
    """
    db = Session()
    if workers_died:
        db.execute(
            update(RefreshChunk)
            .where(RefreshChunk.run_id == run_id, RefreshChunk.status == "running")
            .values(status="failed", message="worker died")
            .execution_options(synchronize_session=False)
        )
    open_ids = db.scalars(
        select(RefreshChunk.id).where(RefreshChunk.run_id == run_id, RefreshChunk.status != "done")
    ).all()
    _enqueue(run_id, open_ids)
    db.commit()
    return len(open_ids)


def _enqueue(run_id: int, chunk_ids: list[int]) -> None:
    for chunk_id in chunk_ids:
        enqueue(refresh_chunk_job, chunk_id, title="Uppdatera förslag (del)", timeout=3600)


def _claim(chunk_id: int, stale_after: timedelta) -> bool:
    """Take the chunk unless it is done or another live worker has it (one UPDATE, so two
    deliveries of the same job cannot both work on it)."""
    db = Session()
    now = utcnow()
    taken = db.execute(
        update(RefreshChunk)
        .where(
            RefreshChunk.id == chunk_id,
            or_(
                RefreshChunk.status.in_(("queued", "failed")),
                (RefreshChunk.status == "running") & (RefreshChunk.started_at < now - stale_after),
            ),
        )
        .values(
            status="running",
            attempts=RefreshChunk.attempts + 1,
            started_at=now,
            worker=f"{socket.gethostname()}:{os.getpid()}",
            message="",
        )
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return taken.rowcount == 1


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def refresh_chunk(chunk_id: int, *, stale_after: timedelta = STALE_AFTER) -> dict[str, Any]:
    """Rank the chunk's active participants and store their suggestions, then mark it done."""
    if not _claim(chunk_id, stale_after):
        return {"chunk_id": chunk_id, "status": "skipped"}
    started = time.perf_counter()
    db = Session()
    chunk = db.get(RefreshChunk, chunk_id)
    try:
        top = int(_setting("SUGGESTIONS_PER_PARTICIPANT", DEFAULT_TOP))
        people = db.scalars(
            select(Participant)
            .where(
                Participant.id.between(chunk.first_id, chunk.last_id),
                Participant.exited_on.is_(None),
            )
            .order_by(Participant.id)
        ).all()
        existing = _existing(db, [p.id for p in people])
        placed = [(p, ep) for p, ep in ((p, engine_participant(p)) for p in people) if ep]
        capped = candidate_cap.capped_offer_ids(db)
        excluded = {p.id: _excluded(existing[p.id], False) | capped for p, _ep in placed}
        widest = max((len(x) for x in excluded.values()), default=0)
        index = offer_index(db)  # built once per process, reused by every chunk
        with lock:
            pools = list(index.rank_many([ep for _p, ep in placed], top + widest))
        found: dict[int, list[Suggestion]] = {}
        for (p, _ep), pool in zip(placed, pools, strict=True):
            found[p.id] = [s for s in pool if s.offer_id not in excluded[p.id]][:top]
        found = ranking_adjust.adjust_many(found)  # confirmed skills, employer backlog
        now = utcnow()
        suggested = 0
        for p in people:
            suggested += _store(db, p, found.get(p.id, []), existing[p.id], now).suggested
        chunk.status, chunk.suggested = "done", suggested
        chunk.seconds = round(time.perf_counter() - started, 3)
        chunk.peak_rss_mb = round(_peak_rss_mb(), 1)
        chunk.finished_at = utcnow()
        db.commit()
    except Exception as exc:
        db.rollback()
        db.execute(
            update(RefreshChunk)
            .where(RefreshChunk.id == chunk_id)
            .values(status="failed", message=type(exc).__name__)
        )
        db.commit()
        raise
    return {"chunk_id": chunk_id, "status": "done", "suggested": suggested}


def refresh_chunk_job(chunk_id: int) -> dict[str, Any]:
    return refresh_chunk(chunk_id)


# --- progress, for one page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    run: RefreshRun
    chunks: int
    by_status: dict[str, int]
    participants_done: int
    chunk_seconds: float  # summed over done chunks: the work, whatever the number of workers
    workers: int
    peak_rss_mb: float | None
    elapsed_seconds: float | None

    @property
    def fraction(self) -> float:
        return self.by_status.get("done", 0) / self.chunks if self.chunks else 1.0


def progress_of(run: RefreshRun) -> Progress:
    db = Session()
    by_status = dict(
        db.execute(
            select(RefreshChunk.status, func.count())
            .where(RefreshChunk.run_id == run.id)
            .group_by(RefreshChunk.status)
        ).all()
    )
    done = RefreshChunk.status == "done"
    row = db.execute(
        select(
            func.coalesce(func.sum(RefreshChunk.participants), 0),
            func.coalesce(func.sum(RefreshChunk.seconds), 0.0),
            func.count(func.distinct(RefreshChunk.worker)),
            func.max(RefreshChunk.peak_rss_mb),
            func.min(RefreshChunk.started_at),
            func.max(RefreshChunk.finished_at),
        ).where(RefreshChunk.run_id == run.id, done)
    ).one()
    elapsed = (row[5] - row[4]).total_seconds() if row[4] and row[5] else None
    return Progress(
        run=run,
        chunks=sum(by_status.values()),
        by_status=by_status,
        participants_done=int(row[0]),
        chunk_seconds=float(row[1]),
        workers=int(row[2]),
        peak_rss_mb=row[3],
        elapsed_seconds=elapsed,
    )


def suggested_rows() -> int:
    """All `suggested` rows in the installation (the benchmark checks a re-run keeps it)."""
    return Session.scalar(
        select(func.count()).select_from(Match).where(Match.status == "suggested")
    )
