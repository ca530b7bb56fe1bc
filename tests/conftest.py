"""Fixtures: every database test runs on SQLite and on PostgreSQL, each in a rolled-back transaction.

PostgreSQL and Redis are real servers (127.0.0.1 by default). Where one is missing, its tests skip
with a reason; under CI=true they fail instead, so a broken CI machine cannot pass by skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

import models
from models.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(what: str) -> None:
    """Skip a test whose service is missing, or fail it under CI=true."""
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available")
    pytest.skip(f"{what} is not available here")


def shared_data(*parts: str) -> Path:
    """A path in ../shared/data; the test skips when that folder is absent (a fresh clone)."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data {path} is absent (it is present in CI beside the repository)")
    return path


# --- databases ----------------------------------------------------------------------------------


def _create_pg_database() -> tuple[str, str]:
    name = f"pm_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}", name


def _drop_pg_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def pg_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


class Database:
    """A migrated database for one backend; `url` lets tests start processes against it."""

    def __init__(self, backend: str, url: str, engine: Engine, cleanup: object) -> None:
        self.backend = backend
        self.url = url
        self.engine = engine
        self._cleanup = cleanup


def make_database(backend: str, tmp_dir: Path) -> Database:
    from services import database

    if backend == "sqlite":
        url = f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:6]}.sqlite3'}"
        engine = make_engine(url)
        database.upgrade(url=url)
        return Database(backend, url, engine, lambda: engine.dispose())
    if not pg_available():
        unavailable("PostgreSQL")
    url, name = _create_pg_database()
    engine = make_engine(url)
    database.upgrade(url=url)

    def cleanup() -> None:
        engine.dispose()
        _drop_pg_database(name)

    return Database(backend, url, engine, cleanup)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    db = make_database(request.param, tmp_path_factory.mktemp(request.param))
    yield db
    db._cleanup()  # type: ignore[operator]


@pytest.fixture
def db(database: Database) -> Iterator[models.Session]:
    """The scoped session, bound to one connection whose transaction is rolled back afterwards.

    Code under test may commit: with `create_savepoint` its commits end savepoints, not the test's
    outer transaction.
    """
    connection = database.engine.connect()
    outer = connection.begin()
    models.Session.remove()
    models.Session.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield models.Session()
    finally:
        models.Session.remove()
        outer.rollback()
        connection.close()
        models.Session.configure(bind=None)


# --- the app ------------------------------------------------------------------------------------


@pytest.fixture
def app(db: models.Session, tmp_path: Path):  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app(
        {
            "TESTING": True,
            "TESTING_ENGINE_CONFIGURED": True,
            "JOBS_MODE": "sync",
            "WTF_CSRF_ENABLED": False,
            "MAIL_FILE": str(tmp_path / "outbox.log"),
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        yield app


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


def login(client, email: str, password: str = "pw-for-tests") -> None:  # type: ignore[no-untyped-def]
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.status_code


@pytest.fixture
def redis_url() -> str:
    try:
        from redis import Redis

        conn = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        conn.ping()
        conn.close()
    except Exception:  # noqa: BLE001
        unavailable("Redis")
    return REDIS_URL
