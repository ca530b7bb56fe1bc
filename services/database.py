"""Creating, upgrading and checking the database schema with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

import models

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


def upgrade(
    connection: Connection | None = None, url: str | None = None, revision: str = "head"
) -> None:
    command.upgrade(alembic_config(connection, url), revision)


def downgrade(
    connection: Connection | None = None, url: str | None = None, revision: str = "base"
) -> None:
    command.downgrade(alembic_config(connection, url), revision)


def drift(connection: Connection) -> list[object]:
    """What differs between the models and the migrated database: empty means they agree."""
    ctx = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(ctx, models.Base.metadata))
