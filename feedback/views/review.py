"""The manager's side of surveys: answers to review, and each queue's survey settings."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback.forms import ReviewForm, SurveySettingsForm
from feedback.models import Survey, SurveySettings
from helpdesk.queue.line import queues_managed_by
from helpdesk.roles import manager_required
from helpdesk.views.transitions import refusal_as_message

SHOWN = 100


def render_review_list(request, *, failed=None, status=200):
    waiting = (
        Survey.objects.for_review()
        .in_queues(queues_managed_by(request.user))
        .select_related("ticket__queue", "ticket__assignee", "customer")
        .order_by("answered_at", "pk")
    )
    shown = list(waiting[:SHOWN])
    for survey in shown:
        survey.form = failed[1] if failed and failed[0] == survey.pk else ReviewForm()
    context = {"surveys": shown, "count": waiting.count()}
    return render(request, "feedback/review_list.html", context, status=status)


@manager_required
@require_GET
def review_list(request):
    return render_review_list(request)


@manager_required
@require_POST
def mark_reviewed(request, pk):
    survey = get_object_or_404(Survey.objects.in_queues(queues_managed_by(request.user)), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render_review_list(request, failed=(survey.pk, form), status=400)
    with refusal_as_message(request):
        survey.mark_reviewed(by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Marked as reviewed."))
    return redirect("feedback:review-list")


@manager_required
@require_GET
def settings_list(request):
    queues = queues_managed_by(request.user).select_related("survey_settings", "calendar").order_by("name")
    rows = [(queue, SurveySettings.for_queue(queue)) for queue in queues]
    return render(request, "feedback/survey_settings.html", {"rows": rows})


@manager_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, queue_pk):
    queue = get_object_or_404(queues_managed_by(request.user), pk=queue_pk)
    form = SurveySettingsForm(request.POST or None, instance=SurveySettings.for_queue(queue))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Survey settings of %(queue)s saved.") % {"queue": queue})
        return redirect("feedback:survey-settings")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "feedback/survey_settings_edit.html", {"queue": queue, "form": form}, status=status
    )
