"""Public updates: drafted by any agent with a preview, approved by a second person, a manager."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisis import emails, sending
from crisis.forms import RejectForm, UpdateForm
from crisis.models import Incident, IncidentUpdate
from helpdesk.languages import LANGUAGES
from helpdesk.mail.outbox import render_message
from helpdesk.roles import agent_required, is_manager, manager_required
from helpdesk.views.transitions import refusal_as_message


def previews(incident: Incident, texts: dict[str, str], *, final: bool) -> list[dict]:
    """How the words will look on the banner and in the email, in each language."""
    draft = IncidentUpdate(
        incident=incident, kind=IncidentUpdate.Kind.FINAL if final else IncidentUpdate.Kind.UPDATE
    )
    for language in LANGUAGES:
        setattr(draft, f"text_{language}", texts.get(language, ""))
    result = []
    for language in LANGUAGES:
        context = {**emails.update_context(draft, language), "unsubscribe_url": "#"}
        subject, body_text, _html = render_message("crisis_update", context, language)
        result.append(
            {
                "language": language,
                "title": incident.title_in(language),
                "text": draft.text_in(language),
                "subject": subject,
                "body_text": body_text,
            }
        )
    return result


@agent_required
@require_http_methods(["GET", "POST"])
def update_draft(request, pk, final=False):
    incident = get_object_or_404(Incident.objects.active(), pk=pk)
    form = UpdateForm(request.POST or None)
    context = {"incident": incident, "form": form, "final": final, "now": timezone.now()}
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            context["previews"] = previews(incident, form.texts(), final=final)
            return render(request, "crisis/update_draft.html", context)
        with refusal_as_message(request):
            update = IncidentUpdate.draft(
                incident,
                by=request.user,
                texts=form.texts(),
                final=final,
                ticket_action=form.cleaned_data.get("ticket_action") or "",
            )
            messages.success(
                request, _("Draft saved. A manager other than you reviews it before it is published.")
            )
            return redirect("crisis:update-detail", pk=update.pk)
        return redirect(incident)
    return render(request, "crisis/update_draft.html", context)


@agent_required
def update_detail(request, pk):
    update = get_object_or_404(
        IncidentUpdate.objects.select_related("incident", "author", "reviewed_by"), pk=pk
    )
    texts = {language: update.text_in(language) for language in LANGUAGES}
    context = {
        "update": update,
        "incident": update.incident,
        "previews": previews(update.incident, texts, final=update.is_final),
        "can_review": update.state == IncidentUpdate.State.DRAFT
        and is_manager(request.user)
        and update.author_id != request.user.pk,
        "reject_form": RejectForm(),
        "progress": sending.progress(update) if update.state == IncidentUpdate.State.PUBLISHED else None,
    }
    return render(request, "crisis/update_detail.html", context)


@manager_required
@require_POST
def update_approve(request, pk):
    update = get_object_or_404(IncidentUpdate, pk=pk)
    with refusal_as_message(request):
        update.publish(by=request.user)
        messages.success(request, _("Published. The messages are on their way; the progress shows below."))
    return redirect("crisis:update-detail", pk=pk)


@manager_required
@require_POST
def update_reject(request, pk):
    update = get_object_or_404(IncidentUpdate, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say what should change."))
        return redirect("crisis:update-detail", pk=pk)
    with refusal_as_message(request):
        update.reject(by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Sent back to the author with your note."))
    return redirect("crisis:update-detail", pk=pk)


@agent_required
@require_GET
def update_progress(request, pk):
    """The live progress bar (htmx polls it while messages are pending)."""
    update = get_object_or_404(IncidentUpdate, pk=pk)
    context = {"update": update, "progress": sending.progress(update)}
    return render(request, "crisis/partials/progress.html", context)
