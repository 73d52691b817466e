"""Lessons learned: what a closed case (a complaint above all) taught, shared with the team."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.languages import Language
from helpdesk.models import InvalidTransition, Ticket

# A shared lesson stays on every agent's pages this long; the knowledge base keeps it for good.
SHARED_FOR = timedelta(days=7)


class LessonQuerySet(models.QuerySet):
    def shared(self):
        return self.filter(shared_at__isnull=False)

    def recently_shared(self, now: datetime | None = None):
        return self.filter(shared_at__gte=(now or timezone.now()) - SHARED_FOR)

    def search(self, text: str):
        text = " ".join((text or "").split())
        if not text:
            return self
        return self.filter(
            models.Q(title__icontains=text)
            | models.Q(cause__icontains=text)
            | models.Q(lesson__icontains=text)
            | models.Q(ticket__subject__icontains=text)
            | models.Q(ticket__reference__iexact=text)
        )


class Lesson(models.Model):
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="lesson")
    title = models.CharField(_("in one line"), max_length=200)
    cause = models.TextField(_("what caused it"))
    lesson = models.TextField(_("what we learned"))
    # What it is written in (staff write in their own language, whatever the customer's was):
    # an FAQ entry made of it starts in this language.
    language = models.CharField(_("written in"), max_length=2, choices=Language, default=Language.EN)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="lessons"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True, db_index=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The FAQ entry a manager made of it (helpdesk.FaqEntry, when that model exists).
    faq_entry_id = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @classmethod
    def record(
        cls,
        ticket: Ticket,
        *,
        by,
        title: str,
        cause: str,
        lesson: str,
        share: bool,
        language: str = Language.EN,
    ) -> Lesson:
        """Write (or rewrite) the lesson of a resolved ticket; optionally share it at once."""
        if ticket.is_open:
            raise InvalidTransition(_("Record the lesson once the request is resolved."))
        written = {
            "title": title.strip(),
            "cause": cause.strip(),
            "lesson": lesson.strip(),
            "language": language,
        }
        with transaction.atomic():
            record, created = cls.objects.update_or_create(
                ticket=ticket, defaults=written, create_defaults={**written, "author": by}
            )
            ticket.add_note(
                by=by,
                body=str(_("Lesson recorded: %(title)s") % {"title": record.title})
                if created
                else str(_("Lesson updated: %(title)s") % {"title": record.title}),
            )
            if share and not record.is_shared:
                record.share(by=by)
        return record

    def share(self, *, by) -> None:
        if self.is_shared:
            raise InvalidTransition(_("This lesson is already shared with the team."))
        self.shared_at, self.shared_by = timezone.now(), by
        self.save(update_fields=["shared_at", "shared_by", "updated_at"])

    def link_faq_entry(self, entry_id: int) -> None:
        self.faq_entry_id = entry_id
        self.save(update_fields=["faq_entry_id", "updated_at"])


def needs_lesson(ticket: Ticket) -> bool:
    """A resolved complaint must teach something; any other resolved ticket may."""
    in_complaint_category = ticket.category is not None and ticket.category.is_complaint
    return (ticket.is_complaint or in_complaint_category) and not ticket.is_open


__all__ = ["Lesson", "needs_lesson"]
