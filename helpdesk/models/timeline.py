from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.attachments import PICTURE_TYPES
from helpdesk.models.labels import ChoiceLabels
from helpdesk.references import new_status_token


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    CHAT = "chat", _("Live chat")
    API = "api", _("API")


class TicketEntryQuerySet(models.QuerySet):
    def erase_personal_data(self) -> int:
        """Every text goes (the customer's messages, what we wrote to them and about them); the
        entries stay, with their kind, channel and time, for the request's history and figures.
        Events keep their codes and lose what named the person (an address, a merged record)."""
        erased = self.update(body="", quoted_text="")
        naming = [TicketEntry.Event.CUSTOMER_MERGED, TicketEntry.Event.NOT_DELIVERED]
        naming.append(TicketEntry.Event.NOTIFICATION_RETRIED)
        for entry in self.filter(event__in=naming):
            kept = {key: value for key, value in entry.data.items() if key in ("kind", "notification")}
            type(entry).objects.filter(pk=entry.pk).update(data=kept)
        return erased


class TicketEntry(ChoiceLabels):
    """One line of a ticket's timeline."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Customer message")
        REPLY = "reply", _("Agent reply")
        NOTE = "note", _("Internal note")
        EVENT = "event", _("Event")

    class Event(models.TextChoices):
        CREATED = "created", _("Created")
        ASSIGNED = "assigned", _("Assigned")
        STATUS_CHANGED = "status_changed", _("Status changed")
        NOTIFIED = "notified", _("Customer notified")
        NOT_DELIVERED = "not_delivered", _("Message to the customer not delivered")
        NOTIFICATION_RETRIED = "notification_retried", _("Message to the customer sent again")
        PRIORITY_CHANGED = "priority_changed", _("Priority changed")
        SUMMARY_WRITTEN = "summary_written", _("Problem summary written")
        SUMMARY_CONFIRMED = "summary_confirmed", _("Summary confirmed by the customer")
        SUMMARY_CORRECTED = "summary_corrected", _("Customer asked to correct the summary")
        NEXT_STEP = "next_step", _("Next step set")
        ATTENTION_REQUESTED = "escalated", _("Escalated to a supervisor")
        MERGED = "merged", _("Merged")
        LINKED = "linked", _("Linked to a related request")
        SLA_BREACHED = "sla_breached", _("SLA breached")
        LINK_RENEWED = "link_renewed", _("Status link renewed")
        # Walk-in visits (helpdesk.models.walk_in)
        WALK_IN_CALLED = "walk_in_called", _("Called to a desk")
        WALK_IN_RECALLED = "walk_in_recalled", _("Called to a desk again")
        WALK_IN_NO_SHOW = "walk_in_no_show", _("Did not come when called")
        WALK_IN_TRANSFERRED = "walk_in_transferred", _("Sent to another line")
        CHAT_JOINED = "chat_joined", _("Agent joined the chat")
        CHAT_HOLD_OVER = "chat_hold_over", _("Hold time over: back to the customer")
        CHAT_ENDED = "chat_ended", _("Chat ended")
        MARKED_COMPLAINT = "complaint", _("Marked as a complaint")
        # An app that groups requests (crisis: an incident) records the link on the timeline.
        INCIDENT_LINKED = "incident_linked", _("Linked to an incident")
        CUSTOMER_MERGED = "customer_merged", _("Customer records merged")
        TAG_ADDED = "tag_added", _("Tag added")
        TAG_REMOVED = "tag_removed", _("Tag removed")
        TAG_RENAMED = "tag_renamed", _("Tag renamed")

    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    event = models.CharField(_("event"), max_length=20, choices=Event, blank=True)
    is_public = models.BooleanField(
        _("shown to the customer"), default=False, help_text=_("Internal notes never are.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("author")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    body = models.TextField(_("text"), blank=True)
    quoted_text = models.TextField(
        _("quoted history"), blank=True, help_text=_("Earlier messages quoted below the new text (folded).")
    )
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # When the retention policy cleared the text (a chat line: helpdesk.personal_data.retention).
    text_removed_at = models.DateTimeField(null=True, blank=True)

    objects = TicketEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="note", is_public=True), name="internal_note_never_public"
            )
        ]

    def __str__(self):
        return f"{self.ticket.reference} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def remove_text(self) -> bool:
        """Retention: the words of this line are cleared; the line stays, so the timeline still
        reads who wrote when. Never on an open request; conditional, so of two runs at once one
        clears it. True when this call did."""
        from helpdesk.models.ticket import ENDED_STATUSES

        now = timezone.now()
        removed = TicketEntry.objects.filter(
            pk=self.pk, text_removed_at__isnull=True, ticket__status__in=ENDED_STATUSES
        ).update(body="", quoted_text="", text_removed_at=now)
        if removed:
            self.body, self.quoted_text, self.text_removed_at = "", "", now
        return bool(removed)

    @property
    def is_from_customer(self) -> bool:
        return self.kind == self.Kind.MESSAGE

    @property
    def status_change(self) -> str:
        """ "New → Open" in the reader's language, for a status change; empty otherwise."""
        if self.event != self.Event.STATUS_CHANGED or not self.data.get("to"):
            return ""
        from helpdesk.models.ticket import Ticket  # the ticket's module imports this one

        labels = dict(Ticket.Status.choices)
        before, after = self.data.get("from", ""), self.data["to"]
        return f"{labels.get(before, before) or '—'} → {labels.get(after, after)}"


