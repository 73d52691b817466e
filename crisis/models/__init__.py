from crisis.models.audit import AuditEntry, AuditTrailIsAppendOnly
from crisis.models.briefing import Briefing, BriefingAcknowledgement
from crisis.models.compensation import (
    CompensationPolicy,
    CompensationProposal,
    Currency,
    GrantLimit,
    Kind,
)
from crisis.models.incident import Incident, IncidentEvent, IncidentTicket
from crisis.models.subscriptions import Subscription
from crisis.models.thresholds import ApprovalThreshold
from crisis.models.updates import IncidentUpdate, UpdateRecipient

__all__ = [
    "ApprovalThreshold",
    "AuditEntry",
    "AuditTrailIsAppendOnly",
    "Briefing",
    "BriefingAcknowledgement",
    "CompensationPolicy",
    "CompensationProposal",
    "Currency",
    "GrantLimit",
    "Incident",
    "IncidentEvent",
    "IncidentTicket",
    "IncidentUpdate",
    "Kind",
    "Subscription",
    "UpdateRecipient",
]
