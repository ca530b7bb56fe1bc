"""The placement agreement (överenskommelse): written by the coach, confirmed by all three.

The coach writes the agreement (dates, hours and schedule, tasks, supervisor, contacts, the
support agreed, insurance). Each save after the first makes a new version; confirmations belong
to one version, so a change after confirmation has to be confirmed again by everyone. The
placement may start only when the newest version is confirmed in the app by the participant,
the employer and the coach, or when the coach records that it was signed on paper (audited):
`services.workflow.move_placement("start")` refuses otherwise.

Every change passes the version it was based on; if someone else saved a newer version in the
meantime the save is refused rather than silently overwriting theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import AgreementConfirmation, Placement, PlacementAgreement, Session, User, utcnow
from models.agreement import PARTIES
from services import audit, notifications, privacy
from services.workflow import (
    NotAllowed,
    WorkflowError,
    agreement_confirmed,
    committed,
    employer_users,
    may_act,
)

PARTY_LABELS = {
    "participant": _l("Deltagaren"),
    "employer": _l("Arbetsgivaren"),
    "coach": _l("Coachen"),
}
assert set(PARTY_LABELS) == set(PARTIES)

DEFAULT_INSURANCE = _l(
    "Deltagaren är försäkrad genom Kammarkollegiets försäkring för deltagare i "
    "arbetsmarknadspolitiska program under praktiken."
)

# States of the placement in which the agreement can still be written or confirmed.
OPEN_STATES = ("planned", "ongoing")


@dataclass
class Terms:
    """What the agreement says (every version holds all of it)."""

    start_on: date
    end_on: date
    hours_per_week: float | None = None
    schedule: str = ""
    tasks: str = ""
    supervisor_name: str = ""
    supervisor_phone: str = ""
    supervisor_email: str = ""
    contacts: str = ""
    support: str = ""
    insurance: str = ""

    @classmethod
    def of(cls, agreement: PlacementAgreement) -> Terms:
        return cls(**{f.name: getattr(agreement, f.name) for f in fields(cls)})

    def cleaned(self) -> Terms:
        values: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            values[f.name] = value.strip() if isinstance(value, str) else value
        return Terms(**values)


def versions(placement: Placement) -> list[PlacementAgreement]:
    return list(
        Session.scalars(
            select(PlacementAgreement)
            .where(PlacementAgreement.placement_id == placement.id)
            .order_by(PlacementAgreement.version)
        )
    )


def current(placement: Placement) -> PlacementAgreement | None:
    return Session.scalar(
        select(PlacementAgreement)
        .where(PlacementAgreement.placement_id == placement.id)
        .order_by(PlacementAgreement.version.desc())
        .limit(1)
    )


def confirmations(agreement: PlacementAgreement) -> dict[str, AgreementConfirmation]:
    rows = Session.scalars(
        select(AgreementConfirmation).where(AgreementConfirmation.agreement_id == agreement.id)
    )
    return {row.party: row for row in rows}


def is_confirmed(agreement: PlacementAgreement | None) -> bool:
    """All three parties confirmed this version in the app, or the coach recorded paper (the
    rule the state machine applies before a start)."""
    return agreement_confirmed(agreement)


def ready_to_start(placement: Placement) -> bool:
    return is_confirmed(current(placement))


def party_of(actor: User | None, placement: Placement) -> str:
    """Which side of the agreement this user confirms for; refused for anyone else."""
    for party in PARTIES:
        if may_act(actor, placement.match, party):
            return party
    raise NotAllowed(_l("Du har inte behörighet att göra det här."))


def _check_open(placement: Placement) -> None:
    if placement.status not in OPEN_STATES:
        raise WorkflowError(_l("Praktiken är avslutad. Överenskommelsen kan inte ändras."))


def _check_version(placement: Placement, based_on: int | None) -> PlacementAgreement | None:
    latest = current(placement)
    have = latest.version if latest is not None else None
    if have != based_on:
        raise WorkflowError(
            _l(
                "Överenskommelsen har just ändrats av någon annan (nu version %(version)s). "
                "Ladda om sidan och försök igen."
            ),
            version=have or 0,
        )
    return latest


def write(
    placement: Placement, actor: User, terms: Terms, *, based_on: int | None
) -> PlacementAgreement:
    """Save the agreement as a new version (the coach). `based_on`: the version the coach
    edited (None for the first); refused if another version was saved since."""
    if not may_act(actor, placement.match, "coach"):
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    terms = terms.cleaned()
    if terms.end_on < terms.start_on:
        raise WorkflowError(_l("Slutdatumet kan inte vara före startdatumet."))
    if terms.hours_per_week is not None and not 0 < terms.hours_per_week <= 60:
        raise WorkflowError(_l("Timmar per vecka ska vara mellan 1 och 60."))

    def run() -> PlacementAgreement:
        _check_open(placement)
        latest = _check_version(placement, based_on)
        if latest is not None and Terms.of(latest) == terms:
            return latest  # nothing changed: no new version to confirm
        agreement = PlacementAgreement(
            placement_id=placement.id,
            version=(latest.version + 1) if latest is not None else 1,
            created_by_id=actor.id,
            **vars(terms),
        )
        Session.add(agreement)
        # The placement's own facts follow the newest agreement.
        placement.start_on, placement.end_on = terms.start_on, terms.end_on
        placement.hours_per_week = terms.hours_per_week
        placement.supervisor_name = terms.supervisor_name
        try:
            Session.flush()
        except IntegrityError as exc:  # a concurrent save took this version number
            raise WorkflowError(
                _l("Överenskommelsen har just ändrats av någon annan. Ladda om sidan.")
            ) from exc
        audit.record(
            "agreement.version",
            actor=actor,
            subject=placement,
            details={"version": agreement.version},
        )
        _ask_to_confirm(placement, agreement)
        return agreement

    return committed(run)


def _params(placement: Placement, agreement: PlacementAgreement) -> dict[str, Any]:
    match = placement.match
    return {
        "match_id": match.id,
        "version": agreement.version,
        "offer": match.offer.title,
        "employer": match.offer.employer.name,
        "participant": match.participant.display_name,
        "participant_id": match.participant_id,
        "candidate": privacy.employer_view(match.participant).get("name") or "",
    }


def _ask_to_confirm(placement: Placement, agreement: PlacementAgreement) -> None:
    params = _params(placement, agreement)
    participant = placement.participant
    if participant.user_id is not None:
        notifications.notify(
            participant.user_id,
            "agreement.confirm_participant",
            params,
            link=notifications.path_for("participant.agreement", match_id=placement.match_id),
        )
    for user in employer_users(placement.match.offer):
        notifications.notify(
            user.id,
            "agreement.confirm_employer",
            params,
            link=notifications.path_for("employer.agreement", match_id=placement.match_id),
        )


def confirm(placement: Placement, actor: User, *, version: int) -> AgreementConfirmation:
    """The actor confirms `version` for their side. Refused when a newer version exists (they
    must read what changed); confirming twice is harmless."""
    party = party_of(actor, placement)

    def run() -> AgreementConfirmation:
        _check_open(placement)
        latest = current(placement)
        if latest is None:
            raise WorkflowError(_l("Det finns ingen överenskommelse att bekräfta ännu."))
        if latest.version != version:
            raise WorkflowError(
                _l(
                    "Överenskommelsen har ändrats (nu version %(version)s). "
                    "Läs den nya versionen och bekräfta igen."
                ),
                version=latest.version,
            )
        existing = confirmations(latest).get(party)
        if existing is not None:
            return existing
        row = AgreementConfirmation(agreement_id=latest.id, party=party, user_id=actor.id)
        Session.add(row)
        try:
            Session.flush()
        except IntegrityError as exc:  # a colleague confirmed for the same side at once
            raise WorkflowError(
                _l("Någon annan har just bekräftat för er. Ladda om sidan.")
            ) from exc
        audit.record(
            "agreement.confirm",
            actor=actor,
            subject=placement,
            details={"version": latest.version, "party": party},
        )
        if is_confirmed(latest):
            _tell_coach_confirmed(placement, latest)
        return row

    return committed(run)


def _tell_coach_confirmed(placement: Placement, agreement: PlacementAgreement) -> None:
    coach = placement.participant.coach
    if coach is not None:
        notifications.notify(
            coach.id,
            "agreement.confirmed",
            _params(placement, agreement),
            link=notifications.path_for("coach.placement", match_id=placement.match_id),
        )


def record_paper_signature(placement: Placement, actor: User, note: str) -> PlacementAgreement:
    """The coach records that the newest version was signed on paper by all three."""
    if not may_act(actor, placement.match, "coach"):
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    note = (note or "").strip()
    if not note:
        raise WorkflowError(_l("Skriv var det påskrivna pappret finns, till exempel i akten."))

    def run() -> PlacementAgreement:
        _check_open(placement)
        latest = current(placement)
        if latest is None:
            raise WorkflowError(_l("Det finns ingen överenskommelse att bekräfta ännu."))
        if latest.paper_signed_at is None:
            latest.paper_signed_at, latest.paper_signed_by_id = utcnow(), actor.id
            latest.paper_note = note[:2000]
            audit.record(
                "agreement.paper_signature",
                actor=actor,
                subject=placement,
                details={"version": latest.version, "note": latest.paper_note},
            )
        return latest

    return committed(run)


def first_from_plan(placement: Placement, actor: User) -> PlacementAgreement:
    """Version 1 from what the coach planned, inside the caller's transaction."""
    offer = placement.offer
    agreement = PlacementAgreement(
        placement_id=placement.id,
        version=1,
        created_by_id=actor.id,
        start_on=placement.start_on,
        end_on=placement.end_on,
        hours_per_week=placement.hours_per_week,
        tasks=(offer.tasks or "").strip(),
        supervisor_name=placement.supervisor_name,
        supervisor_phone=(offer.supervisor_phone or "").strip(),
        supervisor_email=(offer.supervisor_email or "").strip(),
        insurance=str(DEFAULT_INSURANCE),
    )
    Session.add(agreement)
    Session.flush()
    audit.record("agreement.version", actor=actor, subject=placement, details={"version": 1})
    _ask_to_confirm(placement, agreement)
    return agreement
