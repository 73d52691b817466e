from django.shortcuts import get_object_or_404, render

from crisis import reports
from crisis.models import Incident
from helpdesk.roles import agent_required


@agent_required
def incident_report(request, pk):
    """The post-incident report, printable: what happened, how fast we spoke, what we gave."""
    incident = get_object_or_404(Incident.objects.select_related("declared_by"), pk=pk)
    return render(
        request, "crisis/incident_report.html", {"incident": incident, "sections": reports.build(incident)}
    )
