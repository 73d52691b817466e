from helpdesk.languages import Language
from helpdesk.models.access_record import AccessRecord
from helpdesk.models.agent_alert import AgentAlert
from helpdesk.models.bulk import BulkChange
from helpdesk.models.chat import Chat
from helpdesk.models.customer import Customer, normalise_phone
from helpdesk.models.customer_preferences import PreferenceChange
from helpdesk.models.directory import ChannelListing, PhoneMenuOption
from helpdesk.models.erasure_request import ErasureRequest
from helpdesk.models.faq import FaqCategory, FaqEntry, FaqVote
from helpdesk.models.inbound import InboundEmail
from helpdesk.models.integration import ApiIdempotencyKey, ApiIntegration
from helpdesk.models.notification import Notification
from helpdesk.models.queue_place import SlaBand
from helpdesk.models.rate_limit import RateLimit
from helpdesk.models.routing import (
    BusinessCalendar,
    Category,
    CategoryRoute,
    Closure,
    OpeningHours,
    Priority,
    Queue,
    SlaTarget,
)
from helpdesk.models.saved_view import SavedView
from helpdesk.models.sign_in import LockoutLift
from helpdesk.models.staff import StaffProfile
from helpdesk.models.staff_changes import StaffChange
from helpdesk.models.status_link import StatusLink
from helpdesk.models.tags import Tag
from helpdesk.models.ticket import InvalidTransition, Ticket
from helpdesk.models.timeline import Attachment, Channel, TicketEntry
from helpdesk.models.walk_in import Branch, BranchService, Desk, NumberCounter, Visit
from helpdesk.models.worker import WorkerHeartbeat
from helpdesk.models.workspace import AttentionRequest, CannedResponse, NextStep

__all__ = [
    "AccessRecord",
    "AgentAlert",
    "ApiIdempotencyKey",
    "ApiIntegration",
    "Attachment",
    "AttentionRequest",
    "Branch",
    "BranchService",
    "BulkChange",
    "BusinessCalendar",
    "CannedResponse",
    "Category",
    "CategoryRoute",
    "Channel",
    "ChannelListing",
    "Chat",
    "Closure",
    "Customer",
    "Desk",
    "ErasureRequest",
    "FaqCategory",
    "FaqEntry",
    "FaqVote",
    "InboundEmail",
    "InvalidTransition",
    "Language",
    "LockoutLift",
    "NextStep",
    "Notification",
    "NumberCounter",
    "OpeningHours",
    "PhoneMenuOption",
    "PreferenceChange",
    "Priority",
    "Queue",
    "RateLimit",
    "SavedView",
    "SlaBand",
    "SlaTarget",
    "StaffChange",
    "StaffProfile",
    "StatusLink",
    "Tag",
    "Ticket",
    "TicketEntry",
    "Visit",
    "WorkerHeartbeat",
    "normalise_phone",
]
