"""Managing a unit's indicator set: add, edit, reorder, deactivate; scale and anchor texts.

An installation admin (no unit) edits the default set. A unit's manager edits the unit's own set;
the first edit copies the default set to the unit, so one unit's changes never reach another's.
Indicators are deactivated, never deleted: old answers keep pointing at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from models import Indicator, Session, User
from services import audit
from services.progression import has_own_set, indicator_set

ANSWERED_BY = ("both", "participant", "coach")

# The statement a person agrees with on the scale, in their own voice, for the seeded BIP keys:
# used while an indicator has no statement of its own (sets made before statements existed).
DEFAULT_STATEMENTS = {
    "job_search": ("Jag vet hur jag söker jobb", "I know how to look for a job"),
    "labour_market": ("Jag vet vilka jobb som finns för mig", "I know which jobs there are for me"),
    "health": (
        "Jag mår så bra att jag klarar vardagen",
        "I feel well enough to manage everyday life",
    ),
    "cooperation": ("Jag kan arbeta tillsammans med andra", "I can work together with others"),
    "determination": (
        "Jag vet vad jag vill och jobbar för det",
        "I know what I want and work for it",
    ),
    "self_belief": ("Jag tror att jag klarar ett jobb", "I believe I can manage a job"),
    "coach_belief": ("Jag tror att personen får ett jobb", "I believe this person will get a job"),
}


def statement(indicator: Any, lang: str) -> str:
    """The statement to agree with, in `lang`: the indicator's own, the default for its key, or
    at last its label."""
    sv, en = indicator.statement_sv or "", indicator.statement_en or ""
    default = DEFAULT_STATEMENTS.get(indicator.key, ("", ""))
    sv, en = sv or default[0], en or default[1]
    if lang == "en":
        return en or sv or indicator.label_en or indicator.label_sv
    return sv or indicator.label_sv


SCALE_LIMITS = (0, 10)


class IndicatorError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass
class IndicatorInput:
    key: str
    label_sv: str
    label_en: str
    answered_by: str = "both"
    scale_min: int = 1
    scale_max: int = 5
    anchors: dict[str, dict[str, str]] | None = None
    statement_sv: str = ""
    statement_en: str = ""


def owner_unit(user: User) -> int | None:
    """Whose set this admin edits: their unit's, or the default (installation admins)."""
    if user.role != "admin":
        raise PermissionError("only administrators manage indicators")
    return user.unit_id


def ensure_own_set(unit_id: int | None) -> None:
    """Copy the default set to the unit before its first change (no-op for the default set)."""
    if unit_id is None or has_own_set(unit_id):
        return
    for d in indicator_set(None, include_inactive=True):
        Session.add(
            Indicator(
                unit_id=unit_id,
                key=d.key,
                label_sv=d.label_sv,
                label_en=d.label_en,
                statement_sv=d.statement_sv,
                statement_en=d.statement_en,
                answered_by=d.answered_by,
                scale_min=d.scale_min,
                scale_max=d.scale_max,
                anchors=dict(d.anchors or {}),
                position=d.position,
                active=d.active,
            )
        )
    Session.flush()


def check(data: IndicatorInput, unit_id: int | None, indicator_id: int | None) -> None:
    problems = {}
    if not data.key or not data.key.replace("_", "").isalnum() or len(data.key) > 40:
        problems["key"] = "key"
    if not data.label_sv.strip() or not data.label_en.strip():
        problems["label_sv" if not data.label_sv.strip() else "label_en"] = "required"
    if data.answered_by not in ANSWERED_BY:
        problems["answered_by"] = "choice"
    low, high = SCALE_LIMITS
    if not (low <= data.scale_min < data.scale_max <= high):
        problems["scale_max"] = "scale"
    for value in data.anchors or {}:
        if not value.isdigit() or not data.scale_min <= int(value) <= data.scale_max:
            problems["anchors"] = "anchor_outside_scale"
    same_key = [i for i in indicator_set(unit_id, include_inactive=True) if i.key == data.key]
    if any(i.id != indicator_id for i in same_key):
        problems["key"] = "duplicate"
    if problems:
        raise IndicatorError(problems)


def save(actor: User, data: IndicatorInput, indicator_id: int | None = None) -> Indicator:
    unit_id = owner_unit(actor)
    ensure_own_set(unit_id)
    if indicator_id is not None:
        indicator = _own(unit_id, indicator_id)
        # After a copy, an id of the default set stands for the unit's copy with the same key.
        indicator_id = indicator.id
    check(data, unit_id, indicator_id)
    if indicator_id is None:
        position = Session.scalar(
            select(func.coalesce(func.max(Indicator.position), -1)).where(
                Indicator.unit_id.is_(None) if unit_id is None else Indicator.unit_id == unit_id
            )
        )
        indicator = Indicator(unit_id=unit_id, position=position + 1)
        Session.add(indicator)
    indicator.key = data.key
    indicator.label_sv, indicator.label_en = data.label_sv.strip(), data.label_en.strip()
    indicator.statement_sv = data.statement_sv.strip()[:300]
    indicator.statement_en = data.statement_en.strip()[:300]
    indicator.answered_by = data.answered_by
    indicator.scale_min, indicator.scale_max = data.scale_min, data.scale_max
    indicator.anchors = {
        k: v for k, v in (data.anchors or {}).items() if v.get("sv") or v.get("en")
    }
    Session.flush()
    audit.record("indicator.save", actor=actor, subject=indicator, details={"key": data.key})
    return indicator


def _own(unit_id: int | None, indicator_id: int) -> Indicator:
    indicator = Session.get(Indicator, indicator_id)
    if indicator is None:
        raise LookupError(indicator_id)
    if indicator.unit_id == unit_id:
        return indicator
    if indicator.unit_id is None and unit_id is not None:
        copy = next(
            (i for i in indicator_set(unit_id, include_inactive=True) if i.key == indicator.key),
            None,
        )
        if copy is not None:
            return copy
    raise LookupError(indicator_id)


def get(actor: User, indicator_id: int) -> Indicator:
    return _own(owner_unit(actor), indicator_id)


def set_active(actor: User, indicator_id: int, active: bool) -> Indicator:
    unit_id = owner_unit(actor)
    ensure_own_set(unit_id)
    indicator = _own(unit_id, indicator_id)
    indicator.active = active
    audit.record("indicator.active", actor=actor, subject=indicator, details={"active": active})
    Session.flush()
    return indicator


def move(actor: User, indicator_id: int, step: int) -> list[Indicator]:
    """Move one place up (-1) or down (+1); positions are renumbered 0..n-1."""
    unit_id = owner_unit(actor)
    ensure_own_set(unit_id)
    indicator = _own(unit_id, indicator_id)
    ordered = indicator_set(unit_id, include_inactive=True)
    i = next(n for n, x in enumerate(ordered) if x.id == indicator.id)
    j = max(0, min(len(ordered) - 1, i + step))
    ordered.insert(j, ordered.pop(i))
    for pos, x in enumerate(ordered):
        x.position = pos
    Session.flush()
    return ordered


def anchors_from(values: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Form values like anchor_1_sv / anchor_5_en into the stored {"1": {"sv":…, "en":…}}."""
    out: dict[str, dict[str, str]] = {}
    for name, text in values.items():
        parts = name.split("_")
        if len(parts) == 3 and parts[0] == "anchor" and parts[2] in ("sv", "en") and text:
            out.setdefault(parts[1], {})[parts[2]] = str(text).strip()
    return out
