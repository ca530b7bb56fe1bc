"""Who may see which figures, and the filters a report page offers.

A coach sees their own caseload (participants whose coach they are), or on request the whole
unit's figures (coaches of a unit work with all its participants); an admin with a unit (the
unit's manager) sees that unit; an admin without a unit sees every unit and may pick one. The
scope is worked out here, once, for the pages, the downloads and the background jobs alike.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from models import Participant, User


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    unit_id: int | None = None
    municipality: str = ""
    target_group: str = ""
    support_level: int | None = None
    whole_unit: bool = False  # a coach asks for the unit, not only their own caseload

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("start", "end"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Filters:
        values = dict(data)
        for key in ("start", "end"):
            values[key] = date.fromisoformat(values[key]) if values.get(key) else None
        return cls(**values)


@dataclass(frozen=True)
class Scope:
    filters: Filters
    unit_id: int | None = None  # forced by the role; None = every unit
    coach_id: int | None = None  # a coach's own caseload

    def to_json(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_json(),
            "unit_id": self.unit_id,
            "coach_id": self.coach_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scope:
        return cls(Filters.from_json(data["filters"]), data.get("unit_id"), data.get("coach_id"))


class ScopeError(ValueError):
    """The user may not see reports (wrong role) or asked for a unit outside their scope."""


def scope_for(user: User, filters: Filters) -> Scope:
    if user.role == "coach":
        if user.unit_id is None:
            raise ScopeError("coach without unit")
        if filters.whole_unit:
            return Scope(filters, unit_id=user.unit_id)
        return Scope(filters, unit_id=user.unit_id, coach_id=user.id)
    if user.role == "admin":
        if user.unit_id is not None:
            if filters.unit_id not in (None, user.unit_id):
                raise ScopeError("unit outside the manager's own")
            return Scope(filters, unit_id=user.unit_id)
        return Scope(filters, unit_id=filters.unit_id)
    raise ScopeError(f"role {user.role} has no reports")


def participants_query(scope: Scope) -> Select[Any]:
    """The participants a scope covers, before any period is applied."""
    query = select(Participant)
    f = scope.filters
    if scope.unit_id is not None:
        query = query.where(Participant.unit_id == scope.unit_id)
    if scope.coach_id is not None:
        query = query.where(Participant.coach_id == scope.coach_id)
    if f.municipality:
        query = query.where(Participant.municipality == f.municipality)
    if f.target_group:
        query = query.where(Participant.target_group == f.target_group)
    if f.support_level is not None:
        query = query.where(Participant.support_level == f.support_level)
    return query.order_by(Participant.id)
