"""The whole-installation refresh on real rq workers: `python -m benchmarks.fanout`.

On a copy of the load benchmark's large database (PostgreSQL `platsmatch_fanout`, made from
`platsmatch_load_large`; `python -m benchmarks.load --dataset large` makes that first), this
runs `services.fanout` with 1 and then 2 rq workers (`python -m web.worker --simple --burst`,
Redis db 13, queue `fanout-bench`), then once more with one worker killed (SIGKILL) part-way
and the run resumed, and prints the wall time, the per-chunk and per-participant cost, each
worker's peak memory and the projection for a national run (400,000 x 50,000) on N workers.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG = "postgresql://postgres@127.0.0.1:5432"
DB = "platsmatch_fanout"
NATION = (400_000, 50_000)


def make_database() -> str:
    import psycopg

    # A fresh copy every run: a kept one may be of an older schema, and earlier runs' rows
    # would change what the first run rewrites.
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}" TEMPLATE "platsmatch_load_large"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB}"


def env(url: str) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=url,
        REDIS_URL="redis://127.0.0.1:6379/13",
        RQ_QUEUE="fanout-bench",
        JOBS_MODE="rq",
        JOB_TIMEOUT="3600",
    )


WORKER_LOG = Path(tempfile.gettempdir()) / "platsmatch-fanout-workers.log"


def workers(n: int, e: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    """Burst workers; their output goes to WORKER_LOG (shown when no chunk finishes)."""
    with WORKER_LOG.open("ab") as log:
        return [
            subprocess.Popen(
                [str(BIN / "python"), "-m", "web.worker", "--simple", "--burst"],
                env=e,
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )
            for _ in range(n)
        ]


def measure(app, n_workers: int, chunk: int, kill_after: float | None = None) -> dict:
    from models import Session
    from services import fanout

    e = env(app.config["DATABASE_URL"])
    with app.app_context():
        run = fanout.start_refresh(chunk_size=chunk)
        run_id, n_chunks, people = run.id, len(run.chunks), run.participants
        Session.remove()
    started = time.perf_counter()
    procs = workers(n_workers, e)
    resumed = 0
    if kill_after is not None:
        while True:
            time.sleep(0.5)
            with app.app_context():
                p = fanout.progress_of(Session.get(fanout.RefreshRun, run_id))
                Session.remove()
            if p.fraction >= kill_after:
                break
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        with app.app_context():
            resumed = fanout.resume(run_id, workers_died=True)
            Session.remove()
        procs = workers(n_workers, e)
    for proc in procs:
        proc.wait()
    wall = time.perf_counter() - started
    with app.app_context():
        run = Session.get(fanout.RefreshRun, run_id)
        p = fanout.progress_of(run)
        secs = sorted(c.seconds for c in run.chunks if c.seconds is not None)
        if not secs:
            tail = WORKER_LOG.read_text(errors="replace")[-3000:] if WORKER_LOG.exists() else ""
            raise SystemExit(
                f"no chunk finished ({p.by_status}); the workers' log, {WORKER_LOG}, ends:\n{tail}"
            )
        first_per_worker = {}
        for c in sorted(run.chunks, key=lambda c: c.started_at):
            first_per_worker.setdefault(c.worker, c.seconds)
        steady = [
            c.seconds
            for c in run.chunks
            if c.seconds and c.seconds not in first_per_worker.values()
        ]
        result = {
            "workers": n_workers,
            "chunks": n_chunks,
            "participants": people,
            "done": p.by_status.get("done", 0),
            "wall_s": wall,
            "chunk_median_s": statistics.median(steady or secs),
            "first_chunk_s": statistics.mean(first_per_worker.values()),
            "per_participant_ms": 1000
            * sum(steady or secs)
            / max(1, sum(c.participants for c in run.chunks if c.seconds in (steady or secs))),
            "peak_rss_mb": p.peak_rss_mb,
            "attempts": sum(c.attempts for c in run.chunks),
            "resumed": resumed,
            "suggested_rows": fanout.suggested_rows(),
        }
        Session.remove()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunk", type=int, default=500)
    args = parser.parse_args(argv)
    url = make_database()
    os.environ.update(env(url))
    from redis import Redis

    Redis.from_url(os.environ["REDIS_URL"]).delete("rq:queue:fanout-bench")
    from web import create_app

    app = create_app({"JOBS_MODE": "rq"})
    with app.app_context():
        from sqlalchemy import func, select

        from models import Offer, Session

        offers = Session.scalar(
            select(func.count()).select_from(Offer).where(Offer.status == "published")
        )
        Session.remove()
    rows = []
    for n, kill in ((1, None), (2, None), (1, 0.3)):
        r = measure(app, n, args.chunk, kill)
        r["killed"] = kill is not None
        rows.append(r)
        print(r, flush=True)
    print(
        f"\nslice: {rows[0]['participants']} participants x {offers} published offers, "
        f"chunks of {args.chunk}"
    )
    print(
        "| workers | worker killed | chunks | wall s | first chunk s | chunk median s "
        "| ms per participant | peak RSS MB | claims | suggested rows after |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['workers']} | {'yes, resumed ' + str(r['resumed']) if r['killed'] else 'no'} "
            f"| {r['chunks']} | {r['wall_s']:.1f} | {r['first_chunk_s']:.1f} "
            f"| {r['chunk_median_s']:.1f} | {r['per_participant_ms']:.1f} "
            f"| {r['peak_rss_mb']} | {r['attempts']} | {r['suggested_rows']} |"
        )
    per_p = rows[0]["per_participant_ms"] / 1000
    scale = NATION[1] / offers
    print(
        f"\nprojection (participants x offers = {NATION[0]:,} x {NATION[1]:,}; cost per participant "
        f"taken as linear in offers, x{scale:.0f}):"
    )
    for n in (1, 2, 4, 8, 16, 32):
        hours = NATION[0] * per_p * scale / n / 3600
        print(f"  {n:>2} workers: {hours:6.1f} h")
    return 0


if __name__ == "__main__":
    sys.exit(main())
