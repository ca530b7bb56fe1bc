"""Which offers a unit may use, who owns an employer, and how an offer is shared.

The rule, written once (`usable_by`): a unit may use an offer when the offer's employer has no
home unit yet (registered, verified by an installation administrator: shared with everyone), when
the unit is the employer's home unit, when the offer is shared with named partner units and the
unit is one of them, or when it is shared with the region and the unit is in the home unit's
region. Suggestions (refresh and caseload runs), the manual-match picker, a coach opening an
offer, planning rounds and the employer contact log all ask here; reports count the unit's own
participants' matches, which can only be on offers the unit used.

Only the home unit's coaches (or an administrator) change how an offer is shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, false, insert, or_, select
from sqlalchemy.orm import Session as OrmSession

from models import Employer, Offer, Session, Unit, User
from models.offer import OFFER_SHARING
from models.region import offer_partner_units
from services import audit
from services.validation import N_, Invalid


def usable_by(unit_id: int | None) -> ColumnElement[bool]:
    """SQL condition on `Offer`: may the unit with this id use the offer?"""
    if unit_id is None:
        return false()
    home = Employer.home_unit_id
    region = select(Unit.region_id).where(Unit.id == unit_id).scalar_subquery()
    return or_(
        Offer.employer_id.in_(select(Employer.id).where(or_(home.is_(None), home == unit_id))),
        and_(
            Offer.sharing == "partners",
            exists().where(
                offer_partner_units.c.offer_id == Offer.id,
                offer_partner_units.c.unit_id == unit_id,
            ),
        ),
        and_(
            Offer.sharing == "region",
            Offer.employer_id.in_(
                select(Employer.id)
                .join(Unit, Unit.id == home)
                .where(Unit.region_id.is_not(None), Unit.region_id == region)
            ),
        ),
    )


def offers_usable_by(unit_id: int | None) -> Select[Any]:
    """Every offer (any status) the unit may use; callers add their own filters."""
    return select(Offer).where(usable_by(unit_id))


def may_use(unit_id: int | None, offer_id: int, db: OrmSession | None = None) -> bool:
    db = db or Session()
    return db.scalar(select(Offer.id).where(Offer.id == offer_id, usable_by(unit_id))) is not None


def unusable_open_offer_ids(unit_id: int | None, db: OrmSession | None = None) -> set[str]:
    """Open offers (published, a free slot) the unit may not use, as the engine's offer ids: the
    engine's index holds every open offer of the installation and leaves these out."""
    db = db or Session()
    rows = db.scalars(
        select(Offer.id).where(
            Offer.status == "published",
            Offer.filled < Offer.capacity,
            ~usable_by(unit_id),
        )
    )
    return {str(i) for i in rows}


def employers_shared_with(unit_id: int | None) -> Select[Any]:
    """The employers a unit works with: its own (home unit) and those with an offer it may use.
    They share the employer's contact log."""
    return select(Employer).where(
        or_(
            Employer.home_unit_id == unit_id,
            Employer.id.in_(select(Offer.employer_id).where(usable_by(unit_id))),
        )
    )


def units_sharing_employer(employer_id: int, db: OrmSession | None = None) -> list[int]:
    """The units that may use at least one of the employer's offers, or own it: the readers of
    its contact log."""
    db = db or Session()
    employer = db.get(Employer, employer_id)
    if employer is None:
        return []
    ids = []
    for unit_id in db.scalars(select(Unit.id).order_by(Unit.id)):
        if unit_id == employer.home_unit_id or db.scalar(
            select(Offer.id).where(Offer.employer_id == employer_id, usable_by(unit_id)).limit(1)
        ):
            ids.append(unit_id)
    return ids


def may_manage(actor: User, employer: Employer) -> bool:
    """The home unit's coaches and any administrator (of the home unit, or of the whole
    installation) keep the relationship: verify, change sharing."""
    if actor.role == "admin":
        return actor.unit_id is None or actor.unit_id == employer.home_unit_id
    return actor.role == "coach" and (
        employer.home_unit_id is None or actor.unit_id == employer.home_unit_id
    )


def current_sharing(offer: Offer) -> tuple[str, tuple[int, ...]]:
    """How the offer is shared now: the setting and its partner units, as a form shows them."""
    partners = Session.scalars(
        select(offer_partner_units.c.unit_id)
        .where(offer_partner_units.c.offer_id == offer.id)
        .order_by(offer_partner_units.c.unit_id)
    )
    return offer.sharing, tuple(partners)


class StaleSharing(Invalid):
    """Someone changed the offer's sharing after the form was loaded; nothing was written."""


def set_sharing(
    actor: User,
    offer: Offer,
    sharing: str,
    partner_unit_ids: Iterable[int] = (),
    *,
    seen: tuple[str, tuple[int, ...]] | None = None,
) -> Offer:
    """Share an offer with the home unit only, named partner units, or the whole region.

    `seen`: the setting the form showed; when it changed meanwhile nothing is written
    (`StaleSharing`). The offer row is locked first on PostgreSQL, so the comparison holds."""
    db = Session()
    db.execute(select(Offer.id).where(Offer.id == offer.id).with_for_update())
    db.refresh(offer)
    if seen is not None and current_sharing(offer) != (seen[0], tuple(sorted(seen[1]))):
        db.rollback()
        raise StaleSharing(
            {
                "sharing": N_(
                    "Någon annan ändrade delningen under tiden. Sidan visar nu det som gäller; "
                    "gör din ändring igen."
                )
            }
        )
    employer = db.get(Employer, offer.employer_id)
    if employer is None or employer.home_unit_id is None or not may_manage(actor, employer):
        raise PermissionError("only the home unit shares this employer's offers")
    if sharing not in OFFER_SHARING:
        raise Invalid({"sharing": N_("Välj vilka som får använda platsen.")})
    partners = sorted({int(u) for u in partner_unit_ids} - {employer.home_unit_id})
    known = set(db.scalars(select(Unit.id).where(Unit.id.in_(partners))))
    if sharing == "partners" and (not partners or known != set(partners)):
        raise Invalid({"partner_units": N_("Välj minst en samarbetsenhet.")})
    before = {"sharing": offer.sharing}
    offer.sharing = sharing
    db.execute(delete(offer_partner_units).where(offer_partner_units.c.offer_id == offer.id))
    if sharing == "partners":
        db.execute(
            insert(offer_partner_units),
            [{"offer_id": offer.id, "unit_id": u} for u in partners],
        )
    db.expire(offer, ["partner_units"])
    audit.record(
        "offer.sharing",
        actor=actor,
        subject=offer,
        details=before | {"to": sharing, "partners": partners},
    )
    from services.suggestions import schedule_refresh_for_offer

    schedule_refresh_for_offer(offer.id, requested_by_id=actor.id)
    db.commit()
    return offer
