"""What feedback does when another app announces something it cannot call us for."""

from django.db import transaction

from feedback.surveys import scheduling


def incident_resolved(sender, *, incident, tickets, **kwargs):
    """Ask the affected customers how the incident was handled; the survey scan sends it."""
    transaction.on_commit(lambda: scheduling.follow_up_incident(incident, tickets), robust=True)
