"""SQLAlchemy models, one domain noun per module. Importing this package registers every table."""

from models.audit import AuditEvent
from models.db import Base, Session, configure, utcnow
from models.employer import Employer, Workplace
from models.fanout import RefreshChunk, RefreshRun
from models.feedback import AccessibilityReport
from models.match import Match, Placement, PlacementNote
from models.offer import Offer
from models.participant import CoachChange, CorrectionRequest, Participant
from models.planning import PlanningLine, PlanningRound
from models.progress import Activity, Assessment, Indicator
from models.system import JobRun, Notification, OutboxEmail
from models.user import Unit, User

__all__ = [
    "AccessibilityReport",
    "Activity",
    "Assessment",
    "AuditEvent",
    "Base",
    "CoachChange",
    "CorrectionRequest",
    "Employer",
    "Indicator",
    "JobRun",
    "Match",
    "Notification",
    "Offer",
    "OutboxEmail",
    "Participant",
    "Placement",
    "PlacementNote",
    "PlanningLine",
    "PlanningRound",
    "RefreshChunk",
    "RefreshRun",
    "Session",
    "Unit",
    "User",
    "Workplace",
    "configure",
    "utcnow",
]
