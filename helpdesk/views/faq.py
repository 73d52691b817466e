"""The public FAQ: categories, search without accents, an entry, "was this helpful?"."""

import hashlib
import secrets

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk import faq_search
from helpdesk.forms.faq import FaqSearchForm, FaqVoteForm
from helpdesk.models import FaqCategory, FaqEntry
from helpdesk.roles import can_edit_faq, is_agent

VISITOR_COOKIE = "helpdesk_visitor"
VISITOR_COOKIE_AGE = 365 * 24 * 60 * 60
RELATED = 5


@require_GET
def faq_list(request):
    form = FaqSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    category_slug = request.GET.get("category", "")
    published = FaqEntry.objects.published()
    categories = FaqCategory.objects.filter(entries__is_published=True).distinct()
    if category_slug:
        categories = categories.filter(slug=category_slug)
    context = {
        "form": form,
        "query": query,
        "results": list(faq_search.search(query, entries=published.select_related("category")))
        if query
        else None,
        "categories": categories.prefetch_related(
            Prefetch("entries", queryset=published.order_by("position", "pk"))
        ),
        "category_slug": category_slug,
        "can_edit": can_edit_faq(request.user),
    }
    return render(request, "helpdesk/faq/list.html", context)


@require_GET
def faq_entry(request, slug):
    entry = get_object_or_404(FaqEntry.objects.published().select_related("category"), slug=slug)
    voted = request.GET.get("voted") == "1"
    if not voted and not _is_staff_preview(request):
        entry.record_view()
    context = {
        "entry": entry,
        "shown": entry.shown(),
        "voted": voted,
        "vote_form": FaqVoteForm(),
        "related": FaqEntry.objects.published()
        .filter(category=entry.category_id)
        .exclude(pk=entry.pk)
        .most_viewed()[:RELATED],
        "can_edit": can_edit_faq(request.user),
    }
    return render(request, "helpdesk/faq/entry.html", context)


@require_POST
def faq_vote(request, slug):
    entry = get_object_or_404(FaqEntry.objects.published(), slug=slug)
    form = FaqVoteForm(request.POST)
    if not form.is_valid():
        raise Http404
    visitor = request.COOKIES.get(VISITOR_COOKIE) or secrets.token_urlsafe(24)
    counted = entry.vote(visitor=_visitor_key(visitor), helpful=form.cleaned_data["helpful"] == "yes")
    if not counted:
        messages.info(request, _("You have already told us about this answer. Thank you!"))
    response = redirect(f"{entry.get_absolute_url()}?voted=1#helpful")
    response.set_cookie(
        VISITOR_COOKIE,
        visitor,
        max_age=VISITOR_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def _visitor_key(cookie: str) -> str:
    # Only a hash of the anonymous cookie is stored with a vote.
    return hashlib.sha256(cookie.encode()).hexdigest()


def _is_staff_preview(request) -> bool:
    # Staff reading the FAQ to check an answer would inflate what customers ask most.
    return is_agent(request.user)
