"""Employers: registration of a new organisation, its verification, and its workplaces.

A new employer can register without an account, but none of its offers can be published until a
coach or an admin has verified it (a real organisation, a real contact), so a participant is never
proposed a workplace nobody has looked at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from models import Employer, Offer, Session, User, Workplace, utcnow
from models.identity import InvalidNumber, normalise_org_number
from services import accounts, audit, geocoding, notifications, passwords, sharing
from services.accounts import hash_password
from services.queue import enqueue
from services.validation import N_, Invalid


@dataclass
class WorkplaceData:
    name: str
    municipality: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    accessibility: list[str] = field(default_factory=list)
    public_transport: str = ""


@dataclass
class Registration:
    name: str
    org_number: str
    contact_name: str
    contact_email: str
    password: str
    contact_phone: str = ""
    description: str = ""
    workplace: WorkplaceData | None = None
    publish_on_verification: bool = False


def register(data: Registration, *, ip: str = "") -> User | None:
    """Create the employer, its contact person's login and its first workplace (unverified).

    The login starts inactive: it goes live when its owner opens the link e-mailed to the
    address (`accounts.confirm_account`), so nobody can take an account in someone else's
    name. When the address already has an account nothing is created (None), the owner gets
    an e-mail, and the caller answers exactly as for a new registration."""
    db = Session()
    errors: dict[str, str] = {}
    try:
        org = normalise_org_number(data.org_number)
    except InvalidNumber as exc:
        errors["org_number"] = str(exc)
        org = ""
    if org and db.scalar(select(Employer.id).where(Employer.org_number == org)):
        errors["org_number"] = N_(
            "Organisationen är redan registrerad. Kontakta arbetsmarknadsenheten för ett konto."
        )
    email = data.contact_email.strip().lower()
    owner = db.scalar(select(User).where(func.lower(User.email) == email))
    weak = passwords.problem(data.password, email=email)
    if weak is not None:
        errors["password"] = weak
    if errors:
        raise Invalid(errors)
    if owner is not None:
        # Nothing tells the person registering that the address has an account: the answer
        # is the same, and the account's owner is told by e-mail instead.
        hash_password(data.password)  # the same work as a new account
        if owner.active:
            accounts.queue_mail(
                owner,
                "registration_attempt",
                {"url": accounts.link_settings().base_url.rstrip("/") + "/password/forgot"},
            )
        audit.record("employer.registration_existing_email", subject=owner, ip=ip)
        db.commit()
        return None
    employer = Employer(
        name=data.name.strip(),
        org_number=org,
        contact_name=data.contact_name.strip(),
        contact_email=email,
        contact_phone=data.contact_phone.strip(),
        description=data.description.strip(),
        publish_on_verification=bool(data.publish_on_verification),
    )
    db.add(employer)
    db.flush()
    user = User(
        email=email,
        password_hash=hash_password(data.password),
        name=data.contact_name.strip(),
        role="employer",
        employer_id=employer.id,
        active=False,
    )
    db.add(user)
    db.flush()
    audit.record("employer.registered", actor=user, subject=employer, ip=ip)
    links = accounts.link_settings()
    accounts.queue_mail(
        user,
        "registration_confirm",
        {"url": accounts.link_url(user, "confirm", links), "days": str(links.invite_days)},
    )
    if data.workplace is not None:
        _add_workplace(employer, data.workplace, user)
    db.commit()
    return user


def unverified(actor: User | None = None) -> list[Employer]:
    """Employers waiting for verification that the actor may verify (`sharing.may_manage`)."""
    query = select(Employer).where(Employer.verified_at.is_(None))
    if actor is not None and not (actor.role == "admin" and actor.unit_id is None):
        query = query.where(
            or_(Employer.home_unit_id.is_(None), Employer.home_unit_id == actor.unit_id)
        )
    return list(Session.scalars(query.order_by(Employer.created_at)))


def verify(actor: User, employer_id: int) -> Employer | None:
    """Mark an employer verified; its offers may be published from now on. Idempotent.

    The verifying coach's unit (or unit manager's) becomes the employer's home unit, which keeps
    the relationship; an employer that has a home unit is verified only by that unit's coaches
    or an administrator (None, as for an unknown id, for anyone else).
    """
    if actor.role not in ("coach", "admin"):
        raise PermissionError("only coaches and admins verify employers")
    db = Session()
    employer = db.get(Employer, employer_id)
    if employer is None or not sharing.may_manage(actor, employer):
        return None
    if employer.verified_at is None:
        employer.verified_at = utcnow()
        employer.verified_by_id = actor.id
        if employer.home_unit_id is None:
            employer.home_unit_id = actor.unit_id
        audit.record(
            "employer.verified",
            actor=actor,
            subject=employer,
            details={"home_unit_id": employer.home_unit_id},
        )
        published = _publish_chosen_drafts(employer, actor)
        _tell_verified(employer, published)
        db.commit()
    return employer


def _publish_chosen_drafts(employer: Employer, actor: User) -> int:
    """Publish the drafts the employer chose to have published once verified (on the offer, or
    for all its drafts at sign-up), through the normal publish path; the rest stay drafts, one
    click from published."""
    from services import offers

    drafts = Session.scalars(
        select(Offer)
        .where(Offer.employer_id == employer.id, Offer.status == "draft")
        .order_by(Offer.id)
    ).all()
    chosen = [o for o in drafts if o.publish_on_verification or employer.publish_on_verification]
    for offer in chosen:
        offers.publish(offer, actor, on_verification=True)
    return len(chosen)


def _tell_verified(employer: Employer, published: int = 0) -> None:
    """Every contact of the employer hears that it may publish now, with a link to its offers."""
    drafts = Session.scalar(
        select(func.count(Offer.id)).where(
            Offer.employer_id == employer.id, Offer.status == "draft"
        )
    )
    for user in Session.scalars(
        select(User).where(User.employer_id == employer.id, User.active.is_(True))
    ):
        notifications.notify(
            user.id,
            "employer.verified_published" if published else "employer.verified",
            {
                "employer_id": employer.id,
                "employer": employer.name,
                "drafts": int(drafts or 0),
                "published": published,
            },
            link=notifications.path_for("employer.home"),
        )


def update_profile(actor: User, data: Registration) -> Employer:
    """The contact edits their organisation's description and contact details (not the org nr)."""
    db = Session()
    employer = db.get(Employer, actor.employer_id)
    if employer is None:
        raise PermissionError("no employer")
    employer.name = data.name.strip()
    employer.contact_name = data.contact_name.strip()
    employer.contact_phone = data.contact_phone.strip()
    employer.description = data.description.strip()
    audit.record("employer.updated", actor=actor, subject=employer)
    db.commit()
    return employer


