"""Storage limitation (GDPR art. 5(1)(e)): anonymise participants once their unit's retention
period after exit has passed.

Run nightly (`flask --app web retention`, a dry run that only lists and logs what is due, then
`--apply`). Anonymising keeps exactly what the reports count (`services.reports.data`:
unit, coach, gender, birth year, target group, support level, municipality, the dates and
outcomes) and the placements', matches' and assessments' codes and dates, so a report for a past
period gives the same figures before and after. Everything that identifies or describes the
person goes: name, contact details, address, coordinates, personnummer, health data, skills,
interests, consent, free text written about them, their notifications and e-mails, and their
login (deactivated and renamed). The audit log keeps ids only and is not touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select, update

from models import (
    Activity,
    CoachChange,
    CorrectionRequest,
    FollowAlongContact,
    FollowAlongSupport,
    Match,
    Notification,
    OutboxEmail,
    Participant,
    Placement,
    PlacementNote,
    Session,
    Unit,
    User,
    utcnow,
)
from services import audit
from services.validation import N_, Invalid

ANONYMOUS_NAME = "Anonymiserad"
MAX_MONTHS = 240


def months_after(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the end of a shorter month."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Due:
    participant_id: int
    unit_id: int
    exited_on: date
    months: int
    due_on: date


@dataclass
class Result:
    applied: bool
    due: list[Due] = field(default_factory=list)


def due(today: date, default_months: int) -> list[Due]:
    """Participants whose retention period after exit has passed and who are not yet anonymised."""
    rows = Session.execute(
        select(Participant.id, Participant.unit_id, Participant.exited_on, Unit.retention_months)
        .join(Unit, Unit.id == Participant.unit_id)
        .where(Participant.exited_on.is_not(None), Participant.anonymised_at.is_(None))
        .order_by(Participant.id)
    ).all()
    found = []
    for pid, unit_id, exited_on, unit_months in rows:
        months = unit_months if unit_months is not None else default_months
        due_on = months_after(exited_on, months)
        if due_on <= today:
            found.append(Due(pid, unit_id, exited_on, months, due_on))
    return found


def run(today: date, default_months: int, *, apply: bool) -> Result:
    """List (dry run) or anonymise everyone due; either way one audit entry says what was found."""
    result = Result(applied=apply, due=due(today, default_months))
    by_unit: dict[str, int] = {}
    for item in result.due:
        by_unit[str(item.unit_id)] = by_unit.get(str(item.unit_id), 0) + 1
    if apply:
        for item in result.due:
            anonymise(Session.get(Participant, item.participant_id), item)
    audit.record(
        "retention.applied" if apply else "retention.dry_run",
        details={"participants": len(result.due), "by_unit": by_unit, "as_of": today.isoformat()},
    )
    Session.commit()
    return result


def anonymise(p: Participant, item: Due) -> None:
    """Remove everything personal about one person, in the caller's transaction."""
    db = Session()
    pid = p.id
    email = p.email
    p.first_name, p.last_name = ANONYMOUS_NAME, f"#{pid}"
    p.email = p.phone = p.street = p.postal_code = ""
    p.lat = p.lon = None
    p.protected_identity = False
    p.set_personnummer(None)
    p.skills, p.interests, p.cannot, p.needs = [], [], [], []
    p.health_notes = ""
    p.consent = {}
    p.max_commute_km = p.hours_min = p.hours_max = None
    p.swedish_level = "none"
    p.driving_licence = False
    p.anonymised_at = utcnow()
    user = Session.get(User, p.user_id) if p.user_id else None
    if user is not None:
        p.user_id = None
        db.execute(delete(Notification).where(Notification.user_id == user.id))
        addresses = [a for a in (email, user.email) if a]
        user.email = f"anonymised-{user.id}@invalid"
        user.name = ANONYMOUS_NAME
        user.active = False
        user.password_hash = "!"  # noqa: S105 - no password matches
    else:
        addresses = [email] if email else []
    if addresses:
        db.execute(delete(OutboxEmail).where(OutboxEmail.to_address.in_(addresses)))
    db.execute(
        update(Match)
        .where(Match.participant_id == pid)
        .values(
            reasons=[],
            gaps=[],
            components={},
            rejection_note="",
            coach_note="",
            participant_comment="",
            employer_comment="",
        )
    )
    placement_ids = select(Placement.id).where(Placement.participant_id == pid)
    db.execute(update(Placement).where(Placement.participant_id == pid).values(supervisor_name=""))
    db.execute(
        update(PlacementNote).where(PlacementNote.placement_id.in_(placement_ids)).values(note="")
    )
    db.execute(update(Activity).where(Activity.participant_id == pid).values(title="–", notes=""))
    db.execute(
        update(CorrectionRequest)
        .where(CorrectionRequest.participant_id == pid)
        .values(message="", answer="")
    )
    db.execute(update(CoachChange).where(CoachChange.participant_id == pid).values(reason=""))
    # Follow-along support: the kinds and dates stay (the reports count them), the text goes.
    support_ids = select(FollowAlongSupport.id).where(FollowAlongSupport.participant_id == pid)
    db.execute(
        update(FollowAlongSupport)
        .where(FollowAlongSupport.participant_id == pid)
        .values(note="", employer_name="")
        .execution_options(synchronize_session=False)
    )
    db.execute(
        update(FollowAlongContact)
        .where(FollowAlongContact.support_id.in_(support_ids))
        .values(about="")
    )
    audit.record(
        "participant.anonymised",
        subject=p,
        details={
            "unit_id": item.unit_id,
            "exited_on": item.exited_on.isoformat(),
            "retention_months": item.months,
        },
    )


def set_retention(actor: User, unit_id: int, months: int | None) -> Unit:
    """A unit's own retention period (None: the installation's default); audited."""
    if actor.role != "admin" or actor.unit_id not in (None, unit_id):
        raise PermissionError("only an administrator of the unit")
    unit = Session.get(Unit, unit_id)
    if unit is None:
        raise LookupError(f"unit {unit_id}")
    if months is not None and not 1 <= months <= MAX_MONTHS:
        raise Invalid({"months": N_("Skriv ett antal månader mellan 1 och 240.")})
    before = unit.retention_months
    unit.retention_months = months
    audit.record(
        "unit.retention",
        actor=actor,
        subject=unit,
        details={"from": before, "to": months},
    )
    Session.commit()
    return unit