def attachment_path(attachment, filename):
    return f"attachments/{timezone.now():%Y/%m}/{new_status_token()[:16]}/{filename}"


def thumbnail_path(attachment, filename):
    return f"thumbnails/{timezone.now():%Y/%m}/{new_status_token()[:16]}/{filename}"


class AttachmentQuerySet(models.QuerySet):
    def erase(self) -> int:
        """Delete the files, and their thumbnails, from storage and the rows that name them. The
        files go once the transaction commits, so a rolled-back erasure loses nothing."""
        names = [name for pair in self.values_list("file", "thumbnail") for name in pair if name]
        deleted, _by_model = self.delete()
        storage = Attachment._meta.get_field("file").storage

        def delete_files():
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
        return deleted


class Attachment(models.Model):
    entry = models.ForeignKey(TicketEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    content_id = models.CharField(
        max_length=255, blank=True, help_text=_("For an image shown inside an email's text.")
    )
    # A small copy of a picture for the timeline, made by the worker (helpdesk.thumbnails);
    # empty until then, and for every other kind of file.
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_path, max_length=300, blank=True)
    # When the retention policy deleted the file; the row stays so the timeline still says a
    # file was there (helpdesk.personal_data.retention).
    removed_at = models.DateTimeField(null=True, blank=True)
    # Set when the worker could not read the picture: the scan of missing thumbnails
    # (helpdesk.thumbnails.make_missing_thumbnails) then stops trying it every minute.
    thumbnail_unreadable = models.BooleanField(default=False)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [
            # The scan reads only the pictures still waiting for a thumbnail: a handful, however
            # many files the helpdesk holds (not those removed under the retention policy, which
            # keep their row without a file).
            models.Index(
                fields=["id"],
                condition=models.Q(
                    thumbnail="",
                    thumbnail_unreadable=False,
                    removed_at__isnull=True,
                    content_type__in=sorted(PICTURE_TYPES),
                ),
                name="attachment_thumbnail_missing",
            )
        ]

    def __str__(self):
        return self.filename

    def remove_file(self) -> bool:
        """Retention: the file and its thumbnail are deleted from storage; the row keeps the
        name, type and size. Never on an open request. The row is claimed by a conditional
        UPDATE first, so of two runs at once only one deletes, and a file is never left behind
        a row that still offers it. True when this call removed it."""
        from helpdesk.models.ticket import ENDED_STATUSES

        names = [(field.storage, field.name) for field in (self.file, self.thumbnail) if field]
        now = timezone.now()
        claimed = Attachment.objects.filter(
            pk=self.pk, removed_at__isnull=True, entry__ticket__status__in=ENDED_STATUSES
        ).update(file="", thumbnail="", removed_at=now)
        if not claimed:
            return False
        for storage, name in names:
            storage.delete(name)
        self.file, self.thumbnail, self.removed_at = "", "", now
        return True


def with_attachment_lists(entries: models.QuerySet) -> list[TicketEntry]:
    """The entries, each with its files as `attachment_list`.

    Most timelines have no file at all: each entry says whether it has one (an EXISTS on the
    attachments' entry index), and the files are read in a second query only for those that do.
    """
    rows = list(
        entries.annotate(has_files=models.Exists(Attachment.objects.filter(entry=models.OuterRef("pk"))))
    )
    for entry in rows:
        if not entry.has_files:
            entry.attachment_list = []
    with_files = [entry for entry in rows if entry.has_files]
    if with_files:
        models.prefetch_related_objects(with_files, models.Prefetch("attachments", to_attr="attachment_list"))
    return rows
