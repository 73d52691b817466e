"""What changed a theme after the grouping formed it: merges, proposals to merge, splits and moves.

Consolidation (feedback.themes.consolidation) merges themes that became the same problem, or
proposes the merge to a manager when one of them is escalated; managers split a theme or move
complaints out (feedback.themes.separation). Every change leaves a ThemeEvent on both themes
(the theme page's history), and what a manager keeps apart stays apart (ThemeSeparation).
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models.themes import Theme
from helpdesk.models import InvalidTransition
from helpdesk.models.staff import staff_name


class ThemeEventQuerySet(models.QuerySet):
    def record_between(self, first, second, kinds: tuple[str, str], **details) -> None:
        """One change seen from both themes: `first` gets kinds[0], `second` kinds[1], each
        naming the other (themes or their ids), with the same details (actor, counts, note)."""
        first_id, second_id = getattr(first, "pk", first), getattr(second, "pk", second)
        self.bulk_create(
            [
                ThemeEvent(theme_id=first_id, kind=kinds[0], other_theme_id=second_id, **details),
                ThemeEvent(theme_id=second_id, kind=kinds[1], other_theme_id=first_id, **details),
            ]
        )

    def erase_notes_about(self, tickets) -> int:
        """What a manager wrote when moving these requests' complaints may name the person:
        the record stays (who, when, which requests), without the note. Manual moves are few,
        so the noted ones are read and matched here, on any database."""
        references = set(tickets.values_list("reference", flat=True))
        noted = self.exclude(note="").values_list("pk", "tickets")
        about = [pk for pk, moved in noted if references.intersection(moved)]
        return self.filter(pk__in=about).update(note="") if about else 0


class ThemeEvent(models.Model):
    """One change of a theme's complaints: by the worker (no actor) or by a manager."""

    class Kind(models.TextChoices):
        ABSORBED = "absorbed", _("Another theme of the same problem joined this one")
        MERGED_INTO = "merged_into", _("Joined another theme of the same problem")
        MERGE_PROPOSED = "proposed", _("Proposed to a manager: merge with another theme")
        MERGE_DECLINED = "declined", _("Kept apart from another theme by a manager")
        SPLIT_OFF = "split_off", _("Complaints split off into a new theme")
        SPLIT_FROM = "split_from", _("Split off from another theme")
        MOVED_OUT = "moved_out", _("Complaints moved to another theme")
        MOVED_IN = "moved_in", _("Complaints moved in from another theme")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind)
    other_theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    complaints = models.PositiveIntegerField(default=0)
    # The references of the complaints a manager moved (references name nobody).
    tickets = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = ThemeEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["theme", "at"], name="theme_event_theme_time")]

    def __str__(self):
        return f"{self.theme_id} {self.kind}"


def pair(a, b) -> tuple[int, int]:
    a, b = getattr(a, "pk", a), getattr(b, "pk", b)
    return (a, b) if a < b else (b, a)


class ThemeSeparationQuerySet(models.QuerySet):
    def between(self, a, b):
        first, second = pair(a, b)
        return self.filter(first=first, second=second)

    def pairs_among(self, ids) -> set[frozenset]:
        rows = self.filter(Q(first__in=ids) | Q(second__in=ids)).values_list("first", "second")
        return {frozenset(row) for row in rows}

    def keep_apart(self, a, b, *, reason, by=None) -> None:
        first, second = pair(a, b)
        self.bulk_create(
            [ThemeSeparation(first_id=first, second_id=second, reason=reason, by=by)], ignore_conflicts=True
        )

    def follow_merge(self, *, gone, kept) -> None:
        """What `gone` was kept apart from, `kept` is kept apart from now."""
        rows = list(self.filter(Q(first=gone) | Q(second=gone)))
        moved = []
        for row in rows:
            other = row.second_id if row.first_id == gone.pk else row.first_id
            if other != kept.pk:
                first, second = pair(other, kept)
                moved.append(
                    ThemeSeparation(
                        first_id=first, second_id=second, reason=row.reason, by_id=row.by_id, at=row.at
                    )
                )
        self.bulk_create(moved, ignore_conflicts=True)
        self.filter(pk__in=[row.pk for row in rows]).delete()


