"""Lessons learned: recorded on a resolved ticket, shared with the team, searched, made FAQ."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from feedback import faq, notices
from feedback.forms import LessonForm, LessonSearchForm
from feedback.models import Lesson
from feedback.models.lessons import SHARED_FOR
from helpdesk.models import Ticket
from helpdesk.roles import agent_required, is_manager, manager_required
from helpdesk.views.transitions import refusal_as_message
from helpdesk.views.workspace.page import render_workspace, workspace_ticket

PAGE_SIZE = 20


def lessons_visible_to(user):
    """Shared lessons for everyone; a lesson not shared yet only to its author and managers."""
    lessons = Lesson.objects.select_related("ticket", "author", "shared_by")
    return lessons if is_manager(user) else lessons.filter(Q(shared_at__isnull=False) | Q(author=user))


@agent_required
@require_POST
def record_lesson(request, reference):
    ticket = workspace_ticket(reference)
    form = LessonForm(request.POST)
    if form.is_valid():
        with refusal_as_message(request):
            Lesson.record(ticket, by=request.user, **form.cleaned_data)
            shared = form.cleaned_data["share"]
            messages.success(request, _("Lesson shared with the team.") if shared else _("Lesson recorded."))
        return redirect(ticket)
    # The prompt on the workspace (feedback.notices) shows this bound form, as typed.
    request.lesson_form = form
    return render_workspace(request, ticket, status=400)


SHOWN_RECENT = 3


@agent_required
@require_GET
def lesson_prompt(request, reference):
    """The workspace's question for a resolved ticket without a lesson (loaded by htmx)."""
    ticket = (
        Ticket.objects.select_related("category")
        .filter(reference=reference, lesson__isnull=True)
        .exclude(status__in=[Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING])
        .first()
    )
    if ticket is None:
        return HttpResponse("")
    context = {"notice": notices.prompt_context(ticket)}
    return render(request, "feedback/notices/lesson_prompt.html", context)


@agent_required
@require_GET
def recent_lessons(request):
    """The lessons the team shared this week, for the top of every agent page (loaded by htmx)."""
    lessons = list(
        Lesson.objects.recently_shared()
        .select_related("ticket")
        .order_by("-shared_at", "-pk")[: SHOWN_RECENT + 1]
    )
    if not lessons:
        return HttpResponse("")
    context = {
        "notice": {
            "lessons": lessons[:SHOWN_RECENT],
            "more": len(lessons) > SHOWN_RECENT,
            "days": SHARED_FOR.days,
        }
    }
    return render(request, "feedback/notices/shared_lessons.html", context)


@agent_required
@require_GET
def knowledge_base(request):
    form = LessonSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    lessons = lessons_visible_to(request.user).search(text).order_by("-shared_at", "-created_at", "-pk")
    context = {
        "form": form,
        "query": text,
        "page": Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_make_faq": is_manager(request.user),
    }
    return render(request, "feedback/knowledge_base.html", context)


@agent_required
@require_POST
def share_lesson(request, pk):
    lesson = get_object_or_404(lessons_visible_to(request.user), pk=pk)
    if lesson.author_id != request.user.pk and not is_manager(request.user):
        raise Http404
    with refusal_as_message(request):
        lesson.share(by=request.user)
        messages.success(request, _("Shared: every agent sees it for a week."))
    return redirect("feedback:knowledge-base")


@manager_required
@require_POST
def lesson_to_faq(request, pk):
    lesson = get_object_or_404(Lesson, pk=pk)
    with refusal_as_message(request):
        entry = faq.turn_into_faq(lesson)
        messages.success(request, _("FAQ entry created from the lesson; review it before it goes public."))
        return redirect("helpdesk:faq-manage-edit", pk=entry.pk)
    return redirect("feedback:knowledge-base")
