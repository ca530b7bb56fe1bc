"""Database plumbing: the declarative base, the engine factory and the session registry.

No engine is created at import; `configure(url)` is called once by the app factory, the worker
and the CLI. Everything else uses `Session`, a scoped session removed at the end of each request
or job.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return utcnow().date()


class UTCDateTime(TypeDecorator):
    """Timestamps stored and returned as timezone-aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


Session = scoped_session(sessionmaker(expire_on_commit=False))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the settings each dialect needs to behave like the other."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    else:
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock at BEGIN. With a deferred BEGIN, a transaction that
            # read and then writes after another connection committed fails at once with
            # "database is locked" (SQLite cannot wait then); background jobs in the embedded
            # setup made logins and saves fail at random. Waiting our turn (busy_timeout) is the
            # right trade for the single-machine default; PostgreSQL needs none of this.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def configure(url: str, **kwargs: Any) -> Engine:
    """Bind the session registry to a new engine, closing the pool of the one it replaces."""
    engine = make_engine(url, **kwargs)
    Session.remove()
    previous = Session.session_factory.kw.get("bind")
    if isinstance(previous, Engine):
        previous.dispose()
    Session.configure(bind=engine)
    return engine


def dispose() -> None:
    """Close the bound engine's pool (tests and the worker's shutdown)."""
    Session.remove()
    bound = Session.session_factory.kw.get("bind")
    if isinstance(bound, Engine):
        bound.dispose()
    Session.configure(bind=None)
