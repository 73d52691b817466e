from helpdesk.models.customer import Customer, normalise_phone
from helpdesk.models.inbound import InboundEmail
from helpdesk.models.integration import ApiIdempotencyKey, ApiIntegration
from helpdesk.models.notification import Notification
from helpdesk.models.routing import (
    BusinessCalendar,
    Category,
    CategoryRoute,
    Closure,
    Language,
    OpeningHours,
    Priority,
    Queue,
    SlaTarget,
)
from helpdesk.models.staff import StaffProfile
from helpdesk.models.ticket import Attachment, Channel, InvalidTransition, Ticket, TicketEntry
from helpdesk.models.worker import WorkerHeartbeat

__all__ = [
    "ApiIdempotencyKey",
    "ApiIntegration",
    "Attachment",
    "BusinessCalendar",
    "Category",
    "CategoryRoute",
    "Channel",
    "Closure",
    "Customer",
    "InboundEmail",
    "InvalidTransition",
    "Language",
    "Notification",
    "OpeningHours",
    "Priority",
    "Queue",
    "SlaTarget",
    "StaffProfile",
    "Ticket",
    "TicketEntry",
    "WorkerHeartbeat",
    "normalise_phone",
]
