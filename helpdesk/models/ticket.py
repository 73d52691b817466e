from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.fields.related_descriptors import ManyToManyDescriptor
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk import live
from helpdesk.languages import Language
from helpdesk.models.customer import Customer
from helpdesk.models.errors import InvalidTransition
from helpdesk.models.labels import ChoiceLabels
from helpdesk.models.queue_place import IN_LINE, SLA_CLOCK_RUNNING, QueuePlace, index_condition
from helpdesk.models.routing import Category, Priority, Queue
from helpdesk.models.staff import staff_name
from helpdesk.models.status_link import StatusLink
from helpdesk.models.tags import Tag
from helpdesk.models.ticket_workspace import TicketWorkspace
from helpdesk.models.timeline import Channel, TicketEntry
from helpdesk.references import hash_token, new_reference, new_status_token
from helpdesk.text_folding import Fold

# Each renewal of a status link sends an email: a few an hour are plenty for a real customer.
LINK_RENEWALS_PER_HOUR = 3
LINK_RENEWAL_WINDOW = timedelta(hours=1)

# What a status change reads and writes (Ticket.lock_current_status reads them afresh).
STATUS_FIELDS = [
    "status",
    "waiting_since",
    "resolved_at",
    "closed_at",
    "first_response_due_at",
    "resolution_due_at",
    "solved_on_first_contact",
    "merged_into",
]


# A request in either of these is no longer worked; retention may remove its personal data.
ENDED_STATUSES = ["resolved", "closed"]


QUEUE_ROW_FIELDS = [
    "reference",
    "subject",
    "channel",
    "status",
    "language",
    "priority",
    "queue",
    "created_at",
    "first_responded_at",
    "waiting_since",
    "sla_due_at",
    "sla_at_risk_at",
    "on_live_channel",
    "merged_into",
    "requester_name",
    "customer__name",
    "customer__email",
    "customer__phone",
    "customer__erased_at",
    "category__name_en",
    "category__name_hu",
    "category__name_pl",
    "assignee__first_name",
    "assignee__username",
    "chat__ended_at",
]


def rows_of(relation: str) -> models.QuerySet:
    """The rows a ticket's relation holds, for the ticket of the outer query (`OuterRef("pk")`)."""
    descriptor = getattr(Ticket, relation)
    if isinstance(descriptor, ManyToManyDescriptor):
        rows, link = descriptor.through, descriptor.field.m2m_field_name()
    else:
        rows, link = descriptor.rel.related_model, descriptor.field.name
    return rows._default_manager.filter(**{link: models.OuterRef("pk")})


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__one_of=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED])

    def in_line(self):
        """Waiting for an agent's first answer and not yet taken: the customer's line."""
        return self.filter(IN_LINE)

    def in_queue_order(self):
        """The one queue order (see helpdesk.models.queue_place): database-ordered, indexed."""
        return self.order_by("queue_key", "pk")

    def ahead_of(self, ticket):
        """Tickets in line in the same queue that come before this one."""
        return (
            self.in_line()
            .filter(queue_id=ticket.queue_id, queue_key__lte=ticket.queue_key)  # bounds the index scan
            .filter(
                models.Q(queue_key__lt=ticket.queue_key)
                | models.Q(queue_key=ticket.queue_key, pk__lt=ticket.pk)
            )
        )

    def as_queue_rows(self):
        """Only what a row of the agents' queue list shows and explains (its place, its SLA).

        A page of 25 rows read every column of the ticket and of four joined tables: up to 23
        date-times a row parsed in Python, and Django compiling the long column list, for values
        the page never shows. A template reading a column left out here would cost a
        query per row; tests/helpdesk/queue/test_page.py counts the page's queries at two sizes.
        """
        return self.select_related("customer", "category", "assignee", "chat").only(*QUEUE_ROW_FIELDS)

    def with_tags(self):
        """Each ticket's tags, by name, in one query for the whole page."""
        return self.prefetch_related(models.Prefetch("tags", queryset=Tag.objects.order_by("name")))

    def noting_which_exist(self, *relations: str):
        """Each ticket with `has_<relation>`: whether it has any of these rows (duplicates merged
        into it, related requests, attention requests, next steps), an EXISTS each on the rows' ticket
        index. Most tickets have none of them, and a page then skips their queries
        (Ticket.rows_if_any): 2 to 4 ms each at 100,000 tickets, most of it Django building them.
        """
        return self.annotate(
            **{f"has_{relation}": models.Exists(rows_of(relation)) for relation in relations}
        )

    def with_status_token(self, token: str):
        """The ticket this status link opens: one indexed lookup of the token's hash."""
        return self.filter(status_links__token_hash=hash_token(token))

    def by_reference(self, reference: str):
        return self.filter(reference=reference)

    def ended_before(self, moment: datetime):
        """Resolved or closed, and so since before `moment`: what the retention rules may touch
        (helpdesk.personal_data.retention); an open request keeps everything."""
        return self.filter(status__in=ENDED_STATUSES).filter(
            models.Q(closed_at__lt=moment) | models.Q(closed_at__isnull=True, resolved_at__lt=moment)
        )

    def past_due(self, now=None):
        """The SLA clock runs and its due time has passed (a waiting ticket's clock stands still)."""
        return self.filter(SLA_CLOCK_RUNNING, sla_due_at__lte=now or timezone.now())


