"""The append-only audit log: writing events, and the admin's filtered reading of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session as OrmSession

from models import AuditEvent, Employer, Match, Offer, Participant, Session, Unit, User, Workplace


def record(
    action: str,
    *,
    actor: User | None = None,
    subject: Any = None,
    details: dict[str, Any] | None = None,
    ip: str = "",
    session: OrmSession | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction; it commits with the change it describes."""
    db = session or Session()
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_role=actor.role if actor is not None else "system",
        action=action,
        subject_type=type(subject).__tablename__ if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        details=details or {},
        ip=ip,
    )
    db.add(event)
    return event


# --- reading the log (admin) -------------------------------------------------------------------

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
LOCAL = ZoneInfo("Europe/Stockholm")  # the days a reader filters by are Swedish days


@dataclass
class AuditFilter:
    action: str = ""  # the start of the action's name: "match." or "participant.sensitive"
    actor_email: str = ""  # part of the actor's e-mail or name
    participant: str = ""  # part of the name of the participant acted on (or of their match)
    subject_type: str = ""
    subject_id: int | None = None
    date_from: date | None = None  # inclusive, days in Swedish local time
    date_to: date | None = None  # inclusive
    page: int = 1


@dataclass
class AuditPage:
    rows: list[AuditEvent]
    actors: dict[int, User]
    total: int
    page: int
    pages: int


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=LOCAL).astimezone(UTC)


def search(reader: User, flt: AuditFilter, *, limit: int = PAGE_SIZE) -> AuditPage:
    """The events matching the filter, newest first, a page at a time. A unit's manager (an
    admin with a unit) reads only the events of the unit's people (staff who acted, and
    participants acted on); an admin without a unit reads everything."""
    stmt = select(AuditEvent)
    if reader.unit_id is not None:
        unit_users = select(User.id).where(User.unit_id == reader.unit_id)
        unit_participants = select(Participant.id).where(Participant.unit_id == reader.unit_id)
        stmt = stmt.where(
            or_(
                AuditEvent.actor_id.in_(unit_users),
                (AuditEvent.subject_type == "participants")
                & AuditEvent.subject_id.in_(unit_participants),
            )
        )
    if flt.action.strip():
        stmt = stmt.where(AuditEvent.action.startswith(flt.action.strip(), autoescape=True))
    if flt.actor_email.strip():
        text = flt.actor_email.strip()
        people = select(User.id).where(
            or_(
                User.email.icontains(text, autoescape=True),
                User.name.icontains(text, autoescape=True),
            )
        )
        stmt = stmt.where(AuditEvent.actor_id.in_(people))
    if flt.participant.strip():
        # Protected identities are never found by name here (their names are not shown either).
        named = select(Participant.id).where(Participant.protected_identity.is_(False))
        for word in flt.participant.strip().split()[:4]:
            named = named.where(
                or_(
                    Participant.first_name.icontains(word, autoescape=True),
                    Participant.last_name.icontains(word, autoescape=True),
                )
            )
        their_matches = select(Match.id).where(Match.participant_id.in_(named))
        stmt = stmt.where(
            ((AuditEvent.subject_type == "participants") & AuditEvent.subject_id.in_(named))
            | ((AuditEvent.subject_type == "matches") & AuditEvent.subject_id.in_(their_matches))
        )
    if flt.subject_type:
        stmt = stmt.where(AuditEvent.subject_type == flt.subject_type)
    if flt.subject_id:
        stmt = stmt.where(AuditEvent.subject_id == flt.subject_id)
    if flt.date_from:
        stmt = stmt.where(AuditEvent.at >= _day_start(flt.date_from))
    if flt.date_to:
        stmt = stmt.where(AuditEvent.at < _day_start(flt.date_to + timedelta(days=1)))
    db = Session()
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // limit))
    page = min(max(1, flt.page), pages)
    rows = list(
        db.scalars(
            stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
            .offset((page - 1) * limit)
        )
    )
    ids = {r.actor_id for r in rows if r.actor_id}
    actors = {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return AuditPage(rows, actors, total, page, pages)


def subject_types() -> list[str]:
    """The kinds of row the log has events about, for the filter's choices."""
    return [
        t
        for t in Session.scalars(
            select(AuditEvent.subject_type).distinct().order_by(AuditEvent.subject_type)
        )
        if t
    ]


def subject_names(reader: User, rows: list[AuditEvent]) -> dict[tuple[str, int], str]:
    """What each event is about, by name: a participant as the reader may see them (a protected
    identity stays "Skyddad identitet (#id)"), a match as participant and offer, a person, an
    offer, employer, workplace or unit by its name. Rows that are gone are left out."""
    from services import privacy  # privacy imports this module

    wanted: dict[str, set[int]] = {}
    for r in rows:
        if r.subject_type and r.subject_id is not None:
            wanted.setdefault(r.subject_type, set()).add(r.subject_id)
    db = Session()
    names: dict[tuple[str, int], str] = {}

    def load(model: Any, ids: set[int]) -> list[Any]:
        return list(db.scalars(select(model).where(model.id.in_(sorted(ids))))) if ids else []

    for p in load(Participant, wanted.get("participants", set())):
        names[("participants", p.id)] = privacy.display_name(reader, p)
    for m in load(Match, wanted.get("matches", set())):
        who = privacy.display_name(reader, m.participant)
        names[("matches", m.id)] = f"{who} – {m.offer.title}"
    simple = {"users": (User, "name"), "offers": (Offer, "title"), "employers": (Employer, "name"),
              "workplaces": (Workplace, "name"), "units": (Unit, "name")}  # fmt: skip
    for table, (model, attr) in simple.items():
        for row in load(model, wanted.get(table, set())):
            names[(table, row.id)] = getattr(row, attr)
    return names
