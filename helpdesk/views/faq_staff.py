"""FAQ editing in the application: list with filters, edit in three languages, preview, publish."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk import faq_search
from helpdesk.forms.faq import FaqCategoryForm, FaqEntryForm, FaqFilterForm
from helpdesk.languages import LANGUAGES
from helpdesk.models import FaqCategory, FaqEntry
from helpdesk.roles import faq_editor_required

PAGE_SIZE = 50


@faq_editor_required
@require_GET
def entry_list(request):
    form = FaqFilterForm(request.GET)
    entries = FaqEntry.objects.select_related("category", "updated_by").order_by(
        "category__position", "position", "pk"
    )
    words = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["category"]:
            entries = entries.filter(category=data["category"])
        if data["state"]:
            entries = entries.filter(is_published=data["state"] == "published")
        if data["missing"]:
            code = data["missing"]
            entries = entries.filter(Q(**{f"question_{code}": ""}) | Q(**{f"answer_{code}": ""}))
        words = data["q"]
    # One row more than shown tells whether to ask for narrower filters, without a count.
    rows = list(
        faq_search.search(words, entries=entries, limit=PAGE_SIZE + 1) if words else entries[: PAGE_SIZE + 1]
    )
    context = {
        "form": form,
        "entries": rows[:PAGE_SIZE],
        "more": len(rows) > PAGE_SIZE,
        "page_size": PAGE_SIZE,
    }
    return render(request, "helpdesk/faq/manage_list.html", context)


@faq_editor_required
@require_http_methods(["GET", "POST"])
def entry_create(request):
    return _entry_form(request, None, saved=_("Saved as a draft. Check the preview, then publish it."))


@faq_editor_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    entry = get_object_or_404(FaqEntry, pk=pk)
    return _entry_form(request, entry, saved=_("Saved. This is how customers will see it."))


def _entry_form(request, entry: FaqEntry | None, *, saved: str):
    form = FaqEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        written = form.save(commit=False)
        written.updated_by = request.user
        written.save()
        messages.success(request, saved)
        return redirect("helpdesk:faq-manage-preview", pk=written.pk)
    return render(request, "helpdesk/faq/manage_form.html", {"form": form, "entry": entry})


@faq_editor_required
@require_GET
def entry_preview(request, pk):
    """The entry as customers see it, in each language, published or not."""
    entry = get_object_or_404(FaqEntry.objects.select_related("category"), pk=pk)
    previews = [(code, entry.shown(code)) for code in LANGUAGES]
    return render(request, "helpdesk/faq/manage_preview.html", {"entry": entry, "previews": previews})


@faq_editor_required
@require_POST
def entry_publish(request, pk):
    entry = get_object_or_404(FaqEntry, pk=pk)
    entry.publish(by=request.user)
    messages.success(request, _("Published: customers can read it now."))
    return redirect("helpdesk:faq-manage-preview", pk=entry.pk)


@faq_editor_required
@require_POST
def entry_unpublish(request, pk):
    entry = get_object_or_404(FaqEntry, pk=pk)
    entry.unpublish(by=request.user)
    messages.success(request, _("Unpublished: customers no longer see it."))
    return redirect("helpdesk:faq-manage-preview", pk=entry.pk)


@faq_editor_required
@require_http_methods(["GET", "POST"])
def category_edit(request, pk=None):
    category = get_object_or_404(FaqCategory, pk=pk) if pk else None
    form = FaqCategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Category saved."))
        return redirect("helpdesk:faq-manage")
    return render(request, "helpdesk/faq/manage_category.html", {"form": form, "category": category})
