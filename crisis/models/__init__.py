from crisis.models.incident import Incident, IncidentEvent, IncidentTicket
from crisis.models.subscriptions import Subscription
from crisis.models.updates import IncidentUpdate, UpdateRecipient

__all__ = ["Incident", "IncidentEvent", "IncidentTicket", "IncidentUpdate", "Subscription", "UpdateRecipient"]
