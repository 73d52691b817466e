"""Tags: free words agents put on tickets to find them again ("refund", "router", "vip")."""

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from helpdesk.models.errors import InvalidTransition

TAG_MAX_LENGTH = 40


def normalise_tag(text: str) -> str:
    """One spelling per tag: "  Refund   Request " and "refund request" are the same tag."""
    return " ".join(text.split()).lower()[:TAG_MAX_LENGTH]


class TagQuerySet(models.QuerySet):
    def suggested(self):
        """The tags offered while typing, read from the name index alone (no count of their uses:
        that would read every tagged ticket on each page view)."""
        return self.order_by("name")

    def with_ticket_counts(self):
        """Each tag with the number of requests that carry it, in the same query."""
        return self.annotate(ticket_count=models.Count("tickets")).order_by("name")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=TAG_MAX_LENGTH, unique=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def rename(self, new_name: str, *, by) -> "Tag":
        """The tag is called `new_name` on every request that carries it; when a tag of that name
        exists, this one is merged into it. Returns the tag the requests carry now. Each request
        keeps a line on its timeline, as when an agent changes its tags."""
        from helpdesk.models.timeline import TicketEntry

        new_name = normalise_tag(new_name)
        if not new_name:
            raise InvalidTransition(_("Write the tag first."))
        if new_name == self.name:
            raise InvalidTransition(_("The tag is already called “%(tag)s”.") % {"tag": new_name})
        old_name = self.name
        try:
            with transaction.atomic():
                ticket_ids = self._lock_and_list_tickets()
                target = type(self).objects.filter(name=new_name).first()
                if target is None:
                    self.name = new_name
                    self.save(update_fields=["name"])
                    target = self
                else:
                    links = Tag.tickets.through.objects
                    has_it = set(
                        links.filter(tag=target, ticket_id__in=ticket_ids).values_list("ticket_id", flat=True)
                    )
                    links.bulk_create(
                        [links.model(ticket_id=pk, tag=target) for pk in ticket_ids if pk not in has_it]
                    )
                    self.delete()
                _record_on_timelines(
                    ticket_ids, TicketEntry.Event.TAG_RENAMED, by=by, data={"from": old_name, "to": new_name}
                )
        except IntegrityError:  # another manager gave a tag that name at the same moment
            raise InvalidTransition(
                _("A tag called “%(tag)s” was just made; try again to merge into it.") % {"tag": new_name}
            ) from None
        return target

    def remove_everywhere(self, *, by) -> int:
        """Takes the tag off every request and forgets it; returns how many requests lost it."""
        from helpdesk.models.timeline import TicketEntry

        with transaction.atomic():
            ticket_ids = self._lock_and_list_tickets()
            self.delete()
            _record_on_timelines(ticket_ids, TicketEntry.Event.TAG_REMOVED, by=by, data={"name": self.name})
        return len(ticket_ids)

    def _lock_and_list_tickets(self) -> list[int]:
        """Conditional on the tag still existing: of two managers at once, the second is told."""
        if not type(self).objects.select_for_update().filter(pk=self.pk).exists():
            raise InvalidTransition(_("The tag “%(tag)s” no longer exists.") % {"tag": self.name})
        return list(Tag.tickets.through.objects.filter(tag_id=self.pk).values_list("ticket_id", flat=True))


def _record_on_timelines(ticket_ids: list[int], event: str, *, by, data: dict) -> None:
    """One internal timeline line per request, written together (a tag may be on thousands)."""
    from helpdesk.models.ticket import Ticket
    from helpdesk.models.timeline import TicketEntry

    channels = Ticket.objects.filter(pk__in=ticket_ids).values_list("pk", "channel")
    TicketEntry.objects.bulk_create(
        [
            TicketEntry(
                ticket_id=pk, kind=TicketEntry.Kind.EVENT, event=event, author=by, channel=channel, data=data
            )
            for pk, channel in channels
        ],
        batch_size=500,
    )
