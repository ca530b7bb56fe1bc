"""A unit's settings (its default commuting limit, its region) and the regions themselves.

The default commuting limit applies to every participant of the unit who has none of their own
(`services.offer_index.commute_limit`); changing it refreshes the unit's suggestions. Edits are
guarded against a concurrent edit: the change is written only when the stored value is still the
one the editor saw, otherwise `Invalid` says so and nothing is overwritten.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from models import Region, Session, Unit, User
from services import audit
from services.validation import N_, Invalid

MAX_COMMUTE_KM = 500


class Stale(Invalid):
    """Another edit changed the settings after the form was loaded; nothing was written."""


def regions() -> list[Region]:
    return list(Session.scalars(select(Region).order_by(Region.name)))


def units() -> list[Unit]:
    return list(Session.scalars(select(Unit).order_by(Unit.name)))


def create_region(actor: User, name: str) -> Region:
    """An installation administrator adds a region (a län, a samordningsförbund)."""
    if actor.role != "admin" or actor.unit_id is not None:
        raise PermissionError("regions are set up by installation administrators")
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise Invalid({"name": N_("Skriv regionens namn (högst 200 tecken).")})
    db = Session()
    if db.scalar(select(Region.id).where(func.lower(Region.name) == name.lower())):
        raise Invalid({"name": N_("Det finns redan en region med det namnet.")})
    region = Region(name=name)
    db.add(region)
    db.flush()
    audit.record("region.created", actor=actor, subject=region, details={"name": name})
    db.commit()
    return region


def update_settings(
    actor: User,
    unit: Unit,
    *,
    default_max_commute_km: float,
    seen_km: float,
    region_id: int | None = None,
    seen_region_id: int | None = None,
) -> Unit:
    """Change the unit's default commuting limit (its manager or an installation administrator)
    and, for an installation administrator only, its region. `seen_*`: the values the form
    showed; when another edit changed them meanwhile nothing is written."""
    if actor.role != "admin" or actor.unit_id not in (None, unit.id):
        raise PermissionError("unit settings are for the unit's manager")
    km = float(default_max_commute_km)
    if not 1 <= km <= MAX_COMMUTE_KM:
        raise Invalid({"default_max_commute_km": N_("Skriv ett avstånd mellan 1 och 500 km.")})
    db = Session()
    values: dict[str, object] = {"default_max_commute_km": km}
    guard = [Unit.id == unit.id, Unit.default_max_commute_km == float(seen_km)]
    if actor.unit_id is None:
        if region_id is not None and db.get(Region, region_id) is None:
            raise Invalid({"region_id": N_("Välj en av regionerna.")})
        values["region_id"] = region_id
        guard.append(
            Unit.region_id.is_(None) if seen_region_id is None else Unit.region_id == seen_region_id
        )
    before = {"default_max_commute_km": unit.default_max_commute_km, "region_id": unit.region_id}
    changed = db.execute(update(Unit).where(*guard).values(**values)).rowcount
    if changed != 1:
        db.rollback()
        raise Stale(
            {
                "default_max_commute_km": N_(
                    "Någon annan ändrade inställningarna under tiden. Sidan visar nu det som "
                    "gäller; gör din ändring igen."
                )
            }
        )
    db.expire(unit)
    audit.record("unit.settings", actor=actor, subject=unit, details={"from": before, "to": values})
    from services.suggestions import schedule_refresh_for_unit

    affected = {unit.id} if before["default_max_commute_km"] != km else set()
    if before["region_id"] != unit.region_id:
        # Both regions' units gain or lose this unit's region-wide offers, and it theirs.
        regions = {r for r in (before["region_id"], unit.region_id) if r is not None}
        affected |= {unit.id} | set(db.scalars(select(Unit.id).where(Unit.region_id.in_(regions))))
    for unit_id in sorted(affected):
        schedule_refresh_for_unit(unit_id, requested_by_id=actor.id)
    db.commit()
    return unit
