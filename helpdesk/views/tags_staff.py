"""The managers' page of tags: how many requests carry each, rename (or merge), delete."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from helpdesk.forms.workspace import TagRenameForm
from helpdesk.models import InvalidTransition, Tag
from helpdesk.roles import manager_required


@manager_required
@require_GET
def tag_list(request):
    return render(request, "helpdesk/tags.html", {"tags": Tag.objects.with_ticket_counts()})


@manager_required
@require_http_methods(["GET", "POST"])
def tag_rename(request, pk):
    tag = get_object_or_404(Tag, pk=pk)
    form = TagRenameForm(request.POST or None, initial={"name": tag.name})
    if request.method == "POST" and form.is_valid():
        old_name = tag.name
        try:
            kept = tag.rename(form.cleaned_data["name"], by=request.user)
        except InvalidTransition as refusal:
            form.add_error("name", str(refusal))
        else:
            merged = kept.pk != pk
            text = _("“%(old)s” merged into “%(new)s”.") if merged else _("“%(old)s” renamed to “%(new)s”.")
            messages.success(request, text % {"old": old_name, "new": kept.name})
            return redirect("helpdesk:tags")
    return render(request, "helpdesk/tag_rename.html", {"tag": tag, "form": form})


@manager_required
@require_http_methods(["GET", "POST"])
def tag_delete(request, pk):
    tag = get_object_or_404(Tag.objects.with_ticket_counts(), pk=pk)
    if request.method == "POST":
        try:
            count = tag.remove_everywhere(by=request.user)
        except InvalidTransition as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                ngettext(
                    "Tag “%(tag)s” deleted; %(count)s request lost it.",
                    "Tag “%(tag)s” deleted; %(count)s requests lost it.",
                    count,
                )
                % {"tag": tag.name, "count": count},
            )
        return redirect("helpdesk:tags")
    return render(request, "helpdesk/tag_delete.html", {"tag": tag})