class ThemeSeparation(models.Model):
    """Two themes a manager said are different problems: consolidation never merges them."""

    class Reason(models.TextChoices):
        SPLIT = "split", _("Split")
        MOVED = "moved", _("Complaint moved")
        DECLINED = "declined", _("Merge declined")

    first = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    objects = ThemeSeparationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="theme_separation_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="theme_separation_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.first_id} ≠ {self.second_id}"


class ThemeMergeProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ThemeMergeProposal.Status.PENDING)

    def involving(self, theme):
        return self.filter(Q(kept=theme) | Q(absorbed=theme))

    def pairs_among(self, ids) -> set[frozenset]:
        rows = self.filter(Q(kept__in=ids) | Q(absorbed__in=ids)).values_list("kept", "absorbed")
        return {frozenset(row) for row in rows}


class ThemeMergeProposal(models.Model):
    """Two themes that became the same problem while one of them is escalated: a manager
    decides. Proposed once per pair of themes, whatever the decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a manager")
        ACCEPTED = "accepted", _("Merged")
        DECLINED = "declined", _("Kept apart")
        SUPERSEDED = "superseded", _("No longer needed: one theme was merged elsewhere")

    # The escalated theme is the one kept: its escalation goes on, with more complaints.
    kept = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    absorbed = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("similarity"))
    kept_size = models.PositiveIntegerField(default=0)
    absorbed_size = models.PositiveIntegerField(default=0)
    # {"words": [...], "kept_examples": [ticket ids], "absorbed_examples": [ticket ids]}: the
    # examples are shown from the tickets, so an erasure reaches them.
    evidence = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ThemeMergeProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("merge proposal")
        verbose_name_plural = _("merge proposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Least("kept", "absorbed"), Greatest("kept", "absorbed"), name="merge_proposal_once"
            ),
        ]

    def __str__(self):
        return f"{self.absorbed_id} → {self.kept_id}"

    def accept(self, *, by) -> int:
        """Merge the two themes. Run under the grouping lock (feedback.themes.consolidation.accept)."""
        with transaction.atomic():
            self._decide(self.Status.ACCEPTED, by=by)
            if ThemeSeparation.objects.between(self.kept_id, self.absorbed_id).exists():
                raise InvalidTransition(_("A manager has kept these themes apart since."))
            moved = self.kept.absorb(self.absorbed, by=by)
            if moved is None:
                raise InvalidTransition(_("One of these themes was merged into another meanwhile."))
        return moved

    def decline(self, *, by) -> None:
        with transaction.atomic():
            self._decide(self.Status.DECLINED, by=by)
            ThemeSeparation.objects.keep_apart(
                self.kept_id, self.absorbed_id, reason=ThemeSeparation.Reason.DECLINED, by=by
            )
            ThemeEvent.objects.record_between(
                self.kept_id, self.absorbed_id, (ThemeEvent.Kind.MERGE_DECLINED,) * 2, actor=by
            )

    def _decide(self, status, *, by) -> None:
        # Conditional: two managers deciding at once, one decides.
        now = timezone.now()
        decided = (
            type(self)
            .objects.filter(pk=self.pk, status=self.Status.PENDING)
            .update(status=status, decided_by=by, decided_at=now)
        )
        if not decided:
            current = type(self).objects.select_related("decided_by").get(pk=self.pk)
            if current.decided_by is not None:
                raise InvalidTransition(
                    _("Already decided by %(name)s: %(decision)s.")
                    % {"name": staff_name(current.decided_by), "decision": current.get_status_display()}
                )
            raise InvalidTransition(_("This proposal is no longer waiting for a decision."))
        self.status, self.decided_by, self.decided_at = status, by, now
