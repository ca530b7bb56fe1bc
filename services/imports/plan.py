"""What an import file would do: create, change, leave alone or refuse, row by row.

The same plan serves the dry run (shown, nothing written) and the real run (written in one
transaction only when no row is refused), so what the coach saw is what happens. Rows are found
again by their external id, unique per unit, so importing the same file twice changes nothing
the second time: only the columns present and filled in are compared and written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from models import Employer, Offer, Participant, Session, Unit, User, Workplace, utcnow
from models.participant import CONSENT_FIELDS
from services import places
from services.imports.cells import Problem, check_row
from services.imports.readers import Row
from services.validation import N_

PARTICIPANT_FIELDS = (
    "first_name",
    "last_name",
    "municipality",
    "personnummer",
    "email",
    "phone",
    "street",
    "postal_code",
    "gender",
    "birth_year",
    "target_group",
    "support_level",
    "skills",
    "interests",
    "max_commute_km",
    "hours_min",
    "hours_max",
    "swedish_level",
    "driving_licence",
    "cannot",
    "needs",
    "enrolled_on",
    "protected_identity",
)
OFFER_FIELDS = (
    "title",
    "kind",
    "description",
    "tasks",
    "occupation",
    "skills_required",
    "skills_desired",
    "hours_min",
    "hours_max",
    "swedish_level",
    "requires_driving_licence",
    "physical_demands",
    "accessibility",
    "capacity",
    "leads_to_employment",
    "start_from",
    "start_until",
    "duration_weeks",
)
EMPLOYER_FIELDS = {
    "employer_name": "name",
    "contact_name": "contact_name",
    "contact_email": "contact_email",
    "contact_phone": "contact_phone",
}


@dataclass
class Step:
    """One row's effect: `action` is create, change or unchanged; `apply` writes it."""

    line: int
    what: str  # participant, offer, employer
    action: str
    external_id: str
    changed: list[str] = field(default_factory=list)
    target: Any = None
    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "what": self.what,
            "action": self.action,
            "external_id": self.external_id,
            "changed": self.changed,
        }


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "change": 0, "unchanged": 0}
        for step in self.steps:
            counts[step.action] += 1
        counts["refused"] = len({p.line for p in self.problems})
        return counts

    def result(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "rows": [s.summary() for s in self.steps],
            "problems": [p.as_dict() for p in self.problems[:1000]],
        }


