"""Count the SQL statements a block of code sends (SQLAlchemy's `before_cursor_execute`), so
tests can pin a page's query count and an N+1 cannot creep back unnoticed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_statements() -> Iterator[Counted]:
    counted = Counted()

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            counted.statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield counted
    finally:
        event.remove(Engine, "before_cursor_execute", record)
