"""Participant profiles: the coach creates and edits them, searches the caseload, hands over.

The profile is what the engine ranks on, so every change schedules a refresh of the person's
suggestions. Location comes from the municipality, resolved offline (`matcher.geo`); the street
address is kept for the coach only and never geocoded. A personnummer is optional, validated,
and stored only in its canonical form, encrypted, with a keyed hash to find it (`models.crypto`):
set it with `participant.set_personnummer(canonical)` after `normalise_personnummer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, or_, select, update

from models import CoachChange, CorrectionRequest, Match, Participant, Session, User, utcnow
from models.crypto import lookup_hash
from models.identity import InvalidNumber, normalise_personnummer
from models.match import PLACED_STATUSES
from models.participant import CONSENT_FIELDS
from services import audit, places, rapid_start
from services.suggestions import placed_participant_ids, schedule_refresh_for_participant
from services.validation import (
    HIDDEN_CHARACTERS_MESSAGE,
    N_,
    Conflict,
    Invalid,
    has_hidden_characters,
)

CHANGED_MEANWHILE = N_(
    "Någon annan har ändrat profilen medan du skrev. Dina ändringar är inte sparade. "
    "Öppna profilen igen, så ser du det som är sparat nu."
)


def _claim_version(participant: Participant, expected: int | None) -> None:
    """Raise the profile's version, or refuse when it is no longer the one the form was opened
    at. One guarded UPDATE, so two saves at the same moment cannot both pass."""
    if expected is None:
        expected = participant.version
    db = Session()
    done = db.execute(
        update(Participant)
        .where(Participant.id == participant.id, Participant.version == expected)
        .values(version=Participant.version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.rollback()
        raise Conflict(CHANGED_MEANWHILE)
    db.refresh(participant, ["version"])


PAGE_SIZE = 25


@dataclass
class ProfileData:
    first_name: str
    last_name: str
    municipality: str
    enrolled_on: date
    email: str = ""
    phone: str = ""
    street: str = ""
    postal_code: str = ""
    personnummer: str = ""
    protected_identity: bool = False
    gender: str = "not_stated"
    birth_year: int | None = None
    target_group: str = "other"
    support_level: int = 2
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    max_commute_km: float | None = None
    hours_min: float | None = None
    hours_max: float | None = None
    swedish_level: str = "none"
    driving_licence: bool = False
    cannot: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    health_notes: str = ""
    consent: list[str] = field(default_factory=list)


# Fields a profile edit leaves alone when the form did not carry them (sensitive fields are
# edited only after the logged reveal; see `save`).
SENSITIVE_EDIT = ("cannot", "needs", "health_notes", "personnummer")


def _check(data: ProfileData, *, today: date | None = None) -> tuple[str | None, places.Found]:
    errors: dict[str, str] = {}
    pnr: str | None = None
    for name in ("first_name", "last_name"):
        if has_hidden_characters(getattr(data, name)):
            errors[name] = HIDDEN_CHARACTERS_MESSAGE
    if data.personnummer.strip():
        try:
            pnr = normalise_personnummer(data.personnummer, today=today)
        except InvalidNumber as exc:
            errors["personnummer"] = str(exc)
    found = places.resolve_offline(data.municipality)
    if found is None:
        errors["municipality"] = N_("Okänd kommun. Skriv kommunens namn, till exempel Karlskoga.")
    if (
        data.hours_min is not None
        and data.hours_max is not None
        and data.hours_min > data.hours_max
    ):
        errors["hours_max"] = N_("Högsta antalet timmar kan inte vara lägre än lägsta.")
    if errors:
        raise Invalid(errors)
    assert found is not None
    return pnr, found


def save(
    actor: User,
    participant: Participant | None,
    data: ProfileData,
    *,
    edit_sensitive: bool = True,
    today: date | None = None,
    version: int | None = None,
) -> Participant:
    """Create a participant in the coach's unit (as their own), or update one of the unit's.

    With `edit_sensitive` False the health fields and personnummer keep their stored values: the
    coach edits them only on the page reached through the logged reveal. `version` is the one
    the form was opened at: when someone saved in between, `Conflict` and nothing is saved.
    """
    if actor.role != "coach" or actor.unit_id is None:
        raise PermissionError("only a unit's coach edits participants")
    if participant is not None and participant.unit_id != actor.unit_id:
        raise PermissionError("another unit's participant")
    pnr, found = _check(data, today=today)
    db = Session()
    created = participant is None
    if participant is None:
        participant = Participant(unit_id=actor.unit_id, coach_id=actor.id)
        db.add(participant)
    else:
        _claim_version(participant, version)
    for name, value in vars(data).items():
        if name in ("consent", "personnummer") or (not edit_sensitive and name in SENSITIVE_EDIT):
            continue
        setattr(participant, name, value.strip() if isinstance(value, str) else value)
    if edit_sensitive:
        participant.personnummer = pnr
        if pnr and not data.birth_year:
            participant.birth_year = int(pnr[:4])
    participant.consent = {f: f in data.consent for f in CONSENT_FIELDS}
    participant.lat, participant.lon = found.lat, found.lon
    db.flush()
    audit.record(
        "participant.created" if created else "participant.updated",
        actor=actor,
        subject=participant,
        details={"sensitive_edited": edit_sensitive},
    )
    schedule_refresh_for_participant(participant.id, requested_by_id=actor.id)
    db.commit()
    return participant


def find_by_personnummer(unit_id: int, raw: str) -> Participant | None:
    """A unit's participant by personnummer, through its keyed hash (the number is never queried
    in clear text). Raises InvalidNumber for a malformed number."""
    canonical = normalise_personnummer(raw)
    return Session.scalar(
        select(Participant).where(
            Participant.unit_id == unit_id,
            Participant.personnummer_hash == lookup_hash(canonical),
        )
    )


def save_sensitive(
    actor: User,
    participant: Participant,
    *,
    personnummer: str,
    cannot: list[str],
    needs: list[str],
    health_notes: str,
    today: date | None = None,
    version: int | None = None,
) -> Participant:
    """Update the health fields and personnummer (the coach reached them through the reveal)."""
    if actor.role != "coach" or participant.unit_id != actor.unit_id:
        raise PermissionError("another unit's participant")
    _claim_version(participant, version)
    pnr: str | None = None
    if personnummer.strip():
        try:
            pnr = normalise_personnummer(personnummer, today=today)
        except InvalidNumber as exc:
            raise Invalid({"personnummer": str(exc)}) from exc
    participant.personnummer = pnr
    participant.cannot = sorted(set(cannot))
    participant.needs = sorted(set(needs))
    participant.health_notes = health_notes.strip()
    audit.record("participant.sensitive.updated", actor=actor, subject=participant)
    schedule_refresh_for_participant(participant.id, requested_by_id=actor.id)
    Session.commit()
    return participant


@dataclass
class CaseloadFilter:
    q: str = ""
    municipality: str = ""
    support_level: int | None = None
    target_group: str = ""
    scope: str = "mine"  # mine | unit
    state: str = "active"  # active | exited | all
    placement: str = ""  # "" (all) | placed | unplaced: an accepted, planned or ongoing placement
    page: int = 1
    only_ids: frozenset[int] | None = None
    flag: str = ""  # a home-page figure's participants (`rapid_start.flagged`)


@dataclass
class CaseloadPage:
    rows: list[Participant]
    total: int
    page: int
    pages: int
    placed: set[int] = field(default_factory=set)  # of `rows`, those who are placed (resting)


def caseload(actor: User, flt: CaseloadFilter) -> CaseloadPage:
    """The coach's unit's participants matching the filter, a page at a time, by name."""
    query: Select = select(Participant).where(Participant.unit_id == actor.unit_id)
    if flt.scope == "mine":
        query = query.where(Participant.coach_id == actor.id)
    if flt.state == "active":
        query = query.where(Participant.exited_on.is_(None))
    elif flt.state == "exited":
        query = query.where(Participant.exited_on.is_not(None))
    if flt.q.strip():
        # A protected identity's name must not be findable by anyone but their own coach.
        query = query.where(
            or_(Participant.protected_identity.is_(False), Participant.coach_id == actor.id)
        )
        words = flt.q.strip().lower().split()[:4]
        for word in words:
            like = f"%{word.replace('%', '').replace('_', '')}%"
            query = query.where(
                or_(
                    func.lower(Participant.first_name).like(like),
                    func.lower(Participant.last_name).like(like),
                    func.lower(Participant.email).like(like),
                )
            )
    if flt.municipality:
        query = query.where(Participant.municipality == flt.municipality)
    if flt.support_level in (1, 2, 3):
        query = query.where(Participant.support_level == flt.support_level)
    if flt.target_group:
        query = query.where(Participant.target_group == flt.target_group)
    placed_ids = select(Match.participant_id).where(Match.status.in_(PLACED_STATUSES))
    if flt.placement == "placed":
        query = query.where(Participant.id.in_(placed_ids))
    elif flt.placement == "unplaced":
        query = query.where(Participant.id.not_in(placed_ids))
    if flt.only_ids is not None:
        query = query.where(Participant.id.in_(sorted(flt.only_ids)))
    if flt.flag in rapid_start.FLAGS:
        query = query.where(rapid_start.flagged(flt.flag))
    db = Session()
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, flt.page), pages)
    rows = db.scalars(
        query.order_by(Participant.last_name, Participant.first_name, Participant.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    placed = placed_participant_ids([p.id for p in rows], db)
    return CaseloadPage(list(rows), total, page, pages, placed)


def municipalities_in_unit(unit_id: int) -> list[str]:
    return list(
        Session.scalars(
            select(Participant.municipality)
            .where(Participant.unit_id == unit_id)
            .distinct()
            .order_by(Participant.municipality)
        )
    )


def coaches_in_unit(unit_id: int) -> list[User]:
    return list(
        Session.scalars(
            select(User)
            .where(User.unit_id == unit_id, User.role == "coach", User.active.is_(True))
            .order_by(User.name)
        )
    )


def hand_over(actor: User, participant: Participant, to_coach_id: int, reason: str) -> CoachChange:
    """Give the participant to another coach of the same unit; logged as a CoachChange + audit."""
    if actor.role != "coach" or participant.unit_id != actor.unit_id:
        raise PermissionError("another unit's participant")
    db = Session()
    target = db.get(User, to_coach_id)
    if target is None or target.role != "coach" or target.unit_id != participant.unit_id:
        raise Invalid({"to_coach_id": N_("Välj en coach i samma enhet.")})
    if target.id == participant.coach_id:
        raise Invalid({"to_coach_id": N_("Deltagaren har redan den coachen.")})
    change = CoachChange(
        participant_id=participant.id,
        from_coach_id=participant.coach_id,
        to_coach_id=target.id,
        changed_by_id=actor.id,
        reason=reason.strip(),
    )
    db.add(change)
    participant.coach_id = target.id
    audit.record(
        "participant.coach_changed",
        actor=actor,
        subject=participant,
        details={"from": change.from_coach_id, "to": target.id},
    )
    db.commit()
    return change


def coach_changes(participant_id: int) -> list[CoachChange]:
    return list(
        Session.scalars(
            select(CoachChange)
            .where(CoachChange.participant_id == participant_id)
            .order_by(CoachChange.changed_at.desc())
        )
    )


# --- corrections (GDPR art. 16) ------------------------------------------------------------


def one_month_after(day: date) -> date:
    """The same day next month, or that month's last day (31 January -> 28/29 February)."""
    month = day.month % 12 + 1
    year = day.year + (day.month == 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def request_correction(
    participant: Participant, actor: User, message: str, *, today: date | None = None
) -> CorrectionRequest:
    """The participant asks the unit to correct something it holds about them.

    The coach (or, without one, every coach of the unit) is notified with the due date: one
    month, the longest GDPR art. 12(3) allows without an extension.
    """
    from services import notifications

    if participant.user_id != actor.id:
        raise PermissionError("only the participant themself")
    text = message.strip()
    if not text:
        raise Invalid({"message": N_("Skriv vad som är fel.")})
    db = Session()
    due_on = one_month_after(today or date.today())
    item = CorrectionRequest(participant_id=participant.id, message=text, due_on=due_on)
    db.add(item)
    db.flush()
    audit.record("correction.requested", actor=actor, subject=participant)
    coaches = (
        [participant.coach_id]
        if participant.coach_id
        else db.scalars(
            select(User.id).where(
                User.role == "coach", User.unit_id == participant.unit_id, User.active.is_(True)
            )
        ).all()
    )
    link = notifications.path_for("coach.participant", participant_id=participant.id)
    for coach_id in coaches:
        notifications.notify(
            coach_id,
            "correction.requested",
            {
                "participant_id": participant.id,
                "correction_id": item.id,
                "due_on": due_on.isoformat(),
            },
            link=link,
        )
    db.commit()
    return item


def corrections_for(participant_id: int) -> list[CorrectionRequest]:
    return list(
        Session.scalars(
            select(CorrectionRequest)
            .where(CorrectionRequest.participant_id == participant_id)
            .order_by(CorrectionRequest.created_at.desc())
        )
    )


def with_open_corrections(participant_ids: list[int]) -> set[int]:
    """Which of these participants have a correction request the coach has not handled yet."""
    if not participant_ids:
        return set()
    return set(
        Session.scalars(
            select(CorrectionRequest.participant_id).where(
                CorrectionRequest.participant_id.in_(participant_ids),
                CorrectionRequest.status == "open",
            )
        )
    )


def handle_correction(actor: User, item: CorrectionRequest, status: str, answer: str) -> None:
    """The coach closes a correction request, done (after editing the profile) or rejected, with
    an answer the participant reads (and is notified of)."""
    from services import notifications

    if status not in ("done", "rejected"):
        raise Invalid({"status": N_("Okänd status.")})
    participant = Session.get(Participant, item.participant_id)
    if participant is None or actor.role != "coach" or participant.unit_id != actor.unit_id:
        raise PermissionError("another unit's participant")
    text = (answer or "").strip()
    if not text:
        raise Invalid({"answer": N_("Skriv ett svar till deltagaren.")})
    if item.status != "open":
        raise Invalid({"status": N_("Begäran är redan besvarad.")})
    item.status = status
    item.answer = text
    item.handled_at = utcnow()
    item.handled_by_id = actor.id
    audit.record("correction.handled", actor=actor, subject=participant, details={"status": status})
    if participant.user_id is not None:
        notifications.notify(
            participant.user_id,
            "correction.answered",
            {"correction_id": item.id},
            link=notifications.path_for("participant.my_data"),
        )
    Session.commit()


def create_login(actor: User, participant: Participant, email: str) -> tuple[User, str]:
    """Give a participant an account for the portal; return it with a one-time password.

    The coach hands the password over in person, at a meeting: many participants have no
    reliable e-mail, so there is no e-mail round trip. The password is shown once and stored
    only as a hash; the act is audited.
    """
    import secrets

    from services.accounts import hash_password

    address = (email or "").strip().lower()
    if participant.user_id is not None:
        raise Invalid({"email": N_("Deltagaren har redan en inloggning.")})
    if not address or "@" not in address or len(address) > 254:
        raise Invalid({"email": N_("Skriv en giltig e-postadress.")})
    db = Session()
    if db.scalar(select(User.id).where(func.lower(User.email) == address)) is not None:
        raise Invalid({"email": N_("E-postadressen används redan av ett annat konto.")})
    password = secrets.token_urlsafe(9)
    user = User(
        email=address,
        password_hash=hash_password(password),
        name=participant.display_name,
        role="participant",
        unit_id=participant.unit_id,
        must_change_password=True,  # the one-time password is replaced at the first login
    )
    db.add(user)
    db.flush()
    participant.user_id = user.id
    if not participant.email:
        participant.email = address
    audit.record(
        "participant.login.create", actor=actor, subject=participant, details={"user_id": user.id}
    )
    db.commit()
    return user, password
