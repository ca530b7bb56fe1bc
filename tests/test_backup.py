"""Backups: `flask backup` and `flask restore` give back the same data on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import zipfile

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

import models
from models import Participant, Session, crypto
from services import audit, backup, demo
from tests.conftest import make_database

PNR = "19811218-9876"


def _dir(path):
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def source_and_target(request, tmp_path):
    """A seeded database and a new, empty one (migrated), on the same backend."""
    source = make_database(request.param, _dir(tmp_path / "source"))
    target = make_database(request.param, _dir(tmp_path / "target"))
    models.Session.remove()
    models.Session.configure(bind=source.engine)
    try:
        demo.seed()
        person = Session.scalars(Participant.__table__.select().limit(1)).first()
        Session.get(Participant, person).set_personnummer(PNR)
        audit.record("test.backup", details={"ä": [1, 2.5, None]})
        Session.commit()
        models.Session.remove()
        yield source, target
    finally:
        models.Session.remove()
        models.Session.configure(bind=None)
        crypto.configure(crypto.DEV_KEY, crypto.DEV_HASH_KEY)
        source._cleanup()
        target._cleanup()


def _sums(db):
    with db.engine.connect() as conn:
        return backup.checksums(conn)


def test_a_restore_gives_back_every_row_of_every_table(source_and_target, tmp_path):
    """Row counts and per-table checksums of the restored database equal the original's."""
    source, target = source_and_target
    path = tmp_path / "backup.zip"
    manifest = backup.dump(source.url, path)
    original = _sums(source)
    assert {n: (s.rows, s.sha256) for n, s in original.items()} == {
        n: (t["rows"], t["sha256"]) for n, t in manifest["tables"].items()
    }
    assert original["participants"].rows >= 150 and original["audit_events"].rows > 0
    backup.restore(target.url, path)
    assert _sums(target) == original
    with target.engine.connect() as conn:
        # The next row gets a fresh id (sequences moved past the restored ids on PostgreSQL).
        top = conn.scalar(text("SELECT MAX(id) FROM units"))
    models.Session.configure(bind=target.engine)
    unit = models.Unit(name="Ny enhet efter återställning", municipality="Kil")
    Session.add(unit)
    Session.commit()
    assert unit.id == top + 1
    found = Session.scalar(
        Participant.__table__.select()
        .with_only_columns(Participant.id)
        .where(Participant.personnummer_hash == crypto.lookup_hash(PNR))
    )
    assert Session.get(Participant, found).personnummer == PNR


def test_the_backup_holds_ciphertext_not_personnummer(source_and_target, tmp_path):
    source, _target = source_and_target
    path = tmp_path / "backup.zip"
    backup.dump(source.url, path)
    with zipfile.ZipFile(path) as archive:
        content = b"".join(archive.read(n) for n in archive.namelist()).decode()
    assert PNR not in content and PNR.replace("-", "") not in content
    assert "personnummer_enc" in content


def test_a_restore_with_the_wrong_key_is_refused_and_writes_nothing(source_and_target, tmp_path):
    source, target = source_and_target
    path = tmp_path / "backup.zip"
    backup.dump(source.url, path)
    crypto.configure(Fernet.generate_key().decode(), crypto.DEV_HASH_KEY)
    with pytest.raises(backup.BackupError, match="PERSONNUMMER_KEYS"):
        backup.restore(target.url, path)
    crypto.configure(crypto.DEV_KEY, "some-other-hash-key-for-this")
    with pytest.raises(backup.BackupError, match="PERSONNUMMER_HASH_KEY"):
        backup.restore(target.url, path)
    assert all(s.rows == 0 for s in _sums(target).values())


def test_a_damaged_or_edited_backup_is_refused_and_rolled_back(source_and_target, tmp_path):
    source, target = source_and_target
    path, edited = tmp_path / "backup.zip", tmp_path / "edited.zip"
    backup.dump(source.url, path)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(edited, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "tables/participants.jsonl":
                data = data.replace(b'"first_name":"', b'"first_name":"X', 1)
            out.writestr(name, data)
    with pytest.raises(backup.BackupError, match="participants .* does not match"):
        backup.restore(target.url, edited)
    assert all(s.rows == 0 for s in _sums(target).values())


def test_a_restore_into_a_database_with_data_is_refused(source_and_target, tmp_path):
    source, _target = source_and_target
    path = tmp_path / "backup.zip"
    backup.dump(source.url, path)
    before = _sums(source)
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(source.url, path)
    assert _sums(source) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"not a zip", "not a Platsmatch backup"),
        ("wrong-format", "unknown backup format"),
    ],
)
def test_restore_command_refuses_bad_files_with_a_message(app, db, tmp_path, content, message):
    path = tmp_path / "in.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "wrong-format":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("manifest.json", json.dumps({"format": "other/9"}))
    result = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_backup_command_writes_a_file_and_says_where_the_keys_belong(tmp_path):
    """End to end through the CLI on SQLite files, as an operator would run it."""
    from web import create_app

    src = make_database("sqlite", _dir(tmp_path / "a"))
    dst = make_database("sqlite", _dir(tmp_path / "b"))
    try:
        path = tmp_path / "nightly.zip"
        made = create_app({"TESTING": True, "DATABASE_URL": src.url})
        result = made.test_cli_runner().invoke(args=["backup", str(path)])
        assert result.exit_code == 0, result.output
        assert "PERSONNUMMER_KEYS" in result.output and path.exists()
        again = made.test_cli_runner().invoke(args=["backup", str(tmp_path / "no" / "x.zip")])
        assert again.exit_code == 2 and "cannot write" in again.output
        back = create_app({"TESTING": True, "DATABASE_URL": dst.url})
        result = back.test_cli_runner().invoke(args=["restore", str(path)])
        assert result.exit_code == 0, result.output
        assert _sums(dst) == _sums(src)
    finally:
        models.Session.remove()
        src._cleanup()
        dst._cleanup()
