"""The schema: migrations agree with the models, go down and up again, and guard integrity."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from models import AuditEvent, Offer, Session
from models.audit import AuditLogIsAppendOnly
from services import audit, database
from tests.conftest import make_database
from tests.factories import make_offer


def test_models_and_migrations_agree(database):
    """Would CI notice a model change without a migration? drift() must be empty after upgrade."""
    with database.engine.connect() as conn:
        assert database_drift(conn) == []


def database_drift(conn):
    return database.drift(conn)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_downgrade_to_base_and_upgrade_again(backend, tmp_path):
    db = make_database(backend, tmp_path)
    try:
        database.downgrade(url=db.url, revision="base")
        with db.engine.connect() as conn:
            names = set(conn.dialect.get_table_names(conn))
        assert names <= {"alembic_version"}
        database.upgrade(url=db.url)
        with db.engine.connect() as conn:
            assert database.drift(conn) == []
    finally:
        db._cleanup()


def test_audit_log_refuses_changes_through_the_orm(db):
    event = audit.record("test.action", details={"k": 1})
    db.commit()
    event.action = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()
    db.rollback()


def test_audit_log_refuses_changes_in_sql(db):
    """Even raw SQL cannot rewrite history: the database triggers refuse it."""
    audit.record("test.action")
    db.flush()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.begin_nested():
            db.execute(text("UPDATE audit_events SET action = 'x'"))
    with pytest.raises(DBAPIError, match="append-only"):
        with db.begin_nested():
            db.execute(text("DELETE FROM audit_events"))
    assert db.query(AuditEvent).count() == 1


def test_offer_cannot_hold_more_participants_than_slots(db):
    offer = make_offer(capacity=1)
    offer.filled = 2
    with pytest.raises(IntegrityError):
        with db.begin_nested():
            db.flush()


def test_guarded_increment_takes_the_last_slot_once(db):
    """The capacity rule as the workflow uses it: a guarded UPDATE succeeds once per free slot."""
    offer = make_offer(capacity=1)
    db.commit()
    stmt = text("UPDATE offers SET filled = filled + 1 WHERE id = :id AND filled < capacity")
    assert db.execute(stmt, {"id": offer.id}).rowcount == 1
    assert db.execute(stmt, {"id": offer.id}).rowcount == 0
    db.expire_all()
    assert Session.get(Offer, offer.id).filled == 1


def test_timestamps_come_back_in_utc(db):
    event = audit.record("x")
    db.commit()
    db.expire_all()
    again = db.get(AuditEvent, event.id)
    assert again.at.tzinfo is not None
    assert again.at.utcoffset().total_seconds() == 0
