"""Backups: a portable logical dump of every table, and a checked restore into an empty database.

Why not pg_dump? One format for SQLite and PostgreSQL (a municipality may start on one and move
to the other), no dependence on the client tools matching the server's major version, and the
file can be checked row by row: the manifest holds each table's row count and a SHA-256 of its
rows in primary-key order, and a restore recomputes both from the database it wrote.

The archive is a zip: `manifest.json` and `tables/<name>.jsonl` (one JSON object per row), in
foreign-key order. Personnummer stay ciphertext (the encrypted column is copied as stored), so
the file holds no personnummer in clear text; it does hold every other personal detail, so it
must be stored as carefully as the database. The keys are NOT in the backup: keep
PERSONNUMMER_KEYS and PERSONNUMMER_HASH_KEY in the secret store, apart from the backups. The
manifest carries a key check (a token and a hash of a fixed text), so a restore with the wrong
keys stops before writing anything.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from sqlalchemy import Date, DateTime, Integer, MetaData, Table, Text, func, insert, select, text
from sqlalchemy.engine import Connection

import models
from models import crypto
from models.crypto import EncryptedText
from models.db import UTCDateTime, make_engine

FORMAT = "platsmatch-backup/1"


class BackupError(RuntimeError):
    """A backup that cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


def _tables() -> list[Table]:
    """The app's tables in foreign-key order, with encrypted columns read and written as stored."""
    raw = MetaData()
    out = []
    for table in models.Base.metadata.sorted_tables:
        copy = table.to_metadata(raw)
        for column in copy.columns:
            if isinstance(column.type, EncryptedText):
                column.type = Text()
        out.append(copy)
    return out


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _decoder(table: Table) -> dict[str, Any]:
    decode: dict[str, Any] = {}
    for column in table.columns:
        kind = column.type
        if isinstance(kind, UTCDateTime | DateTime):
            decode[column.name] = lambda v: None if v is None else datetime.fromisoformat(v)
        elif isinstance(kind, Date):
            decode[column.name] = lambda v: None if v is None else date.fromisoformat(v)
    return decode


def _rows(conn: Connection, table: Table) -> Any:
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(yield_per=1000).execute(select(table).order_by(*order))
    for row in result.mappings():
        yield {name: _encode(value) for name, value in row.items()}


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def checksums(conn: Connection) -> dict[str, TableSum]:
    """Row count and SHA-256 of the rows (canonical JSON lines, primary-key order) per table."""
    sums = {}
    for table in _tables():
        digest, count = hashlib.sha256(), 0
        for row in _rows(conn, table):
            digest.update(_line(row).encode() + b"\n")
            count += 1
        sums[table.name] = TableSum(count, digest.hexdigest())
    return sums


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def dump(url: str, path: Path) -> dict[str, Any]:
    """Write a backup of the database at `url` to `path` (a zip); return its manifest.

    Read in one transaction (REPEATABLE READ on PostgreSQL), so the tables agree with each other
    even while the app keeps writing.
    """
    engine = make_engine(url)
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                manifest: dict[str, Any] = {
                    "format": FORMAT,
                    "created_at": datetime.now(UTC).isoformat(),
                    "dialect": conn.dialect.name,
                    "revision": _revision(conn),
                    "key_check": crypto.key_check(),
                    "tables": {},
                }
                with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                    for table in _tables():
                        digest, count = hashlib.sha256(), 0
                        with archive.open(f"tables/{table.name}.jsonl", "w") as out:
                            for row in _rows(conn, table):
                                line = _line(row).encode() + b"\n"
                                digest.update(line)
                                out.write(line)
                                count += 1
                        manifest["tables"][table.name] = {
                            "rows": count,
                            "sha256": digest.hexdigest(),
                        }
                    archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        engine.dispose()
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, OSError):
        raise BackupError(f"{path} is not a Platsmatch backup (no readable manifest)") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
    return manifest


def restore(url: str, path: Path, *, upgrade: bool = True) -> dict[str, Any]:
    """Restore a backup into the (empty) database at `url`, all or nothing; return the manifest.

    The schema is created first (Alembic, to this app's newest revision), which must be the
    revision the backup was made at. Refuses a database that has any rows, a backup whose file
    does not match its manifest, and keys that cannot read the backup's personnummer.
    """
    from services import database

    path = Path(path)
    manifest = read_manifest(path)
    wrong = crypto.verify_key_check(manifest["key_check"])
    if wrong:
        raise BackupError(
            f"the backup was made with other keys: {' and '.join(wrong)} differ. Set the keys "
            "that were in use when the backup was made (see README, Backups); nothing was written."
        )
    if upgrade:
        database.upgrade(url=url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn, conn.begin():
            revision = _revision(conn)
            if revision != manifest["revision"]:
                raise BackupError(
                    f"the backup is at schema revision {manifest['revision']}, this database at "
                    f"{revision}: restore with the app version that made the backup, then upgrade"
                )
            tables = _tables()
            if set(manifest["tables"]) != {t.name for t in tables}:
                raise BackupError("the backup's tables differ from this app's tables")
            busy = [t.name for t in tables if conn.scalar(select(func.count()).select_from(t))]
            if busy:
                raise BackupError(
                    "the database is not empty (rows in "
                    + ", ".join(busy[:5])
                    + "); restore into a new, empty database"
                )
            with zipfile.ZipFile(path) as archive:
                for table in tables:
                    _load(conn, archive, table, manifest["tables"][table.name])
            _reset_sequences(conn, tables)
            _check_tokens(conn)
            found = checksums(conn)
            for name, expected in manifest["tables"].items():
                got = found[name]
                if (got.rows, got.sha256) != (expected["rows"], expected["sha256"]):
                    raise BackupError(f"table {name} differs after restore; nothing was written")
    finally:
        engine.dispose()
    return manifest


def _load(conn: Connection, archive: zipfile.ZipFile, table: Table, expected: dict) -> None:
    decode = _decoder(table)
    digest, count, batch = hashlib.sha256(), 0, []
    statement = insert(table)
    try:
        handle = archive.open(f"tables/{table.name}.jsonl")
    except KeyError:
        raise BackupError(f"the backup has no file for table {table.name}") from None
    with handle:
        for raw in handle:
            digest.update(raw)
            count += 1
            try:
                row = json.loads(raw)
            except json.JSONDecodeError:
                raise BackupError(f"table {table.name}: line {count} is not JSON") from None
            for name, fn in decode.items():
                if name in row:
                    row[name] = fn(row[name])
            batch.append(row)
            if len(batch) >= 500:
                conn.execute(statement, batch)
                batch = []
    if (count, digest.hexdigest()) != (expected["rows"], expected["sha256"]):
        raise BackupError(
            f"table {table.name} in the file does not match the manifest (damaged or edited); "
            "nothing was written"
        )
    if batch:
        conn.execute(statement, batch)


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL: the next id after the restored ones (SQLite takes MAX(id) + 1 by itself)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.c or not isinstance(table.c.id.type, Integer):
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
            )
        )


def _check_tokens(conn: Connection) -> None:
    """Every restored personnummer can be read with the current keys (else: roll back)."""
    for (token,) in conn.execute(
        text("SELECT personnummer_enc FROM participants WHERE personnummer_enc IS NOT NULL")
    ):
        try:
            crypto.decrypt(token)
        except crypto.WrongKey:
            raise BackupError(
                "a personnummer in the backup cannot be decrypted with PERSONNUMMER_KEYS; "
                "nothing was written"
            ) from None
