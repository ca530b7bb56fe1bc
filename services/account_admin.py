"""An admin's work on accounts: list, create (with an invitation), deactivate, reactivate,
unlock, resend the invitation. Every act is audited; which accounts an admin may touch is
`services.access.manageable_users` (a unit's manager: their own unit's only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from models import Region, Session, Unit, User
from services import access, accounts, audit, throttle
from services.validation import N_, Invalid, has_hidden_characters

PAGE_SIZE = 200
CREATABLE_ROLES = ("coach", "admin")  # participants (coach) and employers (registration) elsewhere


@dataclass(frozen=True)
class AccountFilter:
    role: str = ""
    unit_id: int | None = None
    status: str = ""  # "", "active", "inactive", "locked", "invited"
    q: str = ""


@dataclass(frozen=True)
class AccountRow:
    user: User
    locked: bool
    invited: bool


def is_locked(user: User, limits: accounts.LoginLimits) -> bool:
    """Refused at login for everyone because of failures from many addresses."""
    return not throttle.allowed(limits.rules()[2], throttle.email_key(user.email))


def search(actor: User, flt: AccountFilter, limits: accounts.LoginLimits) -> list[AccountRow]:
    query = access.manageable_users(actor)
    if flt.role:
        query = query.where(User.role == flt.role)
    if flt.unit_id is not None:
        query = query.where(User.unit_id == flt.unit_id)
    if flt.status == "active":
        query = query.where(User.active.is_(True))
    elif flt.status == "inactive":
        query = query.where(User.active.is_(False))
    elif flt.status == "invited":
        query = query.where(User.must_change_password.is_(True))
    text = flt.q.strip().lower()[:100]
    if text:
        pattern = "%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%"
        query = query.where(
            or_(func.lower(User.email).like(pattern), func.lower(User.name).like(pattern))
        )
    users = Session.scalars(query.order_by(User.role, User.name, User.id).limit(PAGE_SIZE))
    rows = [AccountRow(u, is_locked(u, limits), u.must_change_password) for u in users]
    if flt.status == "locked":
        rows = [row for row in rows if row.locked]
    return rows


def units_for(actor: User) -> list[Unit]:
    query = select(Unit).order_by(Unit.name)
    if actor.unit_id is not None:
        query = query.where(Unit.id == actor.unit_id)
    return list(Session.scalars(query))


@dataclass(frozen=True)
class NewAccount:
    role: str
    name: str
    email: str
    unit_id: int | None = None
    locale: str = "sv"


def create(actor: User, data: NewAccount, *, ip: str = "") -> User:
    """Create a coach or admin account with no usable password and e-mail them an invitation
    (the set-password link, `accounts.link_url(..., "invite")`)."""
    if actor.role != "admin":
        raise access.AccessDenied("accounts", secret=False)
    errors: dict[str, str] = {}
    email = data.email.strip().lower()
    name = " ".join(data.name.split())
    if data.role not in CREATABLE_ROLES:
        errors["role"] = N_("Välj en roll.")
    unit_id = actor.unit_id if actor.unit_id is not None else data.unit_id
    if unit_id is not None and Session.get(Unit, unit_id) is None:
        errors["unit_id"] = N_("Välj en enhet.")
    if data.role == "coach" and unit_id is None:
        errors["unit_id"] = N_("En coach hör till en enhet. Välj en enhet.")
    if not name:
        errors["name"] = N_("Skriv ett namn.")
    elif has_hidden_characters(name):
        errors["name"] = N_("Texten innehåller osynliga tecken. Skriv den igen utan dem.")
    if not email or "@" not in email or len(email) > 254:
        errors["email"] = N_("Skriv en giltig e-postadress.")
    elif Session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        errors["email"] = N_("Det finns redan ett konto med den e-postadressen.")
    if errors:
        raise Invalid(errors)
    user = User(
        email=email,
        name=name[:200],
        role=data.role,
        unit_id=unit_id,
        locale=data.locale if data.locale in ("sv", "en") else "sv",
        password_hash=accounts.hash_password(secrets.token_urlsafe(32)),  # nobody knows it
        must_change_password=True,
    )
    db = Session()
    db.add(user)
    db.flush()
    audit.record("account.created", actor=actor, subject=user, details={"role": user.role}, ip=ip)
    _invite(user)
    db.commit()
    return user


def _invite(user: User) -> None:
    links = accounts.link_settings()
    accounts.queue_mail(
        user,
        "invitation",
        {"url": accounts.link_url(user, "invite", links), "days": str(links.invite_days)},
    )


def resend_invitation(actor: User, user_id: int, *, ip: str = "") -> User:
    user = access.account(actor, user_id)
    if not user.active or not user.must_change_password:
        raise Invalid(
            {"": N_("Kontot har redan ett eget lösenord. Be personen välja Glömt lösenord.")}
        )
    _invite(user)
    audit.record("account.invitation_sent", actor=actor, subject=user, ip=ip)
    Session.commit()
    return user


def set_active(actor: User, user_id: int, active: bool, *, ip: str = "") -> User:
    """Deactivate (every session ends at once, no login, no links) or reactivate an account."""
    user = access.account(actor, user_id)
    if user.id == actor.id:
        raise Invalid({"": N_("Du kan inte stänga av ditt eget konto.")})
    if user.active != active:
        user.active = active
        accounts.end_sessions(user)
        audit.record(
            "account.reactivated" if active else "account.deactivated",
            actor=actor,
            subject=user,
            ip=ip,
        )
        Session.commit()
    return user


def unlock(actor: User, user_id: int, limits: accounts.LoginLimits, *, ip: str = "") -> User:
    """Lift the login throttle on the account (the owner called the unit)."""
    user = access.account(actor, user_id)
    accounts.unlock(user.email, limits=limits)
    user.failed_logins = 0
    user.locked_until = None
    audit.record("account.unlocked", actor=actor, subject=user, ip=ip)
    Session.commit()
    return user


def set_phone(actor: User, user_id: int, phone: str, *, ip: str = "") -> User:
    """An administrator sets a coach's (or manager's) work phone; audited."""
    user = access.account(actor, user_id)
    return accounts.set_phone(user, phone, actor=actor, ip=ip)


class StaleCoordinator(Invalid):
    """Someone changed the account's region meanwhile; nothing was written."""


