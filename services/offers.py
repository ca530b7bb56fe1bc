"""Placement offers: an employer creates, edits, publishes, pauses and closes them.

Every change that could change who fits the offer schedules a refresh of the engine's
suggestions (`services.suggestions.schedule_refresh_for_offer`), coalesced so that a burst of
edits causes one refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from models import Employer, Offer, Session, User, utcnow
from services import audit
from services.employers import get_workplace
from services.suggestions import schedule_refresh_for_offer
from services.validation import N_, Invalid

# Which status an employer may move an offer to from each status.
TRANSITIONS = {
    "draft": {"published", "closed"},
    "published": {"paused", "closed"},
    "paused": {"published", "closed"},
    "closed": set(),
}


@dataclass
class OfferData:
    title: str
    workplace_id: int
    kind: str = "praktik"
    description: str = ""
    tasks: str = ""
    occupation: str = ""
    skills_required: list[str] = field(default_factory=list)
    skills_desired: list[str] = field(default_factory=list)
    hours_min: float | None = None
    hours_max: float | None = None
    swedish_level: str = "none"
    requires_driving_licence: bool = False
    physical_demands: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    capacity: int = 1
    leads_to_employment: str | None = None
    supervisor_name: str = ""
    supervisor_email: str = ""
    supervisor_phone: str = ""
    start_from: date | None = None
    start_until: date | None = None
    duration_weeks: int | None = None
    max_open_candidates: int | None = None
    publish_on_verification: bool = False


def offers_of(employer_id: int) -> list[Offer]:
    return list(
        Session.scalars(
            select(Offer)
            .where(Offer.employer_id == employer_id)
            .order_by(Offer.status, Offer.title, Offer.id)
        )
    )


def get_offer(employer_id: int, offer_id: int) -> Offer | None:
    """The offer only when it is this employer's: another employer's id gives None (404)."""
    offer = Session.get(Offer, offer_id)
    if offer is None or offer.employer_id != employer_id:
        return None
    return offer


def save_offer(actor: User, offer_id: int | None, data: OfferData) -> Offer:
    """Create (as a draft) or update one of the actor's employer's offers."""
    db = Session()
    employer_id = actor.employer_id or 0
    _check(employer_id, data, None if offer_id is None else get_offer(employer_id, offer_id))
    if offer_id is None:
        offer = Offer(employer_id=employer_id, status="draft")
        db.add(offer)
    else:
        found = get_offer(employer_id, offer_id)
        if found is None:
            raise LookupError(offer_id)
        offer = found
    for name, value in vars(data).items():
        setattr(offer, name, value)
    offer.title = data.title.strip()
    db.flush()
    audit.record(
        "offer.created" if offer_id is None else "offer.updated", actor=actor, subject=offer
    )
    if offer.status == "published":
        schedule_refresh_for_offer(offer.id, requested_by_id=actor.id)
    db.commit()
    return offer


def set_status(actor: User, offer_id: int, status: str) -> Offer:
    """Publish, pause, resume or close; publishing needs a verified employer."""
    db = Session()
    offer = get_offer(actor.employer_id or 0, offer_id)
    if offer is None:
        raise LookupError(offer_id)
    if status not in TRANSITIONS.get(offer.status, set()):
        raise Invalid({"status": N_("Platsen kan inte få den statusen nu.")})
    if status == "published":
        publish(offer, actor)
    else:
        _change_status(offer, actor, status)
    db.commit()
    return offer


def publish(offer: Offer, actor: User, *, on_verification: bool = False) -> None:
    """The one publish path (the employer's button, and verification for the drafts the employer
    chose to publish at once): needs a verified employer; audited; refreshes suggestions. The
    caller commits."""
    employer = Session.get(Employer, offer.employer_id)
    if employer is None or not employer.verified:
        raise Invalid(
            {
                "status": N_(
                    "Arbetsgivaren är inte granskad än. En coach granskar nya arbetsgivare "
                    "innan platser kan publiceras."
                )
            }
        )
    if offer.published_at is None:
        offer.published_at = utcnow()
    _change_status(offer, actor, "published", on_verification=on_verification)


def _change_status(offer: Offer, actor: User, status: str, **details: object) -> None:
    before = offer.status
    offer.status = status
    extra = {k: v for k, v in details.items() if v}
    audit.record(
        "offer.status",
        actor=actor,
        subject=offer,
        details={"from": before, "to": status} | extra,
    )
    schedule_refresh_for_offer(offer.id, requested_by_id=actor.id)


def _check(employer_id: int, data: OfferData, existing: Offer | None) -> None:
    errors: dict[str, str] = {}
    if existing is not None and existing.status == "closed":
        raise Invalid({"status": N_("En stängd plats kan inte ändras.")})
    if get_workplace(employer_id, data.workplace_id) is None:
        errors["workplace_id"] = N_("Välj en av era arbetsplatser.")
    if (
        data.hours_min is not None
        and data.hours_max is not None
        and data.hours_min > data.hours_max
    ):
        errors["hours_max"] = N_("Högsta antalet timmar kan inte vara lägre än lägsta.")
    if data.start_from and data.start_until and data.start_from > data.start_until:
        errors["start_until"] = N_("Sista startdag kan inte vara före första startdag.")
    if data.max_open_candidates is not None and not 1 <= data.max_open_candidates <= 1000:
        errors["max_open_candidates"] = N_("Skriv ett tal från 1, eller lämna fältet tomt.")
    if existing is not None and data.capacity < existing.filled:
        errors["capacity"] = N_("Antalet platser kan inte vara lägre än antalet redan tillsatta.")
    if errors:
        raise Invalid(errors)
