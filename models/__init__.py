"""SQLAlchemy models, one domain noun per module. Importing this package registers every table."""

from models import crypto
from models.agreement import (
    AgreementConfirmation,
    ConfirmedSkill,
    FollowUp,
    PlacementAgreement,
    PlacementWeek,
    SupervisorAssessment,
    UsedLinkToken,
)
from models.api_token import ApiToken
from models.audit import AuditEvent
from models.contact_log import EmployerContact
from models.db import Base, Session, configure, utcnow
from models.employer import Employer, Workplace
from models.fanout import RefreshChunk, RefreshRun
from models.feedback import AccessibilityReport
from models.follow_along import FollowAlongContact, FollowAlongSupport
from models.imports import ImportFile
from models.journal import JournalNote, Meeting
from models.match import Match, Placement, PlacementNote
from models.offer import Offer
from models.participant import CoachChange, CorrectionRequest, Participant
from models.planning import PlanningLine, PlanningRound
from models.progress import Activity, Assessment, Indicator
from models.region import Region
from models.system import JobRun, Notification, OutboxEmail
from models.user import Unit, User

__all__ = [
    "AccessibilityReport",
    "ApiToken",
    "Activity",
    "AgreementConfirmation",
    "Assessment",
    "AuditEvent",
    "Base",
    "CoachChange",
    "ConfirmedSkill",
    "CorrectionRequest",
    "Employer",
    "EmployerContact",
    "FollowAlongContact",
    "FollowAlongSupport",
    "FollowUp",
    "ImportFile",
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
    "PlacementAgreement",
    "PlacementNote",
    "Region",
    "PlacementWeek",
    "PlanningLine",
    "PlanningRound",
    "RefreshChunk",
    "RefreshRun",
    "Session",
    "SupervisorAssessment",
    "Unit",
    "UsedLinkToken",
    "User",
    "Workplace",
    "configure",
    "crypto",
    "utcnow",
]
