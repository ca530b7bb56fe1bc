"""May this user see or act on this participant, match, offer, placement or report?

Every object a page opens by id is fetched through here, so each rule is written once: the
unit's coaches see their unit's participants and matches; a participant sees only their own row
and the matches the coach has sent them; an employer sees its own offers and, of the matches,
only those the participant said yes to (`workflow.PARTICIPANT_SEES` / `EMPLOYER_SEES`, beside
the state machine). Name and address of a protected identity are for their own coach only, and
an employer reads a candidate only as far as the participant consented (`services.privacy`).

A refusal raises `AccessDenied`; one app-wide handler (`web.create_app`) answers 404 when even
the row's existence is secret (another unit's participant, a match the side does not see yet)
and 403 when the user may know the row exists but not do this (a colleague's protected
identity). The state machine and the services check the actor again when they act.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.orm import selectinload

from models import (
    Employer,
    ImportFile,
    Match,
    Offer,
    Participant,
    Placement,
    PlanningRound,
    Session,
    Unit,
    User,
)
from services import privacy, sharing
from services.reports.scope import Filters, Scope, ScopeError, scope_for
from services.workflow import EMPLOYER_SEES, PARTICIPANT_SEES, PLACEMENT_STATES


class AccessDenied(PermissionError):
    """The user may not see or do this. `secret`: whether the row's existence is itself secret
    (answered 404, as for an id that does not exist) or not (answered 403). A PermissionError,
    so callers that catch those (the CLI, jobs) catch this too."""

    def __init__(self, what: str = "", *, secret: bool = True) -> None:
        super().__init__(what)
        self.secret = secret

    @property
    def status(self) -> int:
        return 404 if self.secret else 403


def _role(user: User | None) -> str:
    return getattr(user, "role", "") or ""


# --- participants ------------------------------------------------------------------------------


def visible_participants(user: User | None) -> Select[Any]:
    """The participants this user may open: a coach their unit's (colleagues cover for each
    other), a participant their own row, anyone else none."""
    query = select(Participant)
    if _role(user) == "coach" and user.unit_id is not None:  # type: ignore[union-attr]
        return query.where(Participant.unit_id == user.unit_id)  # type: ignore[union-attr]
    if _role(user) == "participant":
        return query.where(Participant.user_id == user.id)  # type: ignore[union-attr]
    return query.where(false())


def participant(user: User | None, participant_id: int, *, identity: bool = False) -> Participant:
    """One participant the user may open; `identity`: the page shows name and address, which a
    protected identity keeps from everyone but their own coach (403: the row is listed)."""
    found = Session.scalar(visible_participants(user).where(Participant.id == participant_id))
    if found is None:
        raise AccessDenied(f"participant {participant_id}")
    if identity and not may_see_identity(user, found):
        raise AccessDenied(f"protected identity {participant_id}", secret=False)
    return found


def own_participant(user: User | None) -> Participant:
    """The signed-in participant's own row; there is no way to ask for anyone else's."""
    if _role(user) != "participant":
        raise AccessDenied("not a participant")
    found = Session.scalar(visible_participants(user))
    if found is None:
        raise AccessDenied("participant account without a profile")
    return found


def may_see_identity(user: User | None, p: Participant) -> bool:
    return user is not None and privacy.can_see_identity(user, p)


def may_see_sensitive(user: User | None, p: Participant) -> bool:
    return user is not None and privacy.can_see_sensitive(user, p)


# --- matches -----------------------------------------------------------------------------------


def visible_matches(user: User | None) -> Select[Any]:
    """The matches this user may see, in every state the side sees (lists and single rows)."""
    query = select(Match)
    role = _role(user)
    if role == "coach" and user.unit_id is not None:  # type: ignore[union-attr]
        unit = select(Participant.id).where(Participant.unit_id == user.unit_id)  # type: ignore[union-attr]
        return query.where(Match.participant_id.in_(unit))
    if role == "participant":
        mine = select(Participant.id).where(Participant.user_id == user.id)  # type: ignore[union-attr]
        return query.where(Match.participant_id.in_(mine), Match.status.in_(PARTICIPANT_SEES))
    if role == "employer" and user.employer_id is not None:  # type: ignore[union-attr]
        ours = select(Offer.id).where(Offer.employer_id == user.employer_id)  # type: ignore[union-attr]
        return query.where(Match.offer_id.in_(ours), Match.status.in_(EMPLOYER_SEES))
    return query.where(false())


def match(user: User | None, match_id: int) -> Match:
    found = Session.scalar(visible_matches(user).where(Match.id == match_id))
    if found is None:
        raise AccessDenied(f"match {match_id}")
    return found


def candidates(user: User | None, offer_id: int) -> tuple[Offer, list[tuple[Match, dict]]]:
    """An employer's offer and the participants on it that the employer may see, each only as
    far as they consented: never health details or a protected identity's name
    (`privacy.employer_view`). Newest answer first."""
    if _role(user) != "employer":
        raise AccessDenied(f"candidates of offer {offer_id}")
    found = offer(user, offer_id)
    rows = Session.scalars(
        visible_matches(user)
        .where(Match.offer_id == found.id)
        .options(selectinload(Match.participant))
        .order_by(Match.participant_answered_at.desc().nulls_last(), Match.id)
    ).all()
    return found, [(m, privacy.employer_view(m.participant)) for m in rows]


# --- offers ------------------------------------------------------------------------------------


def visible_offers(user: User | None) -> Select[Any]:
    """The offers a user may list: an employer its own in any state, coaches and admins the
    published ones (the same rule as `offer`)."""
    query = select(Offer)
    role = _role(user)
    if role == "employer" and user.employer_id is not None:  # type: ignore[union-attr]
        return query.where(Offer.employer_id == user.employer_id)  # type: ignore[union-attr]
    if role in ("coach", "admin"):
        return query.where(Offer.status == "published")
    return query.where(false())


def offer(user: User | None, offer_id: int) -> Offer:
    """An employer opens its own offers in any state; admins published ones; coaches published
    ones their unit may use (`services.sharing`) or that one of their unit's matches is on; a
    participant those of the matches they see."""
    found = Session.get(Offer, offer_id)
    role = _role(user)
    if found is not None:
        if role == "employer" and user.employer_id == found.employer_id:  # type: ignore[union-attr]
            return found
        if role == "admin" and found.status == "published":
            return found
        if (
            role == "coach"
            and found.status == "published"
            and (
                sharing.may_use(user.unit_id, found.id)  # type: ignore[union-attr]
                or Session.scalar(visible_matches(user).where(Match.offer_id == found.id).limit(1))
            )
        ):
            return found
        if role == "participant" and Session.scalar(
            visible_matches(user).where(Match.offer_id == found.id).limit(1)
        ):
            return found
    raise AccessDenied(f"offer {offer_id}")


# --- placements --------------------------------------------------------------------------------


def placement_match(user: User | None, match_id: int) -> Match:
    """A visible match that has reached the placement steps (the employer said yes)."""
    m = match(user, match_id)
    if m.status not in PLACEMENT_STATES:
        raise AccessDenied(f"match {match_id} has no placement")
    return m


def placement(user: User | None, match_id: int) -> Placement:
    """The placement planned on a visible match; none planned yet is the same as no such row."""
    m = placement_match(user, match_id)
    found = Session.scalar(select(Placement).where(Placement.match_id == m.id))
    if found is None:
        raise AccessDenied(f"no placement on match {match_id}")
    return found


# --- reports -----------------------------------------------------------------------------------


def report_scope(user: User | None, filters: Filters) -> Scope:
    """The figures this user may see (`services.reports.scope`): a coach their own caseload,
    a unit's manager that unit, an administrator every unit."""
    if user is None:
        raise AccessDenied("reports")
    try:
        return scope_for(user, filters)
    except ScopeError as exc:
        raise AccessDenied(str(exc), secret=_role(user) in ("coach", "admin")) from exc