def workplaces_of(employer_id: int) -> list[Workplace]:
    return list(
        Session.scalars(
            select(Workplace).where(Workplace.employer_id == employer_id).order_by(Workplace.name)
        )
    )


def get_workplace(employer_id: int, workplace_id: int) -> Workplace | None:
    """The workplace only when it belongs to this employer (another employer's id gives None)."""
    workplace = Session.get(Workplace, workplace_id)
    if workplace is None or workplace.employer_id != employer_id:
        return None
    return workplace


def save_workplace(actor: User, workplace_id: int | None, data: WorkplaceData) -> Workplace:
    """Create or update one of the actor's employer's workplaces and geocode it afresh."""
    db = Session()
    employer = db.get(Employer, actor.employer_id)
    if employer is None:
        raise PermissionError("no employer")
    if workplace_id is None:
        workplace = _add_workplace(employer, data, actor)
    else:
        workplace = get_workplace(employer.id, workplace_id)
        if workplace is None:
            raise LookupError(workplace_id)
        moved = _address(workplace) != _address_of(data)
        _fill(workplace, data)
        audit.record("workplace.updated", actor=actor, subject=workplace)
        if moved:
            _schedule_geocode(workplace, actor)
        _refresh_offers_at(workplace.id, actor)
    db.commit()
    return workplace


def delete_workplace(actor: User, workplace_id: int) -> None:
    """Remove a workplace that no offer uses; one with offers must keep its history."""
    db = Session()
    workplace = get_workplace(actor.employer_id or 0, workplace_id)
    if workplace is None:
        raise LookupError(workplace_id)
    if db.scalar(select(func.count(Offer.id)).where(Offer.workplace_id == workplace.id)):
        raise Invalid({"workplace": N_("Arbetsplatsen har platser och kan inte tas bort.")})
    audit.record("workplace.deleted", actor=actor, subject=workplace)
    db.delete(workplace)
    db.commit()


def _add_workplace(employer: Employer, data: WorkplaceData, actor: User) -> Workplace:
    workplace = Workplace(employer_id=employer.id)
    _fill(workplace, data)
    Session.add(workplace)
    Session.flush()
    audit.record("workplace.created", actor=actor, subject=workplace)
    _schedule_geocode(workplace, actor)
    return workplace


def _fill(workplace: Workplace, data: WorkplaceData) -> None:
    workplace.name = data.name.strip()
    workplace.street = data.street.strip()
    workplace.postal_code = data.postal_code.strip()
    workplace.city = data.city.strip()
    workplace.municipality = data.municipality.strip()
    workplace.accessibility = sorted(set(data.accessibility))
    workplace.public_transport = data.public_transport.strip()


def _address(workplace: Workplace) -> tuple[str, ...]:
    return (workplace.street, workplace.postal_code, workplace.city, workplace.municipality)


def _address_of(data: WorkplaceData) -> tuple[str, ...]:
    return tuple(s.strip() for s in (data.street, data.postal_code, data.city, data.municipality))


def _schedule_geocode(workplace: Workplace, actor: User) -> None:
    workplace.geocode_status = "pending"
    enqueue(
        geocoding.geocode_workplace,
        workplace.id,
        title="Hitta arbetsplatsens läge",
        subject=("workplace", workplace.id),
        coalesce=True,
        requested_by_id=actor.id,
    )


def _refresh_offers_at(workplace_id: int, actor: User) -> None:
    from services.suggestions import schedule_refresh_for_offer

    ids = list(Session.scalars(select(Offer.id).where(Offer.workplace_id == workplace_id)))
    for offer_id in ids:
        schedule_refresh_for_offer(offer_id, requested_by_id=actor.id)
