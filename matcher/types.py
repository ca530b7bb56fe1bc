"""Plain data the engine takes and returns.

These are the only shapes that cross the boundary between `matcher` and its callers (the web
app, the jobs, the file CLI). They hold no database rows and no Flask objects, so the engine can
be tested without fixtures and run from the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matcher.reasons import Reason

SWEDISH_LEVELS: tuple[str, ...] = ("none", "basic", "good", "fluent")

PHYSICAL_DEMANDS: frozenset[str] = frozenset(
    {
        "heavy_lifting",
        "standing",
        "walking",
        "kneeling",
        "outdoor",
        "cold",
        "noise",
        "night_work",
        "high_pace",
        "customer_contact",
        "animals",
        "allergens",
    }
)

ACCESSIBILITY: frozenset[str] = frozenset(
    {
        "step_free",
        "accessible_toilet",
        "hearing_loop",
        "quiet_space",
        "adjustable_workstation",
        "flexible_hours",
        "low_pace_possible",
        "supervisor_trained",
        "public_transport_near",
    }
)

LEADS_TO_EMPLOYMENT: tuple[str, ...] = ("yes", "maybe", "no")

# Reason codes for hard-constraint exclusions, exactly as the file contract names them.
EXCLUSION_CODES: tuple[str, ...] = (
    "distance",
    "hours",
    "swedish",
    "licence",
    "physical",
    "access",
    "capacity",
)


@dataclass(frozen=True, slots=True)
class HoursRange:
    min: float = 0.0
    max: float = 168.0


@dataclass(frozen=True, slots=True)
class Location:
    """Resolved coordinates (WGS84 degrees); `label` is what the person or employer wrote."""

    lat: float
    lon: float
    label: str = ""


@dataclass(frozen=True, slots=True)
class Offer:
    id: str
    title: str
    location: Location
    description: str = ""
    employer: str = ""
    occupation: str = ""
    skills_required: tuple[str, ...] = ()
    skills_desired: tuple[str, ...] = ()
    hours_per_week: HoursRange | None = None
    swedish_level: str = "none"
    requires_driving_licence: bool = False
    physical_demands: frozenset[str] = frozenset()
    accessibility: frozenset[str] = frozenset()
    capacity: int = 1
    leads_to_employment: str | None = None
    # Beyond the file contract: what the web app knows about the offer.
    kind: str | None = None  # praktik / arbetstraning / arbetsprovning / other


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    location: Location
    skills: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    max_commute_km: float | None = None
    hours_per_week: HoursRange | None = None
    swedish_level: str = "none"
    driving_licence: bool = False
    cannot: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    support_level: int | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One ranked, feasible offer for one participant, with the reasons a coach reads.

    `reasons` and `gaps` are structured `matcher.reasons.Reason`s (code + params): rendered in
    the reader's language by `Reason.render(lang)`, stored as `Reason.to_dict()`.
    """

    participant_id: str
    offer_id: str
    rank: int
    score: float
    components: dict[str, float] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()
    gaps: tuple[Reason, ...] = ()
    distance_km: float | None = None


@dataclass(frozen=True, slots=True)
class Exclusion:
    participant_id: str
    offer_id: str
    codes: tuple[str, ...]
    distance_km: float | None = None
