"""A small, hand-counted fixture for the reports: 7 participants in unit A, 1 in unit B.

The expected figures in the tests were counted by hand from the table below (see each test).

| who | gender     | coach | enrolled   | exited     | at exit        | 6 months         |
| P1  | woman      | c1    | 2026-02-01 | 2026-04-15 | employment     | employment       |
| P2  | woman      | c1    | 2026-03-01 | 2026-09-01 | studies        | (not yet due)    |
| P3  | man        | c1    | 2026-01-10 | 2026-03-01 | none           | (not recorded)   |
| P4  | man        | c1    | 2026-06-01 |            |                |                  |
| P5  | other      | c1    | 2026-08-15 |            |                |                  |
| P6  | not_stated | c2    | 2025-11-01 | 2026-05-01 | rehabilitation | subsidised       |
| P7  | man        | c2    | 2026-10-01 |            |                |                  |
| P8  | woman      | B     | 2026-05-01 |            |                |                  |

Assessments on one indicator (job_search): P1 participant 2 → 4 (up), coach 3 → 2 (down);
P4 participant 3 → 3 (same); P5 participant once only; P8 (unit B) participant 1 → 5.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from models import Assessment, Indicator, Match, Placement, Session
from tests.factories import make_offer, make_participant, make_unit, make_user

AS_OF = date(2026, 11, 1)
START, END = date(2026, 1, 1), date(2026, 10, 31)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


@dataclass
class Fixture:
    unit_a: Any
    unit_b: Any
    c1: Any
    c2: Any
    coach_b: Any
    manager_a: Any
    manager_b: Any
    admin: Any
    p: dict[str, Any] = field(default_factory=dict)
    m: dict[str, Any] = field(default_factory=dict)


def build() -> Fixture:
    unit_a = make_unit(name="Enhet A")
    unit_b = make_unit(name="Enhet B")
    fx = Fixture(
        unit_a=unit_a,
        unit_b=unit_b,
        c1=make_user("coach", unit_id=unit_a.id),
        c2=make_user("coach", unit_id=unit_a.id),
        coach_b=make_user("coach", unit_id=unit_b.id),
        manager_a=make_user("admin", unit_id=unit_a.id),
        manager_b=make_user("admin", unit_id=unit_b.id),
        admin=make_user("admin"),
    )
    people = {
        "P1": ("woman", fx.c1, date(2026, 2, 1), date(2026, 4, 15), "employment", "employment"),
        "P2": ("woman", fx.c1, date(2026, 3, 1), date(2026, 9, 1), "studies", None),
        "P3": ("man", fx.c1, date(2026, 1, 10), date(2026, 3, 1), "none", None),
        "P4": ("man", fx.c1, date(2026, 6, 1), None, None, None),
        "P5": ("other", fx.c1, date(2026, 8, 15), None, None, None),
        "P6": (
            "not_stated",
            fx.c2,
            date(2025, 11, 1),
            date(2026, 5, 1),
            "rehabilitation",
            "subsidised_employment",
        ),
        "P7": ("man", fx.c2, date(2026, 10, 1), None, None, None),
        "P8": ("woman", fx.coach_b, date(2026, 5, 1), None, None, None),
    }
    for key, (gender, coach, enrolled, exited, outcome, six) in people.items():
        unit = unit_b if key == "P8" else unit_a
        fx.p[key] = make_participant(
            unit,
            coach,
            gender=gender,
            enrolled_on=enrolled,
            exited_on=exited,
            exit_outcome=outcome,
            outcome_6m=six,
            outcome_6m_on=date(2026, 10, 20) if six else None,
            birth_year=1990,
            personnummer="19900101-0017" if key == "P1" else None,
        )
    care = make_offer(title="Undersköterska", occupation="Undersköterska", capacity=5)
    paint = make_offer(title="Målare", occupation="Målare", capacity=5)
    store = make_offer(title="Lagerarbetare", occupation="Lagerarbetare", capacity=5)
    # key: (participant, offer, status, extra, placement (start, status) or None)
    matches = {
        "M1": ("P1", care, "completed", {}, (date(2026, 3, 1), "completed")),
        "M2": ("P2", paint, "ongoing", {}, (date(2026, 5, 10), "ongoing")),
        "M3": ("P4", paint, "ongoing", {}, (date(2026, 6, 20), "ongoing")),
        "M4": ("P4", care, "rejected", {"rejection_reason": "distance"}, None),
        "M5": ("P3", paint, "declined", {}, None),
        "M6": ("P5", care, "placement_planned", {}, (date(2026, 12, 1), "planned")),
        "M7": ("P7", care, "suggested", {}, None),
        "M8": (
            "P1",
            paint,
            "withdrawn",
            {"decided_at": at(date(2026, 2, 20)), "participant_answered_at": at(date(2026, 2, 22))},
            None,
        ),
        "M9": ("P3", care, "rejected", {}, None),
        "M10": ("P4", store, "completed", {}, (date(2026, 9, 1), "completed")),
        "M11": ("P8", care, "approved", {}, None),
    }
    db = Session()
    for key, (pkey, offer, status, extra, placement) in matches.items():
        participant = fx.p[pkey]
        match = Match(
            participant_id=participant.id,
            offer_id=offer.id,
            status=status,
            computed_at=at(max(participant.enrolled_on, START)),
            **extra,
        )
        db.add(match)
        db.flush()
        fx.m[key] = match
        if placement:
            start, pl_status = placement
            db.add(
                Placement(
                    match_id=match.id,
                    participant_id=participant.id,
                    offer_id=offer.id,
                    start_on=start,
                    status=pl_status,
                )
            )
    db.flush()
    job_search = Indicator(
        unit_id=None, key="job_search", label_sv="Jobbsökande", label_en="Job search"
    )
    db.add(job_search)
    db.flush()
    answers = [
        ("P1", "participant", date(2026, 3, 1), 2),
        ("P1", "participant", date(2026, 6, 1), 4),
        ("P1", "coach", date(2026, 3, 1), 3),
        ("P1", "coach", date(2026, 6, 1), 2),
        ("P4", "participant", date(2026, 6, 5), 3),
        ("P4", "participant", date(2026, 9, 5), 3),
        ("P5", "participant", date(2026, 9, 1), 2),
        ("P8", "participant", date(2026, 5, 2), 1),
        ("P8", "participant", date(2026, 8, 2), 5),
    ]
    for key, respondent, on, value in answers:
        db.add(
            Assessment(
                participant_id=fx.p[key].id,
                indicator_id=job_search.id,
                respondent=respondent,
                assessed_on=on,
                value=value,
            )
        )
    db.flush()
    return fx
