"""What feedback puts on the helpdesk's staff pages (through helpdesk.notices).

- On the workspace of a resolved ticket without a lesson: the question "what caused it, what do
  we learn?" (asked of every complaint; offered, folded, for other tickets).
- On every agent page: the lessons shared with the team in the last week.

Each provider reads at most one or two small indexed rows per page.
"""

from django.http import HttpRequest

from feedback.forms import LessonForm
from feedback.models import Lesson
from feedback.models.lessons import needs_lesson
from helpdesk.models import Ticket
from helpdesk.notices import Notice
from helpdesk.roles import is_agent

SHOWN_LESSONS = 3


def _staff_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and request.user.is_authenticated and is_agent(request.user)


def lesson_prompt(request: HttpRequest) -> list[Notice]:
    # The workspace itself, or the lesson form sent back to it with what the agent typed.
    workspace_pages = ("helpdesk:ticket-detail", "feedback:lesson-record")
    if not _staff_page(request) or request.resolver_match.view_name not in workspace_pages:
        return []
    ticket = (
        Ticket.objects.select_related("category")
        .filter(reference=request.resolver_match.kwargs.get("reference"), lesson__isnull=True)
        .exclude(status__in=[Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING])
        .first()
    )
    if ticket is None:
        return []
    form = getattr(request, "lesson_form", None) or LessonForm()
    context = {"ticket": ticket, "required": needs_lesson(ticket), "form": form}
    return [Notice("feedback/notices/lesson_prompt.html", context)]


def shared_lessons(request: HttpRequest) -> list[Notice]:
    if not _staff_page(request) or not request.path.startswith(("/agent/", "/manage/")):
        return []
    lessons = list(
        Lesson.objects.recently_shared()
        .select_related("ticket")
        .order_by("-shared_at", "-pk")[: SHOWN_LESSONS + 1]
    )
    if not lessons:
        return []
    context = {"lessons": lessons[:SHOWN_LESSONS], "more": len(lessons) > SHOWN_LESSONS}
    return [Notice("feedback/notices/shared_lessons.html", context)]
