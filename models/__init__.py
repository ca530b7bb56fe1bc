"""SQLAlchemy models, one domain noun per module. Importing this package registers every table."""

from models.api_token import ApiToken
from models.audit import AuditEvent
from models.db import Base, Session, configure, utcnow
from models.employer import Employer, Workplace
from models.feedback import AccessibilityReport
from models.imports import ImportFile
from models.match import Match, Placement, PlacementNote
from models.offer import Offer
from models.participant import CoachChange, CorrectionRequest, Participant
from models.progress import Activity, Assessment, Indicator
from models.system import JobRun, Notification, OutboxEmail
from models.user import Unit, User

__all__ = [
    "AccessibilityReport",
    "ApiToken",
    "Activity",
    "Assessment",
    "AuditEvent",
    "Base",
    "CoachChange",
    "CorrectionRequest",
    "Employer",
    "ImportFile",
    "Indicator",
    "JobRun",
    "Match",
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
