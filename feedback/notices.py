"""What feedback puts on the helpdesk's staff pages (in the slots of helpdesk.hooks).

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
from helpdesk.hooks import Notice
from helpdesk.models import Ticket
from helpdesk.roles import is_agent


def lesson_prompt(request: HttpRequest, ticket: Ticket) -> list[Notice]:
    """On a ticket's workspace. Re-rendered with a rejected lesson form, the form as typed."""
    rejected = getattr(request, "lesson_form", None)
    if rejected is not None:
        context = {"ticket": ticket, "required": needs_lesson(ticket), "form": rejected}
        return [Notice("feedback/notices/lesson_prompt.html", context)]
    url = reverse("feedback:lesson-prompt", args=[ticket.reference])
    return [Notice("feedback/notices/loader.html", {"url": url, "name": "lesson-prompt"})]


def shared_lessons(request: HttpRequest) -> list[Notice]:
    """On every staff page."""
    if not is_agent(request.user):
        return []
    url = reverse("feedback:lessons-recent")
    return [Notice("feedback/notices/loader.html", {"url": url, "name": "shared-lessons"})]


def prompt_context(ticket: Ticket) -> dict:
    return {"ticket": ticket, "required": needs_lesson(ticket), "form": LessonForm()}
