"""A large unit for the load benchmark, bulk-inserted beside the demo data.

Into the unit of coach@demo.test (so the demo logins see it): 5,000 participants in that
coach's caseload, 2,000 published offers of 400 employers (20 of them of employer@demo.test's
employer), and 100,000 suggestion rows (20 per participant, reasons copied from a real demo
suggestion so pages render as much text as in use); 1% of the rows on that employer's offers
are `interested`, so the employer's candidate pages have people on them.

`python -m benchmarks.load_data` runs it against DATABASE_URL (after `flask init-db` and
`flask seed-demo`). Inserts are batched (SQLAlchemy's insertmanyvalues): about 20 s on
PostgreSQL here.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select

import models
from models import Employer, Match, Offer, Participant, Session, User, Workplace
from models.identity import with_check_digit

PARTICIPANTS, OFFERS, EMPLOYERS, PER_PARTICIPANT = 5_000, 2_000, 400, 20
PLACES = [  # municipality, lat, lon: around Karlskoga, so distances are realistic
    ("Karlskoga", 59.3267, 14.5239),
    ("Degerfors", 59.2380, 14.4310),
    ("Kristinehamn", 59.3098, 14.1081),
    ("Storfors", 59.5330, 14.2710),
    ("Örebro", 59.2753, 15.2134),
    ("Laxå", 58.9870, 14.6200),
]
SKILLS = ["truckkort", "lager", "kassa", "städ", "kök", "svenska", "körkort b", "data", "vård"]
TITLES = ["Lagerarbetare", "Butiksbiträde", "Lokalvårdare", "Köksbiträde", "Vårdbiträde"]


def _batches(rows: list[dict[str, Any]], size: int = 5_000):  # type: ignore[no-untyped-def]
    for n in range(0, len(rows), size):
        yield rows[n : n + size]


def _ids(model: Any, where: Any) -> list[int]:
    return list(Session.scalars(select(model.id).where(where).order_by(model.id)))


def generate(seed: int = 16) -> dict[str, int]:
    rng = random.Random(seed)
    db = Session()
    coach = db.scalar(select(User).where(User.email == "coach@demo.test"))
    contact = db.scalar(select(User).where(User.email == "employer@demo.test"))
    if coach is None or contact is None:
        raise SystemExit("seed the demo data first (flask --app web seed-demo)")
    if db.scalar(select(func.count()).select_from(Participant)) > PARTICIPANTS:
        return {"status": "already there"}
    sample = db.scalar(select(Match).where(Match.reasons != None).limit(1))  # noqa: E711
    reasons = sample.reasons if sample else []
    gaps = sample.gaps if sample else []
    components = sample.components if sample else {}
    today = date.today()

    employers = []
    for n in range(EMPLOYERS):
        org = with_check_digit(f"77{n:07d}")
        employers.append(
            {
                "name": f"Lastarbetsgivare {n} AB",
                "org_number": f"{org[:6]}-{org[6:]}",
                "verified_at": models.utcnow(),
            }
        )
    db.execute(insert(Employer), employers)
    employer_ids = _ids(Employer, Employer.name.like("Lastarbetsgivare %"))
    workplaces = []
    for n, eid in enumerate(employer_ids):
        muni, lat, lon = PLACES[n % len(PLACES)]
        workplaces.append(
            {
                "employer_id": eid,
                "name": f"Arbetsplats {n}",
                "municipality": muni,
                "lat": lat + rng.uniform(-0.05, 0.05),
                "lon": lon + rng.uniform(-0.05, 0.05),
            }
        )
    db.execute(insert(Workplace), workplaces)
    wp_of = dict(
        db.execute(
            select(Workplace.employer_id, Workplace.id).where(
                Workplace.employer_id.in_(employer_ids)
            )
        ).all()
    )
    own_wp = db.scalar(select(Workplace.id).where(Workplace.employer_id == contact.employer_id))
    offers = []
    for n in range(OFFERS):
        own = n < 20
        eid = contact.employer_id if own else employer_ids[n % len(employer_ids)]
        offers.append(
            {
                "employer_id": eid,
                "workplace_id": own_wp if own else wp_of[eid],
                "title": f"{rng.choice(TITLES)} {n}",
                "status": "published",
                "capacity": rng.randint(1, 3),
                "skills_required": rng.sample(SKILLS, 1),
                "skills_desired": rng.sample(SKILLS, 2),
                "description": "Praktik med handledare på plats.",
            }
        )
    first_offer = (db.scalar(select(func.max(Offer.id))) or 0) + 1
    for batch in _batches(offers):
        db.execute(insert(Offer), batch)
    offer_ids = _ids(Offer, Offer.id >= first_offer)
    own_offers = set(offer_ids[:20])

    people = []
    for n in range(PARTICIPANTS):
        muni, lat, lon = PLACES[n % len(PLACES)]
        people.append(
            {
                "unit_id": coach.unit_id,
                "coach_id": coach.id,
                "first_name": f"Last{n}",
                "last_name": "Testsson",
                "municipality": muni,
                "lat": lat + rng.uniform(-0.05, 0.05),
                "lon": lon + rng.uniform(-0.05, 0.05),
                "enrolled_on": today,
                "gender": rng.choice(["woman", "man"]),
                "skills": rng.sample(SKILLS, 3),
                "interests": rng.sample(TITLES, 1),
                "max_commute_km": 40,
            }
        )
    first_person = (db.scalar(select(func.max(Participant.id))) or 0) + 1
    for batch in _batches(people):
        db.execute(insert(Participant), batch)
    person_ids = _ids(Participant, Participant.id >= first_person)

    now = models.utcnow()
    rows = []
    for pid in person_ids:
        for rank, oid in enumerate(rng.sample(offer_ids, PER_PARTICIPANT), start=1):
            status = "interested" if oid in own_offers and rng.random() < 0.2 else "suggested"
            rows.append(
                {
                    "participant_id": pid,
                    "offer_id": oid,
                    "status": status,
                    "source": "engine",
                    "score": round(rng.uniform(0.3, 0.95), 4),
                    "rank": rank,
                    "reasons": reasons,
                    "gaps": gaps,
                    "components": components,
                    "distance_km": round(rng.uniform(1, 40), 1),
                    "computed_at": now,
                }
            )
    for batch in _batches(rows):
        db.execute(insert(Match), batch)
    db.commit()
    if db.get_bind().dialect.name == "postgresql":
        # Fresh statistics, as autovacuum would give a real installation after such growth:
        # without them the planner took 'suggested' for 114 rows and the queue ran 9 s.
        with db.get_bind().connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return {"participants": len(person_ids), "offers": len(offer_ids), "suggestions": len(rows)}


def main() -> int:
    from web import create_app

    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        result = generate()
        print(result, f"in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
