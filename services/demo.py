"""Synthetic demo data: units, coaches, employers, offers and participants in the source
projects' municipalities. Deterministic (seeded) and idempotent; never real people."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from models import (
    Employer,
    Indicator,
    Offer,
    Participant,
    Region,
    Session,
    Unit,
    User,
    Workplace,
    utcnow,
)
from models.identity import with_check_digit
from services.accounts import hash_password

DATA = Path(__file__).resolve().parent.parent / "data" / "demo" / "fields.json"
DEMO_PASSWORD = "demo1234"  # noqa: S105 - documented demo password, demo data only

DEMO_LOGINS = (
    ("admin@demo.test", "admin", "Administratör för hela installationen"),
    ("coach@demo.test", "coach", "Coach i Arbetsmarknadsenheten Karlskoga–Degerfors"),
    ("coach2@demo.test", "coach", "Coach i ESF-projektet Vägen framåt Skåne Nordost"),
    ("employer@demo.test", "employer", "Kontaktperson hos en arbetsgivare i Karlskoga"),
    ("employer2@demo.test", "employer", "Kontaktperson hos en arbetsgivare i Kristianstad"),
    ("participant@demo.test", "participant", "Deltagare hos coach@demo.test"),
    ("participant2@demo.test", "participant", "Deltagare hos coach2@demo.test"),
)

# The BIP indicators that predict work (domain.md), the default set for every unit.
BIP_INDICATORS = (
    ("job_search", "Jobbsökande", "Job-search behaviour", "both"),
    ("labour_market", "Kunskap om arbetsmarknaden", "Knowledge of the labour market", "both"),
    ("health", "Hälsa och att hantera sin hälsa", "Health and coping with it", "both"),
    ("cooperation", "Förmåga att samarbeta", "Ability to cooperate", "both"),
    ("determination", "Målmedvetenhet", "Determination", "both"),
    ("self_belief", "Tro på att klara ett jobb", "Belief in managing a job", "participant"),
    (
        "coach_belief",
        "Coachens tro på att personen får jobb",
        "Coach's belief the person will get a job",
        "coach",
    ),
)
SCALE_ANCHORS = {
    "1": {"sv": "Stämmer inte alls", "en": "Not at all"},
    "3": {"sv": "Stämmer delvis", "en": "Partly"},
    "5": {"sv": "Stämmer helt", "en": "Fully"},
}


@dataclass
class SeedResult:
    created: bool
    counts: dict[str, int]


def load_fields() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def is_seeded() -> bool:
    return Session.scalar(select(User.id).where(User.email == "admin@demo.test")) is not None


def seed(*, today: date | None = None, rng_seed: int = 2026) -> SeedResult:
    """Create the demo data unless it is there already (idempotent)."""
    if is_seeded():
        return SeedResult(False, {})
    today = today or date.today()
    rng = random.Random(rng_seed)
    ref = load_fields()
    db = Session()
    pw = hash_password(DEMO_PASSWORD)
    counts: dict[str, int] = {}

    _seed_indicators(db)
    units = []
    regions: dict[str, Region] = {}
    for spec in ref["units"]:
        place = ref["municipalities"][spec["municipality"]]
        # Each unit in the region of its county: a unit uses its region's shared offers only.
        county = place["county"]
        if county not in regions:
            regions[county] = Region(name=county)
            db.add(regions[county])
        unit = Unit(
            name=spec["name"],
            municipality=spec["municipality"],
            county=county,
            region=regions[county],
        )
        db.add(unit)
        units.append((unit, spec["covers"]))
    db.flush()

    admin = User(email="admin@demo.test", password_hash=pw, name="Alva Admin", role="admin")
    db.add(admin)
    coaches: list[list[User]] = []
    coach_names = [("Cecilia Coach", "coach@demo.test"), ("Carl Coach", "coach2@demo.test")]
    for i, (unit, _covers) in enumerate(units):
        pair = []
        for j in range(2):
            if i < 2 and j == 0:
                name, email = coach_names[i]
            else:
                name, email = (
                    f"Coach {unit.municipality} {j + 1}",
                    f"coach.u{i + 1}.{j + 1}@demo.test",
                )
            user = User(email=email, password_hash=pw, name=name, role="coach", unit_id=unit.id)
            db.add(user)
            pair.append(user)
        coaches.append(pair)
    db.flush()

    employers, offers = _seed_employers(db, rng, ref, units, pw, today, admin)
    participants = _seed_participants(db, rng, ref, units, coaches, pw, today)
    _fit_demo_logins(db, ref)
    db.commit()
    counts.update(
        units=len(units),
        employers=len(employers),
        offers=len(offers),
        participants=len(participants),
    )
    from services import demo_history  # past months for the reports (issue 7)

    history = demo_history.extend(db, ref=ref, today=today)
    counts["offers"] += history.pop("history_offers")
    counts.update(history)
    db.commit()
    return SeedResult(True, counts)


def _seed_indicators(db: Any) -> None:
    for pos, (key, sv, en, who) in enumerate(BIP_INDICATORS):
        db.add(
            Indicator(
                unit_id=None,
                key=key,
                label_sv=sv,
                label_en=en,
                answered_by=who,
                scale_min=1,
                scale_max=5,
                anchors=SCALE_ANCHORS,
                position=pos,
            )
        )


def _seed_employers(db, rng, ref, units, pw, today, admin):  # type: ignore[no-untyped-def]
    fields = ref["fields"]
    field_keys = sorted(fields)
    employers: list[Employer] = []
    offers: list[Offer] = []
    n = 0
    for unit, covers in units:
        for m_index, municipality in enumerate(covers):
            place = ref["municipalities"][municipality]
            per_town = 6 if m_index == 0 else 3
            for k in range(per_town):
                n += 1
                field_key = field_keys[(n * 7 + k) % len(field_keys)]
                f = fields[field_key]
                word = f["employer_words"][n % len(f["employer_words"])]
                name = f"{municipality} {word} AB" if k % 3 else f"{word}huset i {municipality}"
                org = with_check_digit(f"55{n:07d}")
                employer = Employer(
                    name=name,
                    org_number=f"{org[:6]}-{org[6:]}",
                    contact_name=f"Kontakt {n}",
                    contact_email=f"kontakt{n}@{municipality.lower().replace(' ', '').replace('ö', 'o')}.example",
                    contact_phone=f"010-{100000 + n}",
                    description=f"{word} i {municipality}. Tar emot praktikanter sedan flera år.",
                    verified_at=utcnow(),
                    verified_by_id=None,
                    home_unit_id=unit.id,
                )
                db.add(employer)
                jitter_lat = rng.uniform(-0.02, 0.02)
                jitter_lon = rng.uniform(-0.03, 0.03)
                access = rng.sample(
                    [
                        "step_free",
                        "accessible_toilet",
                        "quiet_space",
                        "public_transport_near",
                        "flexible_hours",
                        "supervisor_trained",
                        "low_pace_possible",
                        "hearing_loop",
                        "adjustable_workstation",
                    ],
                    k=rng.randint(1, 5),
                )
                workplace = Workplace(
                    employer=employer,
                    name=name,
                    street=f"{rng.choice(place['streets'])} {rng.randint(1, 60)}",
                    postal_code=f"{place['postal']} {rng.randint(30, 99)}",
                    city=municipality if municipality != "Östra Göinge" else "Broby",
                    municipality=municipality,
                    lat=round(place["lat"] + jitter_lat, 5),
                    lon=round(place["lon"] + jitter_lon, 5),
                    geocode_status="municipality",
                    geocoded_at=utcnow(),
                    accessibility=sorted(access),
                    public_transport="Buss från centrum, 5 minuters promenad från hållplatsen.",
                )
                db.add(workplace)
                employers.append(employer)
                for o in range(2):
                    offers.append(
                        _make_offer(db, rng, employer, workplace, fields, field_key, o, today)
                    )
    db.flush()
    # The demo employer contacts: one in Karlskoga (unit 1), one in Kristianstad (unit 2).
    first = next(e for e in employers if e.name.startswith("Karlskoga") or "Karlskoga" in e.name)
    second = next(e for e in employers if "Kristianstad" in e.name)
    for email, employer, name in (
        ("employer@demo.test", first, "Erika Arbetsgivare"),
        ("employer2@demo.test", second, "Emil Arbetsgivare"),
    ):
        db.add(
            User(email=email, password_hash=pw, name=name, role="employer", employer_id=employer.id)
        )
    return employers, offers


def _make_offer(db, rng, employer, workplace, fields, field_key, o, today):  # type: ignore[no-untyped-def]
    f = fields[field_key]
    title = f["titles"][(o + len(employer.name)) % len(f["titles"])]
    required = f["required"][(o + len(title)) % len(f["required"])]
    kind = rng.choice(["praktik", "praktik", "arbetstraning", "arbetsprovning"])
    hours_min = rng.choice([10, 15, 20, 25])
    offer = Offer(
        employer=employer,
        workplace=workplace,
        title=title,
        kind=kind,
        description=f"{title} hos {employer.name}. {f['tasks']}",
        tasks=f["tasks"],
        occupation=title,
        skills_required=list(required),
        skills_desired=rng.sample(f["desired"], k=min(2, len(f["desired"]))),
        hours_min=hours_min,
        hours_max=min(40, hours_min + rng.choice([10, 15, 20])),
        swedish_level=rng.choice(["none", "basic", "basic", "good"]),
        requires_driving_licence=field_key in ("fastighet", "park") and rng.random() < 0.4,
        physical_demands=rng.sample(f["demands"], k=rng.randint(0, len(f["demands"]))),
        accessibility=["low_pace_possible"] if kind == "arbetstraning" else [],
        capacity=rng.choice([1, 1, 2, 2, 3]),
        leads_to_employment=rng.choice(["yes", "maybe", "maybe", "no"]),
        supervisor_name=f"Handledare {rng.choice(['Anna', 'Bengt', 'Dalia', 'Goran', 'Lena'])}",
        supervisor_email="handledare@example.invalid",
        start_from=today,
        start_until=today + timedelta(days=rng.choice([30, 60, 90])),
        duration_weeks=4 if kind == "praktik" else rng.choice([4, 8, 12]),
        status="published",
        published_at=utcnow(),
    )
    db.add(offer)
    return offer


def _seed_participants(db, rng, ref, units, coaches, pw, today):  # type: ignore[no-untyped-def]
    fields = ref["fields"]
    field_keys = sorted(fields)
    participants: list[Participant] = []
    target_groups = [
        "long_term_unemployed",
        "social_assistance",
        "sick_listed",
        "activity_compensation",
        "newly_arrived",
        "disability",
        "young",
    ]
    for unit_index, (unit, covers) in enumerate(units):
        for i in range(52):
            gender = rng.choices(["woman", "man", "other", "not_stated"], weights=[46, 46, 4, 4])[0]
            names = ref["first_names"]["other" if gender in ("other", "not_stated") else gender]
            first = rng.choice(names)
            last = rng.choice(ref["last_names"])
            municipality = rng.choice(covers)
            place = ref["municipalities"][municipality]
            field_key = rng.choice(field_keys)
            f = fields[field_key]
            other = fields[rng.choice(field_keys)]
            skills = sorted(
                {
                    *rng.sample([s for r in f["required"] for s in r] + f["desired"], k=2),
                    rng.choice(other["desired"]),
                }
            )
            support = rng.choices([1, 2, 3], weights=[30, 50, 20])[0]
            cannot = (
                rng.sample(
                    ["heavy_lifting", "night_work", "high_pace", "cold", "noise", "allergens"],
                    k=rng.choice([0, 0, 1, 2]),
                )
                if support < 3
                else []
            )
            needs = (
                rng.sample(
                    ["quiet_space", "step_free", "flexible_hours", "low_pace_possible"],
                    k=rng.choice([0, 1]),
                )
                if support == 1
                else []
            )
            hours_min = rng.choice([5, 10, 15, 20])
            coach = coaches[unit_index][i % 2]
            target_group = rng.choice(target_groups)
            participant = Participant(
                unit_id=unit.id,
                coach_id=coach.id,
                first_name=first,
                last_name=last,
                municipality=municipality,
                street=f"{rng.choice(place['streets'])} {rng.randint(1, 80)}",
                postal_code=f"{place['postal']} {rng.randint(30, 99)}",
                lat=round(place["lat"] + rng.uniform(-0.03, 0.03), 5),
                lon=round(place["lon"] + rng.uniform(-0.04, 0.04), 5),
                gender=gender,
                birth_year=birth_year_for(rng, target_group, today.year),
                target_group=target_group,
                support_level=support,
                skills=skills,
                interests=rng.sample(
                    ref["interests"][field_key], k=min(2, len(ref["interests"][field_key]))
                ),
                max_commute_km=rng.choice([10, 15, 25, 40, None]),
                hours_min=hours_min,
                hours_max=min(40, hours_min + rng.choice([5, 10, 20])),
                swedish_level=rng.choice(["basic", "good", "good", "fluent", "none"]),
                driving_licence=rng.random() < 0.35,
                cannot=cannot,
                needs=needs,
                health_notes="Behöver korta pauser." if support == 1 else "",
                protected_identity=(i == 17),
                consent={
                    "skills": True,
                    "interests": True,
                    "swedish_level": True,
                    "adjustments": support == 1,
                    "name": i % 3 != 0,
                    "contact": False,
                    "licence": True,
                },
                enrolled_on=today - timedelta(days=rng.randint(3, 200)),
            )
            db.add(participant)
            participants.append(participant)
    db.flush()
    # Demo logins: the first participant of each demo coach's caseload.
    for email, coach, name, gender in (
        ("participant@demo.test", coaches[0][0], "Pia Deltagare", "woman"),
        ("participant2@demo.test", coaches[1][0], "Per Deltagare", "man"),
    ):
        p = next(
            p
            for p in participants
            if p.coach_id == coach.id and p.user_id is None and not p.protected_identity
        )
        first, last = name.split()
        p.first_name, p.last_name, p.gender = first, last, gender
        user = User(email=email, password_hash=pw, name=name, role="participant", unit_id=p.unit_id)
        db.add(user)
        db.flush()
        p.user_id = user.id
        p.email = email
        p.personnummer = synthetic_personnummer(rng, p.birth_year or 1980, gender)
    return participants


# Ages that agree with each target group (the UI calls "young" 16–29; aktivitetsersättning is
# paid from 19 to 29); everyone else is of working age.
AGE_RANGES = {"young": (18, 29), "activity_compensation": (19, 29)}
WORKING_AGE = (25, 63)


def birth_year_for(rng: random.Random, target_group: str, this_year: int) -> int:
    low, high = AGE_RANGES.get(target_group, WORKING_AGE)
    return this_year - rng.randint(low, high)


def synthetic_personnummer(rng: random.Random, year: int, gender: str) -> str:
    """A valid-looking personnummer (Luhn) for the birth year; its ninth digit is odd for a man
    and even for a woman, as in real numbers. The 98x birth numbers mark it as synthetic."""
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    ninth = rng.choice({"man": (1, 3, 5, 7, 9), "woman": (0, 2, 4, 6, 8)}.get(gender, range(10)))
    nine = f"{year % 100:02d}{month:02d}{day:02d}9{rng.randint(0, 9)}{ninth}"
    ten = with_check_digit(nine)
    return f"{year}{ten[2:6]}-{ten[6:]}"


def _fit_demo_logins(db: Any, ref: dict[str, Any]) -> None:
    """Shape each demo participant login after their demo employer's field, so the demo shows
    the core loop (an explained suggestion the coach approves) for those logins: the skills and
    interests of the field, hours and Swedish that fit, no limits the offers break, and no
    commuting limit of their own (their unit's default applies)."""
    for p_email, e_email in (
        ("participant@demo.test", "employer@demo.test"),
        ("participant2@demo.test", "employer2@demo.test"),
    ):
        puser = db.scalar(select(User).where(User.email == p_email))
        euser = db.scalar(select(User).where(User.email == e_email))
        p = db.scalar(select(Participant).where(Participant.user_id == puser.id))
        offers = db.scalars(select(Offer).where(Offer.employer_id == euser.employer_id)).all()
        fields = ref["fields"]
        key = next(k for k, f in fields.items() if offers[0].title in f["titles"])
        field = fields[key]
        wp = offers[0].workplace
        p.municipality, p.lat, p.lon = wp.municipality, round(wp.lat + 0.01, 5), wp.lon
        p.skills = sorted({s for r in field["required"] for s in r} | {*field["desired"]})
        p.interests = list(ref["interests"][key])
        p.hours_min, p.hours_max = 10, 40
        p.swedish_level = "good"
        p.driving_licence = True
        p.support_level = 2
        p.cannot, p.needs, p.health_notes = [], [], ""
        p.max_commute_km = None
        p.consent = p.consent | {"adjustments": False}
