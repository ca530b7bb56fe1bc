"""The employer contact log: who called whom at an employer, when, about what.

Every unit that works with the employer (its home unit, and units that may use one of its
offers: `services.sharing`) reads and adds to the same log, so outreach across units is
coordinated. Entries are appended, never edited, so two coaches writing at once both keep theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from models import Employer, EmployerContact, Session, User, utcnow
from models.contact_log import CONTACT_CHANNELS
from services import audit
from services.validation import N_, Invalid


@dataclass
class ContactData:
    contacted_on: date
    channel: str
    person: str
    subject: str


def entries(employer: Employer, limit: int = 200) -> list[EmployerContact]:
    """The newest entries first, with their unit and author (one query)."""
    return list(
        Session.scalars(
            select(EmployerContact)
            .options(joinedload(EmployerContact.unit), joinedload(EmployerContact.author))
            .where(EmployerContact.employer_id == employer.id)
            .order_by(EmployerContact.contacted_on.desc(), EmployerContact.id.desc())
            .limit(limit)
        )
    )


def add(actor: User, employer: Employer, data: ContactData) -> EmployerContact:
    """A coach records a contact; the caller has checked the employer is shared with the unit
    (`services.access.shared_employer`)."""
    if actor.role != "coach" or actor.unit_id is None:
        raise PermissionError("coaches keep the contact log")
    errors: dict[str, str] = {}
    subject = (data.subject or "").strip()
    if not subject or len(subject) > 2000:
        errors["subject"] = N_("Skriv vad kontakten gällde (högst 2000 tecken).")
    if data.channel not in CONTACT_CHANNELS:
        errors["channel"] = N_("Välj ett av alternativen.")
    if data.contacted_on > utcnow().date():
        errors["contacted_on"] = N_("Datumet kan inte vara i framtiden.")
    if errors:
        raise Invalid(errors)
    entry = EmployerContact(
        employer_id=employer.id,
        unit_id=actor.unit_id,
        author_id=actor.id,
        contacted_on=data.contacted_on,
        channel=data.channel,
        person=(data.person or "").strip()[:200],
        subject=subject,
    )
    db = Session()
    db.add(entry)
    db.flush()
    audit.record("employer.contact", actor=actor, subject=employer, details={"entry": entry.id})
    db.commit()
    return entry