def set_coordinator(
    actor: User, user_id: int, region_id: int | None, *, seen: int | None, ip: str = ""
) -> User:
    """Make a unit's manager the coordinator of a region (or of none): they may then start
    planning rounds over the region's units and its shared offers. Only an installation admin
    decides this; the manager's unit must belong to the region. `seen`: the region the form
    showed; when it changed meanwhile nothing is written (`StaleCoordinator`)."""
    if actor.role != "admin" or actor.unit_id is not None:
        raise PermissionError("only an installation admin appoints coordinators")
    user = access.account(actor, user_id)
    Session.execute(select(User.id).where(User.id == user.id).with_for_update())
    Session.refresh(user)
    if user.coordinates_region_id != seen:
        Session.rollback()
        raise StaleCoordinator(
            {
                "region_id": N_(
                    "Någon annan ändrade regionen under tiden. Sidan visar nu det som gäller."
                )
            }
        )
    if region_id is not None:
        region = Session.get(Region, region_id)
        if region is None:
            raise Invalid({"region_id": N_("Välj en region i listan.")})
        if user.role != "admin" or user.unit is None:
            raise Invalid({"region_id": N_("Bara en enhetschef kan samordna en region.")})
        if user.unit.region_id != region.id:
            raise Invalid(
                {"region_id": N_("Enhetschefens enhet måste höra till regionen den samordnar.")}
            )
    if user.coordinates_region_id != region_id:
        before = user.coordinates_region_id
        user.coordinates_region_id = region_id
        audit.record(
            "account.coordinator",
            actor=actor,
            subject=user,
            details={"from": before, "to": region_id},
            ip=ip,
        )
    Session.commit()
    return user
