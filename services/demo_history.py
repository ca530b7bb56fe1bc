"""Six to twelve months of synthetic history for the demo, so the reports show real figures.

Called by `services.demo.seed()` after the current demo data exists. Deterministic (own seed).
It adds, per unit: past participants who enrolled 6–12 months ago, most of whom have exited with
an outcome (and a six-month follow-up where that time has passed); past matches through every
step of the funnel, on offers of the unit's employers that are now closed (so that they never
collide with the current matches `services.demo_matches` creates on published offers: one match
per participant–offer pair); placements started and completed; BIP assessments every 3 months,
by participant and coach, drifting upwards for many; plan activities; and a few coach changes.
Demo logins and the first participants of each caseload are left as they are.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from models import (
    Activity,
    Assessment,
    CoachChange,
    Employer,
    Indicator,
    Match,
    Offer,
    Participant,
    Placement,
    Unit,
    User,
    Workplace,
)
from services.demo import birth_year_for

PAST_PER_UNIT = 26
INTERVAL = 91
# Fields of the demo data (data/demo/fields.json) where the engine's suggestions tend to go to one
# gender in the demo history, so that the equality monitor has something to show a coach.
LEANS = {"vard": "woman", "stad": "woman", "bygg": "man", "lager": "man", "fastighet": "man"}
EXIT_OUTCOMES = (
    ("employment", 26),
    ("subsidised_employment", 14),
    ("studies", 12),
    ("closer_to_labour_market", 16),
    ("continued_placement", 4),
    ("rehabilitation", 10),
    ("none", 18),
)
ACTIVITY_TITLES = {
    "job_focused": (
        "Arbetsgivarbesök",
        "Jobbsökarträff",
        "Praktik hos arbetsgivare",
        "Cv-verkstad",
    ),
    "health": ("Promenadgrupp", "Samtal med arbetsterapeut", "Stresshantering"),
    "skills": ("Svenska för arbetslivet", "Truckkort", "Hygienutbildning", "Datorkurs"),
    "social": ("Budgetrådgivning", "Studiebesök", "Träffa boendestödet"),
}


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _w in weighted], weights=[w for _k, w in weighted])[0]


def extend(db: Any, *, ref: dict[str, Any], today: date, rng_seed: int = 7) -> dict[str, int]:
    rng = random.Random(rng_seed)
    counts = dict.fromkeys(
        (
            "history_participants",
            "history_offers",
            "history_matches",
            "history_placements",
            "assessments",
            "activities",
            "coach_changes",
        ),
        0,
    )
    indicators = list(
        db.scalars(
            select(Indicator).where(Indicator.unit_id.is_(None)).order_by(Indicator.position)
        )
    )
    covers = {u["name"]: u["covers"] for u in ref["units"]}
    for unit in db.scalars(select(Unit).order_by(Unit.id)):
        coaches = list(
            db.scalars(
                select(User).where(User.role == "coach", User.unit_id == unit.id).order_by(User.id)
            )
        )
        if not coaches:
            continue
        offers = _history_offers(db, rng, ref, covers.get(unit.name, [unit.municipality]), today)
        counts["history_offers"] += len(offers)
        current = list(
            db.scalars(
                select(Participant).where(Participant.unit_id == unit.id).order_by(Participant.id)
            )
        )
        past = _past_participants(
            db, rng, ref, unit, coaches, covers.get(unit.name, [unit.municipality]), today
        )
        counts["history_participants"] += len(past)
        db.flush()
        for n, p in enumerate([*current, *past]):
            is_past = n >= len(current)
            # Current participants: about half have had a placement; past ones most of them.
            if offers and (is_past or (rng.random() < 0.45 and (today - p.enrolled_on).days > 25)):
                m, pl = _matches(db, rng, p, offers, today)
                counts["history_matches"] += m
                counts["history_placements"] += pl
            counts["assessments"] += _assessments(db, rng, p, indicators, coaches, today)
            counts["activities"] += _activities(db, rng, p, today)
        # A few hand-overs between the unit's coaches (never the first caseload entries or logins).
        movable = [p for p in current[24:] if p.user_id is None][:2] + past[:1]
        for p in movable:
            if len(coaches) < 2 or p.coach_id is None:
                continue
            other = next(c for c in coaches if c.id != p.coach_id)
            db.add(
                CoachChange(
                    participant_id=p.id,
                    from_coach_id=p.coach_id,
                    to_coach_id=other.id,
                    changed_by_id=other.id,
                    reason="Coachen bytte tjänst.",
                    changed_at=at(
                        p.enrolled_on
                        + timedelta(days=min(40, max(1, (today - p.enrolled_on).days - 1)))
                    ),
                )
            )
            p.coach_id = other.id
            counts["coach_changes"] += 1
    db.flush()
    return counts


def _history_offers(
    db: Any, rng: random.Random, ref: dict[str, Any], towns: list[str], today: date
) -> list[tuple[Offer, str]]:
    workplaces = list(
        db.scalars(
            select(Workplace).where(Workplace.municipality.in_(towns)).order_by(Workplace.id)
        )
    )
    fields = ref["fields"]
    out = []
    for k, workplace in enumerate(workplaces[:10]):
        field_key = sorted(fields)[(k * 3) % len(fields)]
        title = fields[field_key]["titles"][k % len(fields[field_key]["titles"])]
        employer = db.get(Employer, workplace.employer_id)
        offer = Offer(
            employer_id=employer.id,
            workplace_id=workplace.id,
            title=title,
            occupation=title,
            kind="praktik",
            description=f"{title} hos {employer.name} (avslutad annons).",
            tasks=fields[field_key]["tasks"],
            skills_required=list(fields[field_key]["required"][0]),
            capacity=rng.choice([4, 6, 8]),
            filled=0,
            start_from=today - timedelta(days=360),
            start_until=today - timedelta(days=30),
            duration_weeks=4,
            status="closed",
            published_at=at(today - timedelta(days=365)),
        )
        db.add(offer)
        out.append((offer, field_key))
    db.flush()
    return out


def _past_participants(db, rng, ref, unit, coaches, towns, today):  # type: ignore[no-untyped-def]
    people = []
    groups = [
        "long_term_unemployed",
        "social_assistance",
        "sick_listed",
        "newly_arrived",
        "disability",
        "young",
    ]
    for i in range(PAST_PER_UNIT):
        gender = rng.choices(["woman", "man", "other", "not_stated"], weights=[47, 47, 3, 3])[0]
        names = ref["first_names"]["other" if gender in ("other", "not_stated") else gender]
        town = rng.choice(towns)
        place = ref["municipalities"][town]
        enrolled = today - timedelta(days=rng.randint(180, 365))
        group = rng.choice(groups)
        p = Participant(
            unit_id=unit.id,
            coach_id=coaches[i % len(coaches)].id,
            first_name=rng.choice(names),
            last_name=rng.choice(ref["last_names"]),
            municipality=town,
            lat=round(place["lat"] + rng.uniform(-0.03, 0.03), 5),
            lon=round(place["lon"] + rng.uniform(-0.04, 0.04), 5),
            gender=gender,
            birth_year=birth_year_for(rng, group, today.year),
            target_group=group,
            support_level=rng.choices([1, 2, 3], weights=[30, 50, 20])[0],
            swedish_level=rng.choice(["basic", "good", "fluent"]),
            consent={"skills": True, "interests": True},
            enrolled_on=enrolled,
        )
        if rng.random() < 0.8:
            exit_on = min(
                today - timedelta(days=5), enrolled + timedelta(days=rng.randint(60, 280))
            )
            p.exited_on = exit_on
            p.exit_outcome = _pick(rng, EXIT_OUTCOMES)
            if (today - exit_on).days >= 183 and rng.random() < 0.85:
                p.outcome_6m = _pick(rng, EXIT_OUTCOMES)
                p.outcome_6m_on = exit_on + timedelta(days=rng.randint(183, 200))
                if p.outcome_6m_on > today:
                    p.outcome_6m_on = today
        db.add(p)
        people.append(p)
    return people


def _matches(db, rng, p, offers, today) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Two to five past matches through the funnel; at most one becomes a placement."""
    group = p.gender if p.gender in ("woman", "man") else None
    chosen = rng.sample(offers, k=min(len(offers), rng.randint(2, 5)))
    end = p.exited_on or today
    span = max(1, (end - p.enrolled_on).days - 10)
    placed = False
    made = placements = 0
    for offer, field_key in chosen:
        suggested_on = p.enrolled_on + timedelta(days=rng.randint(1, min(span, 60)))
        lean = LEANS.get(field_key)
        favoured = lean is None or lean == group
        approve = rng.random() < (0.7 if favoured else 0.45)
        if not approve:
            status = rng.choice(["rejected", "rejected", "suggested", "withdrawn"])
        else:
            status = rng.choices(
                ["declined", "employer_declined", "interested", "placement"],
                weights=[2, 2, 1, 5 if not placed else 0],
            )[0]
        match = Match(
            participant_id=p.id,
            offer_id=offer.id,
            status=status,
            source="engine",
            score=round(rng.uniform(0.4, 0.95), 3),
            engine_version="demo-history",
            computed_at=at(suggested_on),
        )
        if status == "rejected":
            match.rejection_reason = rng.choice(
                ["distance", "health", "interest", "skills", "timing", "other"]
            )
        if status != "suggested":
            match.decided_at = at(suggested_on + timedelta(days=2))
        if status in ("declined", "employer_declined", "interested", "placement"):
            match.proposed_at = at(suggested_on + timedelta(days=2), 11)
            match.participant_answered_at = at(suggested_on + timedelta(days=5))
        if status in ("employer_declined", "placement"):
            match.employer_answered_at = at(suggested_on + timedelta(days=8))
        db.add(match)
        made += 1
        if status == "placement":
            placed = True
            start = suggested_on + timedelta(days=rng.randint(7, 30))
            if start >= today:  # would start in the future: leave it at the participant's yes
                match.status = "interested"
                placed = False
                continue
            finish = start + timedelta(days=28)
            if p.exited_on is not None and finish > p.exited_on:
                finish = max(start, p.exited_on)
            done = finish < today
            ended_early = done and rng.random() < 0.15
            match.status = "ended_early" if ended_early else ("completed" if done else "ongoing")
            db.flush()
            db.add(
                Placement(
                    match_id=match.id,
                    participant_id=p.id,
                    offer_id=offer.id,
                    start_on=start,
                    end_on=finish if done else None,
                    hours_per_week=rng.choice([10, 15, 20, 25]),
                    supervisor_name=offer.supervisor_name or "Handledare",
                    status=match.status if match.status != "ongoing" else "ongoing",
                    outcome=("employment" if rng.random() < 0.25 else None)
                    if done and not ended_early
                    else None,
                    outcome_on=finish if done else None,
                )
            )
            placements += 1
    db.flush()
    return made, placements


