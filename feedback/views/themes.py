"""Managers' pages of complaint themes: the list, and one theme with everything about it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from feedback.models import (
    RecurringComplaint,
    RecurringComplaintRule,
    Theme,
    ThemeMembership,
    ThemeMergeProposal,
    ThemeReply,
)
from feedback.themes import explanation, summary
from feedback.themes.forms import FindingsForm, HandOverForm, OwnerForm, ThemeReplyForm, ThemeTitleForm
from feedback.themes.replies import open_tickets_by_language
from feedback.themes.separation import nearby_themes
from helpdesk.charts import bar_chart, day_label
from helpdesk.models import Channel, Language, TicketEntry
from helpdesk.roles import manager_required

PER_PAGE = 25
SAMPLES = 5
HISTORY = 50  # the latest changes of a theme shown


@manager_required
@require_GET
def theme_list(request):
    query = request.GET.get("q", "").strip()[:100]
    themes = (
        Theme.objects.active()
        .search(query)
        .select_related("category", "recurring_complaint")
        .order_by("-last_complaint_at", "-pk")
    )
    page = Paginator(themes, PER_PAGE).get_page(request.GET.get("page"))
    since = timezone.now() - timezone.timedelta(days=summary.RECENT_DAYS)
    recent = dict(
        ThemeMembership.objects.filter(theme__in=[theme.pk for theme in page], complained_at__gte=since)
        .values("theme")
        .annotate(n=Count("pk"))
        .values_list("theme", "n")
    )
    for theme in page:
        theme.recent_count = recent.get(theme.pk, 0)
    context = {
        "page": page,
        "query": query,
        "top_themes": summary.top_themes(5),
        "recent_days": summary.RECENT_DAYS,
    }
    return render(request, "feedback/theme_list.html", context)


def render_theme(request, theme, *, status=200, **forms):
    by = "week" if request.GET.get("by") == "week" else "day"
    recurring_complaint = RecurringComplaint.objects.filter(theme=theme).select_related("owner").first()
    memberships = theme.memberships.select_related("ticket__customer", "ticket__assignee").order_by(
        "-complained_at", "-pk"
    )
    page = Paginator(memberships, PER_PAGE).get_page(request.GET.get("page"))
    trend = summary.trend(theme, by=by)
    open_by_language = open_tickets_by_language(theme)
    languages = dict(Language.choices)
    replies = list(theme.replies.pending().select_related("drafted_by", "approved_by"))
    for reply in replies:
        reply.recipients = open_by_language.get(reply.language, 0)
    # The answer is usually for the language most open requests are in.
    most_common = max(open_by_language, key=open_by_language.get, default=request.LANGUAGE_CODE)
    channel_names = dict(Channel.choices)
    # The newest complaints first (the membership index), then their messages (the entries'
    # ticket index): a join ordered by the entries' time would scan them all in a big theme.
    latest = list(
        theme.memberships.order_by("-complained_at", "-pk").values_list("ticket_id", flat=True)[:SAMPLES]
    )
    samples = (
        TicketEntry.objects.filter(ticket_id__in=latest, kind=TicketEntry.Kind.MESSAGE, is_public=True)
        .select_related("ticket")
        .order_by("-created_at", "-pk")[:SAMPLES]
    )
    hand_over_form = forms.get("hand_over_form")
    if hand_over_form is None and theme.merged_into_id is None:
        hand_over_form = HandOverForm(theme=theme, nearby=nearby_themes(theme))
    history = list(theme.events.select_related("actor", "other_theme").order_by("-at", "-pk")[:HISTORY])
    context = {
        "theme": theme,
        "merged_into": Theme.objects.filter(pk=theme.merged_into_id).first()
        if theme.merged_into_id
        else None,
        "explanation": explanation.explain(theme) if theme.merged_into_id is None else None,
        "history": history[::-1],
        "proposals": list(
            ThemeMergeProposal.objects.pending().involving(theme).select_related("kept", "absorbed")
        ),
        "hand_over_form": hand_over_form,
        "chosen": hand_over_form.chosen() if hand_over_form else set(),
        "recurring_complaint": recurring_complaint,
        "events": list(recurring_complaint.events.select_related("actor")) if recurring_complaint else [],
        "rule": RecurringComplaintRule.current(),
        "page": page,
        "by": by,
        "trend": trend,
        "chart": bar_chart(
            [(day_label(period) if by == "day" else period.strftime("%G-W%V"), n) for period, n in trend]
        ),
        "channels": [(channel_names.get(code, code), n) for code, n in summary.channels(theme)],
        "samples": samples,
        "open_ticket_count": sum(open_by_language.values()),
        "open_by_language": [(languages[code], n) for code, n in sorted(open_by_language.items())],
        "replies": replies,
        "owner_form": forms.get("owner_form")
        or OwnerForm(initial={"owner": getattr(recurring_complaint, "owner_id", None)}),
        "findings_form": forms.get("findings_form") or FindingsForm(initial=findings_of(recurring_complaint)),
        "reply_form": forms.get("reply_form") or ThemeReplyForm(initial={"language": most_common}),
        "title_form": forms.get("title_form") or ThemeTitleForm(instance=theme),
    }
    return render(request, "feedback/theme_detail.html", context, status=status)


def findings_of(recurring_complaint) -> dict:
    return (
        {"root_cause": recurring_complaint.root_cause, "fix": recurring_complaint.fix}
        if recurring_complaint
        else {}
    )


@manager_required
@require_GET
def theme_detail(request, pk):
    theme = get_object_or_404(Theme.objects.select_related("category"), pk=pk)
    return render_theme(request, theme)


@manager_required
@require_POST
def theme_rename(request, pk):
    theme = get_object_or_404(Theme, pk=pk)
    form = ThemeTitleForm(request.POST, instance=theme)
    if not form.is_valid():
        return render_theme(request, Theme.objects.get(pk=pk), status=400, title_form=form)
    form.save()
    messages.success(request, _("Theme renamed."))
    return redirect(theme)


@manager_required
@require_POST
def reply_draft(request, pk):
    theme = get_object_or_404(Theme, pk=pk)
    form = ThemeReplyForm(request.POST)
    if not form.is_valid():
        return render_theme(request, theme, status=400, reply_form=form)
    ThemeReply.objects.create(
        theme=theme,
        language=form.cleaned_data["language"],
        body=form.cleaned_data["body"].strip(),
        drafted_by=request.user,
    )
    messages.success(request, _("Answer drafted. Another manager must approve it before it is sent."))
    return redirect(theme)
