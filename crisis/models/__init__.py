from crisis.models.incident import Incident, IncidentEvent, IncidentTicket

__all__ = ["Incident", "IncidentEvent", "IncidentTicket"]
