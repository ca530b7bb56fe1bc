"""The web under load, on PostgreSQL: `python -m benchmarks.load`.

For each dataset (`demo`, and `large`: the demo plus benchmarks.load_data's 5,000 participants,
2,000 offers and 100,000 suggestion rows), this makes its own database in the local
PostgreSQL (`platsmatch_load_<dataset>`; never `test`), migrates and seeds it once (kept for
the next run; `--rebuild` makes it again), starts gunicorn on it, and runs locust headless and
bounded (`--users` for `--seconds`) with coaches, employers and participants mixed
(benchmarks/load_locustfile.py). It prints p50/p95/p99 per page, errors and throughput, with
/healthz (one trivial query) as the floor measured in the same run, and exits non-zero when a
page's p95 is over `--p95-ms` or any request failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG = os.environ.get("LOAD_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")


def _psql_url(name: str) -> str:
    return f"{PG}/{name}"


def _create_database(name: str, rebuild: bool) -> bool:
    """Create `name` if needed; True when it was (re)made and must be filled."""
    import psycopg

    if not name.startswith("platsmatch_load_"):
        raise SystemExit(f"refusing to touch database {name!r}")
    conninfo = PG.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        there = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if there and not rebuild:
            return False
        if there:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        APP_ENV="development",
        JOBS_MODE="sync",
        SECRET_KEY="load-benchmark-only",  # noqa: S106 (a throwaway local server)
        MAIL_FILE=str(Path(tempfile.gettempdir()) / "platsmatch-load-outbox.log"),
    )
    env.pop("REDIS_URL", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def prepare(dataset: str, rebuild: bool) -> str:
    name = f"platsmatch_load_{dataset}"
    url = _psql_url(name)
    if _create_database(name, rebuild):
        env = _env(url)
        started = time.perf_counter()
        _run([str(BIN / "flask"), "--app", "web", "init-db"], env)
        _run([str(BIN / "flask"), "--app", "web", "seed-demo"], env)
        if dataset == "large":
            _run([str(BIN / "python"), "-m", "benchmarks.load_data"], env)
        print(f"{dataset}: database made in {time.perf_counter() - started:.0f} s", flush=True)
    else:  # kept from an earlier run: bring it to the newest schema first
        _run([str(BIN / "flask"), "--app", "web", "init-db"], _env(url))
    return url


def ids_file(url: str) -> str:
    """The coach's participants and the employer's offers: the ids the users open."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        participants = (
            conn.execute(
                text(
                    "SELECT p.id FROM participants p JOIN users u ON u.id = p.coach_id "
                    "WHERE u.email = 'coach@demo.test' AND p.protected_identity = false "
                    "ORDER BY p.id"
                )
            )
            .scalars()
            .all()
        )
        offers = (
            conn.execute(
                text(
                    "SELECT o.id FROM offers o JOIN users u ON u.employer_id = o.employer_id "
                    "WHERE u.email = 'employer@demo.test' ORDER BY o.id"
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    fd, path = tempfile.mkstemp(prefix="load-ids-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump({"participants": list(participants), "offers": list(offers)}, f)
    return path


def serve(url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            "web:create_app()",
        ],
        env=_env(url),
        cwd=ROOT,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("gunicorn did not answer /healthz")


def swarm(port: int, ids: str, users: int, seconds: int, out: str) -> None:
    env = dict(os.environ, LOAD_IDS=ids)
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "load_locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "5",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            out,
            "--loglevel",
            "WARNING",
        ],
        env=env,
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=open(f"{out}.log", "w"),  # noqa: SIM115 (closed with the process)
    )


def read_stats(prefix: str) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["Type"] in ("GET", "")]


def table(dataset: str, rows: list[dict[str, str]], seconds: int) -> tuple[str, list[str]]:
    lines = [
        f"### {dataset}",
        "",
        "| page | requests | errors | p50 ms | p95 ms | p99 ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    over: list[str] = []
    for row in rows:
        name = row["Name"] if row["Type"] else "**all GET pages**"
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | "
            f"{row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )
    return "\n".join(lines), over


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["demo", "large", "both"], default="both")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--port", type=int, default=5716)
    parser.add_argument("--p95-ms", type=float, default=200.0)
    parser.add_argument("--rebuild", action="store_true", help="make the databases again")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 5 <= args.seconds <= 1800:
        parser.error("--users 1..200 and --seconds 5..1800 keep the run bounded")
    datasets = ["demo", "large"] if args.dataset == "both" else [args.dataset]
    failed = False
    for dataset in datasets:
        url = prepare(dataset, args.rebuild)
        ids = ids_file(url)
        server = serve(url, args.port, args.workers, args.threads)
        try:
            out = tempfile.mkdtemp(prefix="load-") + "/run"
            # warm-up, not measured: each worker builds its offer index and vocabulary once
            swarm(args.port, ids, args.users, 10, out + "-warm")
            swarm(args.port, ids, args.users, args.seconds, out)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a worker stuck on a slow request
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            os.unlink(ids)
        rows = read_stats(out)
        text, _ = table(dataset, rows, args.seconds)
        print(text + "\n", flush=True)
        for row in rows:
            if not row["Type"] or row["Name"].startswith("/login"):
                continue  # logging in hashes a password on purpose: not a page under budget
            if int(row["Failure Count"]) or float(row["95%"]) > args.p95_ms:
                failed = True
                print(
                    f"over budget: {dataset} {row['Name']} p95 {row['95%']} ms, "
                    f"{row['Failure Count']} errors"
                )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
