"""The satisfaction of an incident's affected customers, for the crisis post-incident report.

Registered into crisis.reports from FeedbackConfig.ready (crisis never imports feedback): the
answers to the incident follow-ups that crisis.hooks.INCIDENT_RESOLVED started, in one query.
"""

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from crisis.reports import Section
from feedback.models import Survey


def satisfaction(incident) -> Section:
    answered = Q(status=Survey.Status.ANSWERED)
    figures = Survey.objects.filter(kind=Survey.Kind.INCIDENT, incident=incident).aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=answered),
        average_rating=Avg("rating", filter=answered),
        solved=Count("pk", filter=answered & Q(solved=True)),
        asked_compensation=Count("pk", filter=answered & Q(asks_about_compensation=True)),
        received=Count("pk", filter=answered & Q(compensation_received=Survey.Received.YES)),
        not_received=Count("pk", filter=answered & Q(compensation_received=Survey.Received.NO)),
    )
    return Section(
        "satisfaction",
        _("Satisfaction of affected customers"),
        "feedback/report/incident_satisfaction.html",
        figures,
    )
