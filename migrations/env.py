"""Alembic environment: the URL comes from the app's settings (or a connection handed in by tests)."""

from __future__ import annotations

from alembic import context

import models
from models.db import make_engine
from web import settings

config = context.config
target_metadata = models.Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=settings.load()["DATABASE_URL"],
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(str(config.attributes.get("url") or settings.load()["DATABASE_URL"]))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    # SQLite changes a column by copying the table and dropping the old one (batch mode); with
    # foreign keys enforced, dropping a table other rows point at fails as soon as there is
    # data (any real installation). So they are off while migrating, as SQLite's documentation
    # prescribes for table rebuilds, and every reference is checked before they go back on.
    # The pragma only works outside a transaction, hence on the driver connection, first.
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.connection.driver_connection.execute(
                "PRAGMA foreign_key_check"
            ).fetchall()
            if broken:
                raise RuntimeError(f"the migration left broken references: {broken[:5]}")
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