class SummaryState(models.TextChoices):
    NONE = "", _("Not written yet")
    PENDING = "pending", _("Waiting for the customer to check")
    CONFIRMED = "confirmed", _("Confirmed by the customer")
    CORRECTED = "corrected", _("The customer asked for a correction")


class Ticket(QueuePlace, TicketWorkspace, ChoiceLabels):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting on customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=9, unique=True, editable=False)
    # The token of the status link this instance was reached with or has just drawn; only its
    # hash is stored (StatusLink), so it is known only in the request that has it.
    status_token = ""
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("customer")
    )
    # The name given with this request: what we call the sender in its messages. The customer
    # record's name changes only where an agent verifies who the person is.
    requester_name = models.CharField(_("name given"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("category"),
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("queue")
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assigned to"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    # The subject folded (helpdesk.text_folding), kept by the database on every write: the
    # agents' search and the crisis matching compare the text they fold once with it, rather than
    # folding the subject of every candidate request in each query (migration 0045).
    folded_subject = models.GeneratedField(
        expression=Fold("subject"), output_field=models.TextField(), db_persist=True
    )
    language = models.CharField(_("language"), max_length=8, choices=Language, default=Language.EN)
    is_complaint = models.BooleanField(_("complaint"), default=False)

    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_response_due_at = models.DateTimeField(
        _("first response due"), null=True, blank=True, db_index=True
    )
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True, db_index=True)
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting on customer since"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    solved_on_first_contact = models.BooleanField(_("solved on first contact"), default=False)

    # Where it came from, for rate limits and idempotent API calls.
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    # When the request's personal data was erased: with its customer's, or by the retention
    # policy years after it closed (helpdesk.personal_data), which then passes it by.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    integration = models.ForeignKey(
        "helpdesk.ApiIntegration", on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    external_id = models.CharField(_("external id"), max_length=200, blank=True)

    # The workspace: the agent's summary of the problem, which the customer confirms or corrects.
    summary = models.TextField(_("problem summary"), blank=True)
    summary_state = models.CharField(
        _("summary check"), max_length=12, choices=SummaryState, blank=True, default=SummaryState.NONE
    )
    summary_updated_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_tickets",
        verbose_name=_("merged into"),
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("related tickets"))
    # The link table's (ticket, tag) unique index and its tag index serve the workspace and the
    # queue page's tag filter.
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets", verbose_name=_("tags"))

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # The customer's line: position is a count over this index, take-next its first row.
            models.Index(
                fields=["queue", "queue_key", "id"],
                condition=index_condition(IN_LINE),
                name="ticket_line_order",
            ),
            # The agents' lists: open tickets in queue order.
            models.Index(
                fields=["queue_key", "id"],
                condition=models.Q(status__in=["new", "open", "waiting"]),
                name="ticket_open_order",
            ),
            models.Index(
                fields=["sla_due_at"], condition=models.Q(status__in=["new", "open"]), name="ticket_sla_clock"
            ),
            # The queue counts (open, in line, at risk, breached) from the index alone on PostgreSQL
            # (helpdesk.queue.figures): every column their conditions read is in it.
            models.Index(
                fields=["queue", "status", "sla_band", "first_responded_at", "assignee", "merged_into"],
                condition=models.Q(status__in=["new", "open", "waiting"]),
                name="ticket_open_counts",
            ),
            models.Index(fields=["queue", "status", "created_at"], name="ticket_queue_status_created"),
            models.Index(fields=["customer", "created_at"], name="ticket_customer_created"),
            models.Index(fields=["source_ip", "created_at"], name="ticket_ip_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "external_id"],
                condition=~models.Q(external_id=""),
                name="ticket_external_id_unique_per_integration",
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    def save(self, *args, **kwargs):
        # Whatever changed, the place in line follows from the fields as they are now.
        fields = self.refresh_queue_place()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *fields}
        if not self.pk:
            self._save_new(*args, **kwargs)
        else:
            super().save(*args, **kwargs)
        # Whatever changed may change the queue's page (its counts, its rows).
        live.publish(f"queue:{self.queue_id}", "changed")

    def get_absolute_url(self):
        return reverse("helpdesk:ticket-detail", args=[self.reference])

    def _save_new(self, *args, **kwargs):
        # References are random; on the rare collision draw again.
        for _attempt in range(5):
            self.reference = self.reference or new_reference()
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
            except IntegrityError as error:
                if "reference" not in str(error):
                    raise
                self.reference = ""
            else:
                # The first link, for the acknowledgement and the confirmation page.
                self.draw_status_link()
                return
        raise IntegrityError("could not draw a unique ticket reference")

    def forget_source_ip(self) -> bool:
        """Retention: the address the request came from is no longer kept. Never on an open
        request; conditional, so of two runs at once one forgets it. True when this call did."""
        forgotten = (
            type(self)
            .objects.filter(pk=self.pk, status__in=ENDED_STATUSES, source_ip__isnull=False)
            .update(source_ip=None)
        )
        if forgotten:
            self.source_ip = None
        return bool(forgotten)

    def draw_status_link(self) -> str:
        """A new link to the status page, for a message or page that shows it now; older links
        keep working. Returns the token, which is not stored anywhere."""
        token = new_status_token()
        StatusLink.objects.create(ticket=self, token_hash=hash_token(token))
        self.status_token = token
        return token

    def status_link_token(self) -> str:
        """The token this instance already carries, or a newly drawn one."""
        return self.status_token or self.draw_status_link()

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.RESOLVED, self.Status.CLOSED)

    @property
    def addressee_name(self) -> str:
        """Whom this request's messages greet: the name given with it, else the customer's."""
        return self.requester_name or self.customer.name

    @property
    def requester_label(self) -> str:
        """Who asked, as agents see it in lists: the name given with it, else the customer's record."""
        return self.requester_name or self.customer.display_name

    # --- SLA -------------------------------------------------------------------------------

    def apply_sla(self) -> None:
        """Due times from the queue's targets for this priority, in its business calendar."""
        target = self.queue.sla_for(self.priority)
        if target is None:
            self.first_response_due_at = self.resolution_due_at = None
            self.refresh_sla_clock()
            return
        calendar = self.queue.calendar.calendar
        self.first_response_due_at = calendar.add(self.created_at, target.first_response)
        self.resolution_due_at = calendar.add(self.created_at, target.resolution)
        self.refresh_sla_clock()

    # --- personal data ---------------------------------------------------------------------

    # What an erased request is called instead of its subject (not a translation: it is stored).
    ERASED_SUBJECT = "—"

    def erase_personal_data(self) -> int:
        """Everything in this request that tells of its customer goes: the subject, the name
        given, the address it came from, the texts of its timeline and its files, its status and
        chat links. Its times, channel, queue, status and tags stay, for the figures. Returns the
        number of files deleted."""
        from helpdesk.models.chat import Chat
        from helpdesk.models.inbound import InboundEmail
        from helpdesk.models.notification import Notification
        from helpdesk.models.timeline import Attachment
        from helpdesk.models.workspace import AttentionRequest, NextStep

        now = timezone.now()
        with transaction.atomic():
            type(self).objects.filter(pk=self.pk).update(
                subject=self.ERASED_SUBJECT,
                requester_name="",
                source_ip=None,
                summary="",
                external_id="",
                personal_data_erased_at=Coalesce("personal_data_erased_at", models.Value(now)),
            )
            InboundEmail.objects.filter(ticket=self).erase_personal_data()
            Notification.objects.filter(ticket=self).erase_personal_data()
            self.entries.all().erase_personal_data()
            files = Attachment.objects.filter(entry__ticket=self).erase()
            self.status_links.all().delete()
            Chat.objects.filter(ticket=self).erase_personal_data()
            NextStep.objects.filter(ticket=self).update(description="")
            AttentionRequest.objects.filter(ticket=self).update(reason="", resolution_note="", data={})
        return files

    # --- timeline --------------------------------------------------------------------------

    def record(self, kind, *, by=None, body="", channel="", event="", data=None, **fields) -> "TicketEntry":
        return self.entries.create(
            kind=kind,
            author=by,
            body=body,
            channel=channel or self.channel,
            event=event,
            data=data or {},
            **fields,
        )

    def record_event(self, event, *, by=None, data=None, public=True, body="") -> "TicketEntry":
        return self.record(TicketEntry.Kind.EVENT, by=by, event=event, data=data, is_public=public, body=body)

    # --- transitions ----------------------------------------------------------------------

    def _change_status(self, new_status, *, by=None, at=None, extra_fields=(), note="", data=None) -> None:
        old_status = self.status
        with transaction.atomic():
            # Conditional on the status this request read: of two agents resolving at once, one
            # resolves (one event, one email) and the other is told who did.
            current = type(self).objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
            if current != old_status:
                self.refresh_from_db(fields=STATUS_FIELDS)  # the page that says so shows it as it is
                raise InvalidTransition(self.changed_by_someone_else(current))
            self.status = new_status
            self.save(update_fields=["status", "updated_at", *extra_fields])
            self.record_event(
                TicketEntry.Event.STATUS_CHANGED,
                by=by,
                data={"from": old_status, "to": new_status, **(data or {})},
                body=note,
            )

    def changed_by_someone_else(self, current: str | None = None) -> str:
        """Who put the request in its current status, for whoever wanted to change it too."""
        current = current or self.status
        last = (
            self.entries.filter(event=TicketEntry.Event.STATUS_CHANGED)
            .select_related("author")
            .order_by("-created_at", "-pk")
            .first()
        )
        if last is not None and last.author is not None:
            name = staff_name(last.author)
        elif last is not None and last.data.get("by_customer"):
            name = _("The customer")
        else:
            name = _("Someone else")
        return _("%(name)s has already changed this request to “%(status)s”.") % {
            "name": name,
            "status": self.Status(current).label,
        }

    def lock_current_status(self) -> None:
        """Lock the row (inside a transaction) and read its status as it is now, in one query: for
        changes that follow whatever the status is, such as a customer's message waking the
        request (each chat line does it)."""
        fields = [self._meta.get_field(name) for name in STATUS_FIELDS]
        locked = type(self).objects.select_for_update().filter(pk=self.pk)
        current = locked.values_list(*(field.attname for field in fields)).get()
        for field, value in zip(fields, current, strict=True):
            if field.is_relation and field.is_cached(self) and getattr(self, field.attname) != value:
                field.delete_cached_value(self)  # the request it was merged into, as read before
            setattr(self, field.attname, value)

    def assign(self, agent, *, by=None) -> None:
        from helpdesk import agent_alerts

        if not self.is_open:
            raise InvalidTransition(_("A closed request cannot be assigned."))
        if self.assignee_id == getattr(agent, "pk", None):
            return
        self.assignee = agent
        self.save(update_fields=["assignee", "updated_at"])
        self.record_event(
            TicketEntry.Event.ASSIGNED,
            by=by,
            data={"to": agent.get_username() if agent else None},
            public=False,
        )
        agent_alerts.assigned(self, to=agent, by=by)

    def move_to_queue(self, queue) -> None:
        """Hand the request to another queue's team, unassigned, keeping its arrival time (and so
        its place by arrival in the new queue). The caller records why (a walk-in transfer)."""
        live.publish(f"queue:{self.queue_id}", "changed")  # the queue it leaves
        self.queue, self.assignee = queue, None
        self.save(update_fields=["queue", "assignee", "updated_at"])

    def wait_on_customer(self, *, by, at: datetime | None = None, note: str = "") -> None:
        if self.status == self.Status.WAITING:
            raise InvalidTransition(self.changed_by_someone_else())
        if self.status not in (self.Status.NEW, self.Status.OPEN):
            raise InvalidTransition(_("Only an open request can wait on the customer."))
        self.waiting_since = at or timezone.now()
        self._change_status(self.Status.WAITING, by=by, extra_fields=["waiting_since"], note=note)

    def resume(self, *, by=None, at: datetime | None = None) -> None:
        """The customer answered: the SLA clock runs again from where it stopped."""
        if self.status != self.Status.WAITING:
            raise InvalidTransition(_("The request is not waiting on the customer."))
        self._shift_due_times(paused_at=self.waiting_since, resumed_at=at or timezone.now())
        self.waiting_since = None
        self._change_status(
            self.Status.OPEN,
            by=by,
            extra_fields=["waiting_since", "first_response_due_at", "resolution_due_at"],
        )

    def _shift_due_times(self, *, paused_at: datetime | None, resumed_at: datetime) -> None:
        """Move the pending due times on by a pause, keeping the business time that was left.

        A target already missed when the pause began stays missed; a first response already
        given has nothing left to shift.
        """
        if paused_at is None:
            return
        shift = partial(self.queue.calendar.calendar.resume_due, paused_at=paused_at, resumed_at=resumed_at)
        if self.first_responded_at is None and self.first_response_due_at:
            self.first_response_due_at = shift(self.first_response_due_at)
        if self.resolution_due_at:
            self.resolution_due_at = shift(self.resolution_due_at)
        self.refresh_sla_clock()

    def resolve(
        self,
        *,
        by,
        at: datetime | None = None,
        on_first_contact: bool = False,
        note: str = "",
        by_customer: bool = False,
    ) -> None:
        if not self.is_open:
            raise InvalidTransition(self.changed_by_someone_else())
        self.resolved_at = at or timezone.now()
        if self.status == self.Status.WAITING:
            # The clock stood still while waiting; from now on it stands still as resolved, so
            # a reopened request continues from the business time left when the wait began.
            self._shift_due_times(paused_at=self.waiting_since, resumed_at=self.resolved_at)
        self.waiting_since = None
        self.solved_on_first_contact = on_first_contact
        self._change_status(
            self.Status.RESOLVED,
            by=by,
            note=note,
            data={"by_customer": True} if by_customer else None,
            extra_fields=[
                "resolved_at",
                "waiting_since",
                "solved_on_first_contact",
                "first_response_due_at",
                "resolution_due_at",
            ],
        )

    def close(self, *, by=None) -> None:
        if self.status == self.Status.CLOSED:
            raise InvalidTransition(self.changed_by_someone_else())
        self.closed_at = timezone.now()
        self._change_status(self.Status.CLOSED, by=by, extra_fields=["closed_at"])

    def reopen(self, *, by=None, at: datetime | None = None) -> None:
        """The customer was not helped after all: the SLA clock runs again.

        The time spent resolved does not count: the business time that was left when the
        request was resolved is kept; a target missed before it was resolved stays missed.
        """
        if self.is_open:
            raise InvalidTransition(self.changed_by_someone_else())
        self._shift_due_times(paused_at=self.resolved_at or self.closed_at, resumed_at=at or timezone.now())
        self.resolved_at = self.closed_at = None
        self.solved_on_first_contact = False
        self._change_status(
            self.Status.OPEN,
            by=by,
            extra_fields=[
                "resolved_at",
                "closed_at",
                "solved_on_first_contact",
                "first_response_due_at",
                "resolution_due_at",
            ],
        )

    def mark_first_response(self, at: datetime) -> None:
        """An agent answered: the customer leaves the line and the resolution clock takes over."""
        if self.first_responded_at is None:
            self.first_responded_at = at
            self.refresh_sla_clock()
            self.save(update_fields=["first_responded_at", "updated_at"])

    def receive_customer_message(self, *, body: str, channel: str, **fields) -> "TicketEntry":
        """A customer wrote again: their message joins the timeline and wakes the ticket."""
        from helpdesk import agent_alerts

        with transaction.atomic():
            self.lock_current_status()
            entry = self.record(
                TicketEntry.Kind.MESSAGE, body=body, channel=channel, is_public=True, **fields
            )
            if self.status == self.Status.WAITING:
                self.resume()
            elif not self.is_open:
                self.reopen()
            # A chat line is read as it arrives, by the agent in the chat.
            if channel != Channel.CHAT:
                agent_alerts.customer_replied(self)
        return entry

    # --- what the customer does on the status page ------------------------------------------

    def resolve_by_customer(self) -> None:
        """The customer needs nothing more (the "close my request" button on the status page).

        Resolved rather than closed: a later message from them reopens it, as after an agent's
        resolution, and the follow-up survey still asks whether they were helped.
        """
        if self.merged_into_id:
            raise InvalidTransition(_("This request was joined with another one: please use that one."))
        if not self.is_open:
            raise InvalidTransition(_("This request is already closed."))
        try:
            with transaction.atomic():
                self.resolve(by=None, by_customer=True)
        except InvalidTransition:  # resolved by an agent a moment ago: the customer needs no name
            raise InvalidTransition(_("This request is already closed.")) from None

    def renew_status_link(self) -> None:
        """A new status link for the customer, emailed to them; every older link stops working.

        For a link that was forwarded or seen by someone else. Limited per hour, because each
        renewal sends an email.
        """
        from helpdesk import rate_limits
        from helpdesk.mail import outbox

        if not self.customer.email:
            raise InvalidTransition(_("We have no email address to send a new link to."))
        limit = rate_limits.Limit(
            "status-link-renewal", str(self.pk), LINK_RENEWALS_PER_HOUR, LINK_RENEWAL_WINDOW
        )
        if rate_limits.refused(limit, now=timezone.now()):
            raise InvalidTransition(
                _(
                    "We have sent several new links within the last hour. "
                    "Please use the newest one in your email."
                )
            )
        with transaction.atomic():
            self.status_links.all().delete()
            self.draw_status_link()
            self.save(update_fields=["updated_at"])
            self.record_event(TicketEntry.Event.LINK_RENEWED, public=False)
            outbox.new_status_link(self)