def _assessments(db, rng, p, indicators, coaches, today) -> int:  # type: ignore[no-untyped-def]
    """Measurements every 3 months since enrolment; about 60 % drift upwards, others stay or dip."""
    end = p.exited_on or today
    days = []
    day = p.enrolled_on + timedelta(days=rng.randint(0, 10))
    while day <= end and day <= today:
        days.append(day)
        day += timedelta(days=INTERVAL + rng.randint(-7, 7))
    if not days or rng.random() < 0.08:  # a few never measured: the reminder job finds them
        return 0
    improving = rng.random() < 0.6
    coach_id = p.coach_id or coaches[0].id
    made = 0
    for indicator in indicators:
        base = rng.randint(1, 3)
        for step, on in enumerate(days):
            drift = (step * rng.choice([0, 1, 1])) if improving else rng.choice([0, 0, -1])
            for respondent in ("participant", "coach"):
                if indicator.answered_by not in (respondent, "both"):
                    continue
                lean = rng.choice([-1, 0, 0, 1]) if respondent == "coach" else 0
                value = max(indicator.scale_min, min(indicator.scale_max, base + drift + lean))
                db.add(
                    Assessment(
                        participant_id=p.id,
                        indicator_id=indicator.id,
                        respondent=respondent,
                        value=value,
                        assessed_by_id=coach_id if respondent == "coach" else p.user_id,
                        assessed_on=on,
                    )
                )
                made += 1
    return made


def _activities(db, rng, p, today) -> int:  # type: ignore[no-untyped-def]
    """Parallel activities; some plans lack a job-focused one or have a gap, as real ones do."""
    end = p.exited_on or today
    kinds = ["health", "skills", "social"]
    if rng.random() < 0.7:
        kinds.append("job_focused")
    made = 0
    for kind in rng.sample(kinds, k=min(len(kinds), rng.randint(1, 3))):
        start = p.enrolled_on + timedelta(
            days=rng.randint(0, max(0, min(30, (end - p.enrolled_on).days)))
        )
        length = rng.choice([14, 28, 42, 60, None])
        finish = start + timedelta(days=length) if length else None
        if finish is not None and finish < today:
            status = "done"
        elif start > today:
            status = "planned"
        else:
            status = "ongoing"
        if p.exited_on is not None:
            status, finish = "done", min(finish or p.exited_on, p.exited_on)
            finish = max(finish, start)
        db.add(
            Activity(
                participant_id=p.id,
                kind=kind,
                title=rng.choice(ACTIVITY_TITLES[kind]),
                start_on=start,
                end_on=finish,
                status=status,
            )
        )
        made += 1
    return made
