"""data rights: personnummer encrypted with a lookup hash, retention per unit, anonymisation
mark, correction requests with a due date and an answer.

Existing personnummer are encrypted into `personnummer_enc` with the keys the app is configured
with (`PERSONNUMMER_KEYS`, `PERSONNUMMER_HASH_KEY`) and the clear-text column is dropped; the
downgrade decrypts them again. Columns are added and dropped with plain ALTER TABLE (SQLite 3.35+
does both natively) so that SQLite never rebuilds a table that others reference.

Revision ID: 0142
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""

from datetime import date, datetime

from alembic import op
import sqlalchemy as sa
import models.db
from models import crypto


revision = '0142'
down_revision = '0002'
branch_labels = None
depends_on = None


def _drop(table: str, column: str) -> None:
    op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def _month_after(created):  # type: ignore[no-untyped-def]
    if isinstance(created, str):
        created = datetime.fromisoformat(created)
    start = created.date() if isinstance(created, datetime) else created
    month = start.month % 12 + 1
    year = start.year + (start.month == 12)
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def upgrade() -> None:
    op.add_column('participants', sa.Column('personnummer_enc', sa.Text(), nullable=True))
    op.add_column('participants', sa.Column('personnummer_hash', sa.String(length=64), nullable=True))
    op.add_column('participants', sa.Column('anonymised_at', models.db.UTCDateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_participants_personnummer_hash'), 'participants', ['personnummer_hash'], unique=False)
    op.add_column('units', sa.Column('retention_months', sa.Integer(), nullable=True))
    op.add_column('correction_requests', sa.Column('due_on', sa.Date(), nullable=True))
    op.add_column('correction_requests', sa.Column('answer', sa.Text(), nullable=False, server_default=''))

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, personnummer FROM participants WHERE personnummer IS NOT NULL"
    )).all()
    for pid, plain in rows:
        conn.execute(
            sa.text("UPDATE participants SET personnummer_enc = :enc, personnummer_hash = :h WHERE id = :id"),
            {"enc": crypto.encrypt(plain), "h": crypto.lookup_hash(plain), "id": pid},
        )
    _drop('participants', 'personnummer')
    for cid, created in conn.execute(sa.text("SELECT id, created_at FROM correction_requests")).all():
        conn.execute(
            sa.text("UPDATE correction_requests SET due_on = :d WHERE id = :id"),
            {"d": _month_after(created), "id": cid},
        )


def downgrade() -> None:
    op.add_column('participants', sa.Column('personnummer', sa.String(length=13), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, personnummer_enc FROM participants WHERE personnummer_enc IS NOT NULL"
    )).all()
    for pid, token in rows:
        conn.execute(
            sa.text("UPDATE participants SET personnummer = :plain WHERE id = :id"),
            {"plain": crypto.decrypt(token), "id": pid},
        )
    _drop('correction_requests', 'answer')
    _drop('correction_requests', 'due_on')
    _drop('units', 'retention_months')
    op.drop_index(op.f('ix_participants_personnummer_hash'), table_name='participants')
    _drop('participants', 'anonymised_at')
    _drop('participants', 'personnummer_hash')
    _drop('participants', 'personnummer_enc')
