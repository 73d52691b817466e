"""What feedback puts on the helpdesk's staff pages (through helpdesk.notices).

- On the workspace of a resolved ticket without a lesson: the question "what caused it, what do
  we learn?" (asked of every complaint; offered, folded, for other tickets).
- On every agent page: the lessons shared with the team in the last week.

The providers read nothing from the database: each notice is a placeholder that htmx fills from
its own small request (feedback.views.lessons), so the helpdesk's pages keep their fixed number
of queries and their speed. Only the workspace re-rendered with a rejected lesson form (which
must keep what the agent typed) renders the form in place.
"""

from django.http import HttpRequest
from django.urls import reverse

from feedback.forms import LessonForm
from feedback.models.lessons import needs_lesson
from helpdesk.models import Ticket
from helpdesk.notices import Notice
from helpdesk.roles import is_agent


def _staff_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and request.user.is_authenticated and is_agent(request.user)


def lesson_prompt(request: HttpRequest) -> list[Notice]:
    if not _staff_page(request):
        return []
    match = request.resolver_match
    rejected = getattr(request, "lesson_form", None)
    if rejected is not None:
        ticket = Ticket.objects.select_related("category").get(reference=match.kwargs["reference"])
        context = {"ticket": ticket, "required": needs_lesson(ticket), "form": rejected}
        return [Notice("feedback/notices/lesson_prompt.html", context)]
    if match.view_name != "helpdesk:ticket-detail":
        return []
    url = reverse("feedback:lesson-prompt", args=[match.kwargs["reference"]])
    return [Notice("feedback/notices/loader.html", {"url": url, "name": "lesson-prompt"})]


def shared_lessons(request: HttpRequest) -> list[Notice]:
    if not _staff_page(request) or not request.path.startswith(("/agent/", "/manage/")):
        return []
    url = reverse("feedback:lessons-recent")
    return [Notice("feedback/notices/loader.html", {"url": url, "name": "shared-lessons"})]


def prompt_context(ticket: Ticket) -> dict:
    return {"ticket": ticket, "required": needs_lesson(ticket), "form": LessonForm()}