def unit_reports(user: User | None, unit_id: int) -> Unit:
    """A unit whose exports (ESF) this user may make or configure: its manager (an admin of the
    unit) or an administrator without a unit. Other roles: 403; another unit: 404."""
    if _role(user) != "admin":
        raise AccessDenied("exports are for administrators", secret=False)
    unit = Session.get(Unit, unit_id)
    if unit is None or user.unit_id not in (None, unit.id):  # type: ignore[union-attr]
        raise AccessDenied(f"unit {unit_id}")
    return unit


def unit_settings(user: User | None, unit_id: int) -> Unit:
    """A unit whose settings (default commuting limit, region) this user may change: its
    manager or an installation administrator. Other roles: 403; another unit: 404."""
    if _role(user) != "admin":
        raise AccessDenied("unit settings are for administrators", secret=False)
    unit = Session.get(Unit, unit_id)
    if unit is None or user.unit_id not in (None, unit.id):  # type: ignore[union-attr]
        raise AccessDenied(f"unit {unit_id}")
    return unit


def shared_employer(user: User | None, employer_id: int) -> Employer:
    """An employer a coach's unit works with (`sharing.employers_shared_with`): its contact
    log and offers. Any other employer, or another role: 404."""
    if _role(user) != "coach":
        raise AccessDenied(f"employer {employer_id}")
    found = Session.scalar(
        sharing.employers_shared_with(user.unit_id).where(Employer.id == employer_id)  # type: ignore[union-attr]
    )
    if found is None:
        raise AccessDenied(f"employer {employer_id}")
    return found


def offer_to_share(user: User | None, offer_id: int) -> Offer:
    """An offer whose sharing this coach may change: one of their unit's own employers' offers
    (`sharing.may_manage`). An offer the unit may use but does not own: 403; others: 404."""
    found = Session.get(Offer, offer_id)
    if found is None or _role(user) != "coach":
        raise AccessDenied(f"offer {offer_id}")
    if not sharing.may_use(user.unit_id, found.id):  # type: ignore[union-attr]
        raise AccessDenied(f"offer {offer_id}")
    employer = shared_employer(user, found.employer_id)
    if employer.home_unit_id is None or employer.home_unit_id != user.unit_id:  # type: ignore[union-attr]
        raise AccessDenied(f"sharing of offer {offer_id}", secret=False)
    return found


