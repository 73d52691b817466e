"""A filter of the agents' queue page kept under a name, the agent's own or shared with a queue."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models.errors import InvalidTransition

# The queue page's parameters a view keeps; the page number and anything else are left out.
FILTER_PARAMETERS = ("q", "queue", "channel", "status", "category", "language", "assigned")


def filter_query(query_string: str) -> str:
    """The filter part of a queue page's query string, in a stable order."""
    given = QueryDict(query_string)
    kept = QueryDict(mutable=True)
    for name in FILTER_PARAMETERS:
        values = [value for value in given.getlist(name) if value.strip()]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


class SavedViewQuerySet(models.QuerySet):
    def offered_to(self, agent, queues):
        """The agent's own views, then those shared with the queues they serve, by name."""
        return (
            self.filter(Q(owner=agent) | Q(shared_with__in=queues))
            .select_related("owner", "shared_with")
            .order_by(models.Case(models.When(owner=agent, then=0), default=1), "name")
        )


class SavedView(models.Model):
    name = models.CharField(_("name"), max_length=80)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    query = models.CharField(_("filter"), max_length=2000, blank=True)
    shared_with = models.ForeignKey(
        "helpdesk.Queue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_views",
        verbose_name=_("shared with the agents of"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_per_owner")]

    def __str__(self):
        return self.name

    @classmethod
    def save_filter(cls, *, owner, name: str, query_string: str) -> "SavedView":
        """Keeps the filter under the name; the same name again takes the new filter."""
        view, _created = cls.objects.update_or_create(
            owner=owner, name=name.strip(), defaults={"query": filter_query(query_string)}
        )
        return view

    def share_with(self, queue, *, by) -> None:
        """A manager offers their view to a queue's agents (queue=None: theirs alone again)."""
        if by.pk != self.owner_id:
            raise InvalidTransition(_("Only the one who saved a view shares it."))
        self.shared_with = queue
        self.save(update_fields=["shared_with"])