def _differs(obj: Any, values: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    return [n for n in names if n in values and getattr(obj, n) != values[n]]


def _checked_rows(kind: str, rows: list[Row], today: date, plan: Plan) -> list[tuple[Row, dict]]:
    out: list[tuple[Row, dict]] = []
    first_line: dict[str, int] = {}
    for row in rows:
        values, problems = check_row(kind, row, today=today)
        ext = values.get("external_id")
        if ext is not None:
            if ext in first_line:
                heading = row.cells["external_id"][0]
                problems.append(
                    Problem(
                        row.line,
                        heading,
                        N_("Samma externa id finns redan på rad %(line)s."),
                        {"line": str(first_line[ext])},
                        ext,
                    )
                )
            else:
                first_line[ext] = row.line
        if values.get("hours_min") is not None and values.get("hours_max") is not None:
            if values["hours_min"] > values["hours_max"]:
                heading = row.cells["hours_max"][0]
                problems.append(
                    Problem(
                        row.line,
                        heading,
                        N_("Högsta antalet timmar kan inte vara lägre än lägsta."),
                    )
                )
        if "municipality" in values and places.resolve_offline(values["municipality"]) is None:
            problems.append(
                Problem(
                    row.line,
                    row.cells["municipality"][0],
                    N_("Okänd kommun. Skriv kommunens namn, till exempel Karlskoga."),
                    value=values["municipality"],
                )
            )
        if problems:
            plan.problems.extend(problems)
        else:
            out.append((row, values))
    return out


# --- participants ------------------------------------------------------------------------------


def plan_participants(unit: Unit, rows: list[Row], today: date) -> Plan:
    plan = Plan()
    checked = _checked_rows("participants", rows, today, plan)
    ids = [values["external_id"] for _row, values in checked]
    known: dict[str, Participant] = {}
    for start in range(0, len(ids), 500):  # one query per 500 rows, not one per row
        found = Session.scalars(
            select(Participant).where(
                Participant.unit_id == unit.id,
                Participant.external_id.in_(ids[start : start + 500]),
            )
        )
        known.update({p.external_id: p for p in found if p.external_id})
    for row, values in checked:
        ext = values["external_id"]
        if values.get("personnummer") and "birth_year" not in values:
            values["birth_year"] = int(values["personnummer"][:4])
        existing = known.get(ext)
        if existing is None:
            plan.steps.append(Step(row.line, "participant", "create", ext, values=values))
            continue
        changed = _differs(existing, values, PARTICIPANT_FIELDS)
        action = "change" if changed else "unchanged"
        plan.steps.append(Step(row.line, "participant", action, ext, changed, existing, values))
    return plan


def apply_participants(plan: Plan, unit: Unit, actor: User, today: date) -> list[Participant]:
    db = Session()
    written = []
    for step in plan.steps:
        if step.action == "unchanged":
            continue
        p = step.target
        if p is None:
            p = Participant(
                unit_id=unit.id,
                coach_id=actor.id if actor.role == "coach" else None,
                external_id=step.external_id,
                enrolled_on=today,
                consent={f: False for f in CONSENT_FIELDS},
            )
            db.add(p)
        for name in PARTICIPANT_FIELDS:
            if name in step.values:
                setattr(p, name, step.values[name])
        if "municipality" in step.values:
            found = places.resolve_offline(p.municipality)
            if found is not None:
                p.lat, p.lon = found.lat, found.lon
        written.append(p)
    return written


# --- employers and offers ----------------------------------------------------------------------


def plan_offers(unit: Unit, rows: list[Row], today: date, options: dict[str, Any]) -> Plan:
    plan = Plan()
    default_org = options.get("employer_org_number") or ""
    new_employers: dict[str, Step] = {}
    if (
        default_org
    ):  # the employer chosen on the form, for rows (job ads, contract lines) without one
        for row in rows:
            heading, value = row.cells.get("employer_org_number", ("employer_org_number", None))
            if value is None or not str(value).strip():
                row.cells["employer_org_number"] = (heading, default_org)
    for row, values in _checked_rows("offers", rows, today, plan):
        org = values["employer_org_number"]
        employer = Session.scalar(select(Employer).where(Employer.org_number == org))
        if employer is None and org not in new_employers:
            if not values.get("employer_name"):
                heading = row.cells.get("employer_name", ("employer_name", None))[0]
                plan.problems.append(
                    Problem(row.line, heading, N_("Ny arbetsgivare: namnet saknas."))
                )
                continue
            step = Step(row.line, "employer", "create", org, values=values)
            new_employers[org] = step
            plan.steps.append(step)
        elif employer is not None and employer.import_unit_id == unit.id:
            names = tuple(EMPLOYER_FIELDS)
            mapped = {EMPLOYER_FIELDS[k]: v for k, v in values.items() if k in names}
            changed = _differs(employer, mapped, tuple(mapped))
            if changed and org not in new_employers:
                step = Step(row.line, "employer", "change", org, changed, employer, values)
                new_employers[org] = step
                plan.steps.append(step)
        if not values.get("title"):
            continue  # an employer (and workplace) without an offer
        _plan_offer(plan, unit, row, values, employer)
    return plan


def _plan_offer(
    plan: Plan, unit: Unit, row: Row, values: dict[str, Any], employer: Employer | None
) -> None:
    ext = values["external_id"]
    existing = Session.scalar(
        select(Offer).where(Offer.import_unit_id == unit.id, Offer.external_id == ext)
    )
    if existing is None:
        plan.steps.append(Step(row.line, "offer", "create", ext, values=values))
        return
    heading = row.cells["external_id"][0]
    if employer is None or existing.employer_id != employer.id:
        plan.problems.append(
            Problem(row.line, heading, N_("Id:t hör till en annan arbetsgivares plats."), value=ext)
        )
        return
    changed = _differs(existing, values, OFFER_FIELDS)
    workplace = existing.workplace
    if _workplace_key(values, employer.name) != (
        workplace.name.casefold(),
        workplace.municipality.casefold(),
    ):
        changed.append("workplace")
    if changed and existing.status == "closed":
        plan.problems.append(Problem(row.line, heading, N_("En stängd plats kan inte ändras.")))
        return
    if "capacity" in values and values["capacity"] < existing.filled:
        plan.problems.append(
            Problem(
                row.line,
                row.cells["capacity"][0],
                N_("Antalet platser kan inte vara lägre än antalet redan tillsatta."),
            )
        )
        return
    action = "change" if changed else "unchanged"
    plan.steps.append(Step(row.line, "offer", action, ext, changed, existing, values))


def _workplace_key(values: dict[str, Any], employer_name: str) -> tuple[str, str]:
    name = values.get("workplace_name") or values.get("employer_name") or employer_name
    return name.casefold(), values["municipality"].casefold()


def apply_offers(plan: Plan, unit: Unit, actor: User) -> list[Offer]:
    db = Session()
    employers: dict[str, Employer] = {}
    written: list[Offer] = []
    for step in plan.steps:
        if step.what == "employer":
            employers[step.external_id] = _write_employer(step, unit, actor)
            continue
        if step.action == "unchanged":
            continue
        org = step.values["employer_org_number"]
        employer = employers.get(org) or db.scalar(
            select(Employer).where(Employer.org_number == org)
        )
        assert employer is not None
        workplace = _workplace(employer, step.values)
        offer = step.target
        if offer is None:
            status = step.values.get("status", "published")
            offer = Offer(
                employer_id=employer.id,
                external_id=step.external_id,
                import_unit_id=unit.id,
                status="published" if status == "published" and employer.verified else "draft",
            )
            if offer.status == "published":
                offer.published_at = utcnow()
            db.add(offer)
        offer.workplace_id = workplace.id
        for name in OFFER_FIELDS:
            if name in step.values:
                setattr(offer, name, step.values[name])
        written.append(offer)
    db.flush()
    return written


def _write_employer(step: Step, unit: Unit, actor: User) -> Employer:
    db = Session()
    employer = step.target
    if employer is None:
        # The coach (or admin) who imports the unit's employers vouches for them, as on the
        # verification page.
        employer = Employer(
            org_number=step.external_id,
            external_id=step.external_id,
            import_unit_id=unit.id,
            verified_at=utcnow(),
            verified_by_id=actor.id,
        )
        db.add(employer)
    for key, attr in EMPLOYER_FIELDS.items():
        if key in step.values:
            setattr(employer, attr, step.values[key])
    db.flush()
    return employer


def _workplace(employer: Employer, values: dict[str, Any]) -> Workplace:
    key = _workplace_key(values, employer.name)
    for workplace in employer.workplaces:
        if (workplace.name.casefold(), workplace.municipality.casefold()) == key:
            return workplace
    found = places.resolve_offline(values.get("city", ""), values["municipality"])
    workplace = Workplace(
        employer=employer,
        name=values.get("workplace_name") or values.get("employer_name") or employer.name,
        municipality=values["municipality"],
        street=values.get("street", ""),
        postal_code=values.get("postal_code", ""),
        city=values.get("city", ""),
        lat=found.lat if found else None,
        lon=found.lon if found else None,
        geocode_status="municipality" if found else "pending",
        geocoded_at=utcnow() if found else None,
    )
    Session().add(workplace)
    Session().flush()
    return workplace
