"""Follow-along support after a job start (IPS, SIUS): periods of support and their contacts.

When a placement ends in a job, or a participant starts work, the coach keeps supporting the
person and the employer: each period names the kinds of support, its start and planned end;
each contact is dated, with whom (participant, employer, supervisor), how (visit, phone, video)
and what about. Only the participant's unit's coaches and its manager (an admin of that unit)
read and write it; every change is audited. A period is changed only from the version the
editor read (`version_id`), so two coaches never silently overwrite each other (409).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from models import FollowAlongContact, FollowAlongSupport, Match, Participant, Session, User
from models.db import today as utc_today
from models.follow_along import CONTACT_HOW, CONTACT_WITH, SUPPORT_KINDS
from services import audit
from services.validation import N_, Invalid

KIND_LABELS = {
    "on_the_job": _l("Stöd på arbetsplatsen"),
    "employer_advice": _l("Råd och stöd till arbetsgivaren"),
    "task_adjustment": _l("Anpassning av arbetsuppgifter"),
    "work_environment": _l("Anpassning av arbetsplatsen eller hjälpmedel"),
    "workplace_introduction": _l("Introduktion på arbetsplatsen"),
    "crisis": _l("Krisstöd"),
    "outside_work": _l("Stöd utanför arbetet (resor, ekonomi, vardag)"),
    "other": _l("Annat stöd"),
}
WITH_LABELS = {
    "participant": _l("Deltagaren"),
    "employer": _l("Arbetsgivaren"),
    "supervisor": _l("Handledaren"),
}
HOW_LABELS = {"visit": _l("Besök"), "phone": _l("Telefon"), "video": _l("Video")}
assert set(KIND_LABELS) == set(SUPPORT_KINDS)
assert set(WITH_LABELS) == set(CONTACT_WITH) and set(HOW_LABELS) == set(CONTACT_HOW)

ABOUT_MAX = 2000
# Matches a period of support may follow: the employer said yes and on.
JOB_STATES = ("accepted", "placement_planned", "ongoing", "completed")


class Stale(Exception):
    """The period changed since the editor read it (the web answers 409)."""


def may_work(user: User | None, participant: Participant) -> bool:
    """The participant's unit's coaches and its manager (an admin with that unit)."""
    return (
        user is not None
        and user.role in ("coach", "admin")
        and user.unit_id is not None
        and user.unit_id == participant.unit_id
    )


def _require(user: User, participant: Participant) -> None:
    if not may_work(user, participant):
        raise PermissionError("only the participant's unit keeps their follow-along support")


@dataclass
class SupportData:
    kinds: list[str] = field(default_factory=list)
    start_on: date | None = None
    planned_end_on: date | None = None
    ended_on: date | None = None
    employer_name: str = ""
    match_id: int | None = None
    note: str = ""


@dataclass
class ContactData:
    contact_on: date | None
    with_whom: str
    channel: str
    about: str = ""


def job_matches(participant: Participant) -> list[Match]:
    """The participant's placements a period may be tied to (newest first)."""
    return list(
        Session.scalars(
            select(Match)
            .where(Match.participant_id == participant.id, Match.status.in_(JOB_STATES))
            .order_by(Match.id.desc())
        )
    )


def _checked(participant: Participant, data: SupportData) -> SupportData:
    errors: dict[str, str] = {}
    kinds = [k for k in dict.fromkeys(data.kinds) if k]
    if not kinds:
        errors["kinds"] = N_("Välj minst en typ av stöd.")
    elif any(k not in SUPPORT_KINDS for k in kinds):
        errors["kinds"] = N_("Välj typ av stöd i listan.")
    if data.start_on is None:
        errors["start_on"] = N_("Skriv när stödet började.")
    else:
        if data.planned_end_on is not None and data.planned_end_on < data.start_on:
            errors["planned_end_on"] = N_("Det planerade slutet kan inte vara före starten.")
        if data.ended_on is not None and data.ended_on < data.start_on:
            errors["ended_on"] = N_("Slutdagen kan inte vara före starten.")
    if data.match_id is not None and data.match_id not in {m.id for m in job_matches(participant)}:
        errors["match_id"] = N_("Välj en av deltagarens arbetsplatser.")
    if len(data.employer_name.strip()) > 200:
        errors["employer_name"] = N_("Arbetsgivarens namn är för långt.")
    if len(data.note.strip()) > ABOUT_MAX:
        errors["note"] = N_("Anteckningen är för lång.")
    if errors:
        raise Invalid(errors)
    employer = data.employer_name.strip()
    if not employer and data.match_id is not None:
        match = Session.get(Match, data.match_id)
        employer = match.offer.employer.name if match is not None else ""
    return SupportData(
        kinds=kinds,
        start_on=data.start_on,
        planned_end_on=data.planned_end_on,
        ended_on=data.ended_on,
        employer_name=employer,
        match_id=data.match_id,
        note=data.note.strip(),
    )


