"""SQLAlchemy models, one domain noun per module. Importing this package registers every table."""

from models.audit import AuditEvent
from models.db import Base, Session, configure, utcnow
from models.employer import Employer, Workplace
from models.feedback import AccessibilityReport
from models.journal import JournalNote, Meeting
from models.match import Match, Placement, PlacementNote
from models.offer import Offer
from models.participant import CoachChange, CorrectionRequest, Participant
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
    "JournalNote",
    "Match",
    "Meeting",
    "Notification",
    "Offer",
    "OutboxEmail",
    "Participant",
    "Placement",
    "PlacementNote",
    "Session",
    "Unit",
    "User",
    "Workplace",
    "configure",
    "utcnow",
]
