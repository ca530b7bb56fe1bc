"""Factories: small functions that add a valid row with overridable fields and flush it."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from models import Employer, Offer, Participant, Session, Unit, User, Workplace
from models.identity import with_check_digit
from services.accounts import hash_password

_seq = itertools.count(1)
_PW_HASH: dict[str, str] = {}
TEST_PASSWORD = "pw-for-tests"  # noqa: S105


def _hash(password: str) -> str:
    if password not in _PW_HASH:
        _PW_HASH[password] = hash_password(password)
    return _PW_HASH[password]


def _add(obj: Any) -> Any:
    Session.add(obj)
    Session.flush()
    return obj


def make_unit(**kw: Any) -> Unit:
    n = next(_seq)
    return _add(Unit(**({"name": f"Enhet {n}", "municipality": "Karlskoga"} | kw)))


def make_user(role: str = "coach", password: str = TEST_PASSWORD, **kw: Any) -> User:
    n = next(_seq)
    defaults = {"email": f"{role}{n}@test.example", "name": f"{role.title()} {n}", "role": role}
    return _add(User(password_hash=_hash(password), **(defaults | kw)))


def make_employer(**kw: Any) -> Employer:
    n = next(_seq)
    org = with_check_digit(f"55{n:07d}")
    defaults = {"name": f"Arbetsgivare {n} AB", "org_number": f"{org[:6]}-{org[6:]}"}
    return _add(Employer(**(defaults | kw)))


def make_workplace(employer: Employer | None = None, **kw: Any) -> Workplace:
    employer = employer or make_employer()
    defaults = {"name": employer.name, "municipality": "Karlskoga", "lat": 59.3267, "lon": 14.5239}
    return _add(Workplace(employer_id=employer.id, **(defaults | kw)))


def make_offer(workplace: Workplace | None = None, **kw: Any) -> Offer:
    workplace = workplace or make_workplace()
    defaults = {
        "title": "Lagerarbetare",
        "status": "published",
        "skills_required": ["truckkort"],
        "capacity": 1,
    }
    return _add(
        Offer(employer_id=workplace.employer_id, workplace_id=workplace.id, **(defaults | kw))
    )


def make_participant(unit: Unit | None = None, coach: User | None = None, **kw: Any) -> Participant:
    unit = unit or make_unit()
    n = next(_seq)
    defaults = {
        "first_name": f"Deltagare{n}",
        "last_name": "Testsson",
        "municipality": "Karlskoga",
        "lat": 59.33,
        "lon": 14.52,
        "enrolled_on": date(2026, 9, 1),
        "skills": ["truckkort"],
    }
    return _add(
        Participant(unit_id=unit.id, coach_id=coach.id if coach else None, **(defaults | kw))
    )
