"""Personnummer at rest: ciphertext in the database, found by a keyed hash, keys rotated."""

import logging

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from models import AuditEvent, Participant, Session, crypto
from services import database, participants, privacy
from tests.conftest import login, make_database
from tests.factories import make_participant, make_unit, make_user

PNR = "19811218-9876"


@pytest.fixture
def keys():
    """Fresh keys for one test; the development keys are put back afterwards."""
    old, hash_key = Fernet.generate_key().decode(), "a-hash-key-for-this-test"
    crypto.configure(old, hash_key)
    yield old, hash_key
    crypto.configure(crypto.DEV_KEY, crypto.DEV_HASH_KEY)


def _raw(pid):
    return Session.execute(
        text("SELECT personnummer_enc, personnummer_hash FROM participants WHERE id = :id"),
        {"id": pid},
    ).one()


def test_the_database_holds_ciphertext_and_a_keyed_hash_only(db, keys):
    """Could someone reading the table (or a backup) see a personnummer? Only ciphertext."""
    p = make_participant(personnummer=PNR)
    token, digest = _raw(p.id)
    assert PNR not in token and "9876" not in token
    assert digest == crypto.lookup_hash(PNR) and PNR not in digest
    Session.expire_all()
    assert Session.get(Participant, p.id).personnummer == PNR


def test_a_participant_is_found_by_personnummer_in_any_written_form(db, keys):
    unit = make_unit()
    p = make_participant(unit, personnummer=PNR)
    make_participant(unit, personnummer="19900101-0017")
    assert participants.find_by_personnummer(unit.id, "811218-9876") == p
    assert participants.find_by_personnummer(unit.id, "198112189876") == p
    assert participants.find_by_personnummer(make_unit().id, PNR) is None
    p.set_personnummer(None)
    Session.flush()
    assert _raw(p.id) == (None, None)
    assert participants.find_by_personnummer(unit.id, PNR) is None


def test_rotation_re_encrypts_under_the_new_key_and_the_old_key_can_go(db, keys):
    """Is `rotate-keys` enough to retire an old key? After it, the new key alone reads every row."""
    old, hash_key = keys
    p = make_participant(personnummer=PNR)
    before = _raw(p.id)[0]
    new = Fernet.generate_key().decode()
    crypto.configure(f"{new},{old}", "a-new-hash-key-after-rotation")
    assert privacy.rotate_keys() == 1
    token, digest = _raw(p.id)
    assert token != before
    assert Fernet(new.encode()).decrypt(token.encode()).decode() == PNR
    with pytest.raises(Exception):  # noqa: B017,PT011 - any failure: the old key cannot read it
        Fernet(old.encode()).decrypt(token.encode())
    crypto.configure(new, "a-new-hash-key-after-rotation")
    Session.expire_all()
    assert Session.get(Participant, p.id).personnummer == PNR
    assert participants.find_by_personnummer(p.unit_id, PNR) == p
    assert digest == crypto.lookup_hash(PNR)
    assert Session.query(AuditEvent).filter_by(action="personnummer.keys_rotated").count() == 1


def test_rotation_without_the_old_key_changes_nothing_and_says_so(app, db, keys):
    p = make_participant(personnummer=PNR)
    before = _raw(p.id)
    crypto.configure(Fernet.generate_key().decode(), "another-hash-key-entirely")
    result = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 2
    assert "cannot be decrypted" in result.output and "Traceback" not in result.output
    crypto.configure(*keys)
    assert _raw(p.id) == before


def test_rotate_keys_command_reports_the_rows(app, db, keys):
    make_participant(personnummer=PNR)
    result = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 1 personnummer" in result.output


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migration_encrypts_numbers_stored_in_clear_and_the_downgrade_restores_them(
    backend, tmp_path
):
    target = make_database(backend, tmp_path)
    try:
        database.downgrade(url=target.url, revision="0002")
        with target.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO units (id, name, municipality, county, export_personnummer, "
                    "created_at) VALUES (1, 'U', 'Karlskoga', '', false, '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO participants (id, unit_id, first_name, last_name, email, phone, "
                    "street, postal_code, municipality, protected_identity, personnummer, gender, "
                    "target_group, support_level, skills, interests, swedish_level, "
                    "driving_licence, cannot, needs, health_notes, consent, enrolled_on, "
                    "created_at, updated_at) VALUES (1, 1, 'A', 'B', '', '', '', '', 'Karlskoga', "
                    "false, :pnr, 'woman', 'other', 2, '[]', '[]', 'none', false, '[]', '[]', '', "
                    "'{}', '2026-01-01', '2026-01-01', '2026-01-01')"
                ),
                {"pnr": PNR},
            )
        database.upgrade(url=target.url)
        with target.engine.connect() as conn:
            token, digest = conn.execute(
                text("SELECT personnummer_enc, personnummer_hash FROM participants")
            ).one()
        assert token != PNR and crypto.decrypt(token) == PNR
        assert digest == crypto.lookup_hash(PNR)
        database.downgrade(url=target.url, revision="0002")
        with target.engine.connect() as conn:
            assert conn.scalar(text("SELECT personnummer FROM participants")) == PNR
    finally:
        target._cleanup()


def test_a_personnummer_never_reaches_the_audit_log_logs_or_urls(client, db, caplog):
    """Does the number leak when a coach enters, reveals, edits and exports it? Never."""
    caplog.set_level(logging.DEBUG)
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    p = make_participant(unit, coach)
    login(client, coach.email)
    urls = []
    response = client.post(
        f"/coach/participants/{p.id}/sensitive",
        data={"personnummer": "811218-9876", "health_notes": "", "cannot": [], "needs": []},
    )
    urls.append(response.headers.get("Location", ""))
    assert response.status_code in (302, 303), response.status_code
    Session.expire_all()
    assert Session.get(Participant, p.id).personnummer == PNR
    for method, path, data in (
        ("post", f"/coach/participants/{p.id}/reveal", {}),
        ("post", f"/coach/participants/{p.id}/sensitive", {"open": "1"}),
        ("get", f"/coach/participants/{p.id}/export.json", None),
        ("get", f"/coach/participants/{p.id}/export.html", None),
        ("get", f"/coach/participants/{p.id}/export.pdf", None),
    ):
        response = getattr(client, method)(path, data=data)
        urls.append(path + response.headers.get("Location", ""))
        assert response.status_code == 200, path
        assert path.endswith(".pdf") or PNR in response.get_data(as_text=True)
    details = " ".join(repr(e.details) for e in Session.query(AuditEvent).all())
    for secret in (PNR, "8112189876", "811218-9876", "9876"):
        assert secret not in details
        assert secret not in caplog.text
        assert not [u for u in urls if secret in u]
