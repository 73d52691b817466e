from django.shortcuts import render
from django.utils import timezone

from helpdesk.models import Queue
from helpdesk.roles import agent_required

DAYS_AHEAD = 60


@agent_required
def calendars(request):
    """Each queue's hours and whether it is open now, its days off ahead, and its SLA targets."""
    now = timezone.now()
    rows = []
    for queue in Queue.objects.with_calendar_details():
        state = queue.calendar.state_at(now)
        rows.append(
            {"queue": queue, "state": state, "days_off": queue.calendar.days_off(state.today, DAYS_AHEAD)}
        )
    return render(request, "helpdesk/calendars.html", {"rows": rows, "days_ahead": DAYS_AHEAD})
