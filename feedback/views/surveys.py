"""The customer's survey, reached only through the one-time link we mailed them. No login.

Opening the link (with or without a rating preselected from the email) records nothing: mail
security scanners open every link in a message. Only the customer's POST answers the survey.
"""

from contextlib import suppress

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from feedback.forms import SurveyForm, preselected_rating
from feedback.models import Survey, SurveyOptOut
from helpdesk.models import InvalidTransition


def survey_by_token(token: str) -> Survey:
    # A survey that was never sent has no link: it answers 404 too.
    survey = get_object_or_404(
        Survey.objects.select_related("ticket", "customer").with_token(token),
        status__in=[Survey.Status.SENT, Survey.Status.ANSWERED],
    )
    survey.token = token  # only hashes are stored; the page's forms go on with the same token
    return survey


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, token):
    survey = survey_by_token(token)
    if not survey.is_answerable:
        return render(request, "feedback/survey_done.html", {"survey": survey, "just_answered": False})
    if request.method == "POST":
        form = SurveyForm(request.POST, survey=survey)
        if form.is_valid():
            # Answered a moment ago in another tab: the thank-you page says so.
            with suppress(InvalidTransition):
                survey.answer(**form.answer())
            return redirect("feedback:survey-thanks", token=survey.token)
        return render(request, "feedback/survey.html", {"survey": survey, "form": form}, status=400)
    form = SurveyForm(survey=survey, initial={"rating": preselected_rating(request.GET.get("rating"))})
    return render(request, "feedback/survey.html", {"survey": survey, "form": form})


@never_cache
def survey_thanks(request, token):
    survey = survey_by_token(token)
    if survey.is_answerable:
        return redirect("feedback:survey", token=survey.token)
    return render(request, "feedback/survey_done.html", {"survey": survey, "just_answered": True})


@never_cache
@require_POST
def survey_request(request, token):
    """From the survey to its request's status page, through a status link drawn now."""
    survey = survey_by_token(token)
    return redirect("helpdesk:status", token=survey.ticket.draw_status_link())


@never_cache
@require_http_methods(["GET", "POST"])
def opt_out(request, token):
    """A confirmation page (GET, which a scanner may open harmlessly), then the customer's POST."""
    survey = survey_by_token(token)
    if request.method == "POST":
        SurveyOptOut.record(survey.customer, via=SurveyOptOut.Via.PAGE)
        return render(request, "feedback/opted_out.html", {"survey": survey})
    already = SurveyOptOut.objects.filter(customer=survey.customer).exists()
    return render(request, "feedback/opt_out.html", {"survey": survey, "already": already})


@csrf_exempt  # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" with no page or cookie
@require_POST
def one_click_unsubscribe(request, token):
    survey = survey_by_token(token)
    SurveyOptOut.record(survey.customer, via=SurveyOptOut.Via.ONE_CLICK)
    return HttpResponse(status=204)