# --- accounts (admin) ---------------------------------------------------------------------------


def manageable_users(user: User | None) -> Select[Any]:
    """The accounts an admin may list and act on: every account for the installation's admin,
    the accounts of their own unit for a unit's manager, none for anyone else."""
    query = select(User)
    if _role(user) != "admin":
        return query.where(false())
    if user.unit_id is None:  # type: ignore[union-attr]
        return query
    return query.where(User.unit_id == user.unit_id)  # type: ignore[union-attr]


def account(user: User | None, user_id: int) -> User:
    found = Session.scalar(manageable_users(user).where(User.id == user_id))
    if found is None:
        raise AccessDenied("account")
    return found


# --- imports -----------------------------------------------------------------------------------


def import_unit(user: User | None, unit_id: int) -> Unit:
    """The unit a user may import into: a coach their own, a unit's manager that unit, an
    administrator without a unit any. Other roles 403; another unit 404."""
    role = _role(user)
    if role not in ("coach", "admin"):
        raise AccessDenied("imports are for coaches and administrators", secret=False)
    unit = Session.get(Unit, unit_id)
    if unit is None or (user.unit_id is not None and user.unit_id != unit.id):  # type: ignore[union-attr]
        raise AccessDenied(f"unit {unit_id}")
    if role == "coach" and user.unit_id is None:  # type: ignore[union-attr]
        raise AccessDenied("coach without a unit")
    return unit


def visible_imports(user: User | None) -> Select[Any]:
    """Import files of the units the user may import into."""
    query = select(ImportFile)
    role = _role(user)
    if role == "coach" and user.unit_id is not None:  # type: ignore[union-attr]
        return query.where(ImportFile.unit_id == user.unit_id)  # type: ignore[union-attr]
    if role == "admin":
        if user.unit_id is None:  # type: ignore[union-attr]
            return query
        return query.where(ImportFile.unit_id == user.unit_id)  # type: ignore[union-attr]
    return query.where(false())


def import_file(user: User | None, import_id: int) -> ImportFile:
    found = Session.scalar(visible_imports(user).where(ImportFile.id == import_id))
    if found is None:
        raise AccessDenied(f"import {import_id}")
    return found


# --- planning rounds ---------------------------------------------------------------------------


def planning_round(user: User | None, round_id: int) -> PlanningRound:
    """A round the user may open. A coach: a round of their own unit, a caseload round only
    if they started it (unit rounds, a manager's too, are for every coach of the unit). A unit's
    manager: the unit rounds of their unit. A region's coordinator: that region's rounds. A
    region round is for its coordinator only, never for coaches. 404 otherwise: rounds name
    participants."""
    found = Session.get(PlanningRound, round_id)
    if found is None or not _may_open_round(user, found):
        raise AccessDenied(f"planning round {round_id}")
    return found


def _may_open_round(user: User | None, rnd: PlanningRound) -> bool:
    role = _role(user)
    if role == "coach":
        return (
            user.unit_id == rnd.unit_id  # type: ignore[union-attr]
            and rnd.scope != "region"
            and (rnd.scope == "unit" or rnd.created_by_id == user.id)  # type: ignore[union-attr]
        )
    if role == "admin" and user.unit_id is not None:  # type: ignore[union-attr]
        if rnd.scope == "region":
            return rnd.region_id is not None and rnd.region_id == user.coordinates_region_id  # type: ignore[union-attr]
        return rnd.scope == "unit" and rnd.unit_id == user.unit_id  # type: ignore[union-attr]
    return False


def planning_rounds(user: User | None) -> Select[Any]:
    """The rounds `planning_round` would open for this user, newest first."""
    role = _role(user)
    query = select(PlanningRound).order_by(PlanningRound.id.desc())
    if user is None or user.unit_id is None or role not in ("coach", "admin"):
        return query.where(false())
    own_unit = PlanningRound.unit_id == user.unit_id
    if role == "coach":
        mine = (PlanningRound.scope == "unit") | (PlanningRound.created_by_id == user.id)
        return query.where(own_unit, PlanningRound.scope != "region", mine)
    unit_rounds = own_unit & (PlanningRound.scope == "unit")
    if user.coordinates_region_id is None:
        return query.where(unit_rounds)
    region_rounds = (PlanningRound.scope == "region") & (
        PlanningRound.region_id == user.coordinates_region_id
    )
    return query.where(unit_rounds | region_rounds)


def installation_admin(user: User | None) -> User:
    """An admin without a unit: whole-installation work (the national suggestion refresh)."""
    if _role(user) != "admin" or user.unit_id is not None:  # type: ignore[union-attr]
        raise AccessDenied("installation admin only")
    return user  # type: ignore[return-value]