def start(user: User, participant: Participant, data: SupportData) -> FollowAlongSupport:
    """A new period of support (audited)."""
    _require(user, participant)
    clean = _checked(participant, data)
    support = FollowAlongSupport(
        participant_id=participant.id, created_by_id=user.id, **vars(clean)
    )
    db = Session()
    db.add(support)
    db.flush()
    audit.record(
        "follow_along.start",
        actor=user,
        subject=participant,
        details={"support_id": support.id, "kinds": clean.kinds},
    )
    db.commit()
    return support


def support_of(participant: Participant, support_id: int) -> FollowAlongSupport:
    found = Session.get(FollowAlongSupport, support_id)
    if found is None or found.participant_id != participant.id:
        raise LookupError("no such period of support")
    return found


def update(
    user: User, participant: Participant, support_id: int, data: SupportData, version: int
) -> FollowAlongSupport:
    """Change a period, only from the version the editor read (else `Stale`); audited."""
    _require(user, participant)
    support = support_of(participant, support_id)
    if version != support.version_id:
        raise Stale(support_id)
    clean = _checked(participant, data)
    before = {k: _plain(getattr(support, k)) for k in vars(clean)}
    for name, value in vars(clean).items():
        setattr(support, name, value)
    after = {k: _plain(getattr(support, k)) for k in vars(clean)}
    changed = sorted(k for k in after if after[k] != before[k])
    if not changed:
        Session.rollback()
        return support
    audit.record(
        "follow_along.update",
        actor=user,
        subject=participant,
        details={"support_id": support.id, "changed": changed},
    )
    try:
        Session.commit()
    except StaleDataError as exc:  # another coach's change won the row meanwhile
        Session.rollback()
        raise Stale(support_id) from exc
    return support


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def add_contact(
    user: User, participant: Participant, support_id: int, data: ContactData
) -> FollowAlongContact:
    """A dated contact within a period (audited)."""
    _require(user, participant)
    support = support_of(participant, support_id)
    errors: dict[str, str] = {}
    if data.contact_on is None:
        errors["contact_on"] = N_("Skriv ett datum.")
    elif data.contact_on > utc_today():
        errors["contact_on"] = N_("Datumet kan inte vara i framtiden.")
    if data.with_whom not in CONTACT_WITH:
        errors["with_whom"] = N_("Välj vem kontakten var med.")
    if data.channel not in CONTACT_HOW:
        errors["channel"] = N_("Välj hur kontakten togs.")
    about = (data.about or "").strip()
    if not about:
        errors["about"] = N_("Skriv vad kontakten gällde.")
    elif len(about) > ABOUT_MAX:
        errors["about"] = N_("Texten är för lång.")
    if errors:
        raise Invalid(errors)
    contact = FollowAlongContact(
        support_id=support.id,
        contact_on=data.contact_on,
        with_whom=data.with_whom,
        channel=data.channel,
        about=about,
        coach_id=user.id,
    )
    db = Session()
    db.add(contact)
    db.flush()
    audit.record(
        "follow_along.contact",
        actor=user,
        subject=participant,
        details={"support_id": support.id, "contact_id": contact.id, "with": data.with_whom},
    )
    db.commit()
    return contact


def periods(participant: Participant) -> list[FollowAlongSupport]:
    """The participant's periods of support, the newest first, with their contacts."""
    return list(
        Session.scalars(
            select(FollowAlongSupport)
            .where(FollowAlongSupport.participant_id == participant.id)
            .options(
                selectinload(FollowAlongSupport.contacts).selectinload(FollowAlongContact.coach)
            )
            .order_by(FollowAlongSupport.start_on.desc(), FollowAlongSupport.id.desc())
        )
    )


def active_on(support: FollowAlongSupport, day: date) -> bool:
    return support.start_on <= day and (support.ended_on is None or support.ended_on >= day)
