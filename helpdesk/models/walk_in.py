"""Walk-in service: branches, their service lines and desks, and each visitor's numbered visit.

A visitor's place in line is their ticket's place (helpdesk.models.queue_place): the lobby
screen, "call next" at a desk and the visitor's status page all read the one queue order. The
visit adds what the lobby needs on top: the number called out (A-017), the desk, and the
calls and recalls.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk import live
from helpdesk.languages import field_in_language
from helpdesk.models.errors import InvalidTransition
from helpdesk.models.routing import BusinessCalendar, Queue
from helpdesk.models.timeline import TicketEntry

LOBBY_LANGUAGES = ["en", "hu", "pl"]


class DisplayLanguage(models.TextChoices):
    ROTATE = "", _("Rotate: English, Hungarian, Polish")
    EN = "en", _("English only")
    HU = "hu", _("Hungarian only")
    PL = "pl", _("Polish only")


class Branch(models.Model):
    """A customer office with desks where visitors are served in person."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("The lobby screen is at /display/<slug>/."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="branches", verbose_name=_("calendar")
    )
    display_language = models.CharField(
        _("lobby screen language"), max_length=8, choices=DisplayLanguage, blank=True, default=""
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def lobby_languages(self) -> list[str]:
        return [self.display_language] if self.display_language else LOBBY_LANGUAGES

    def local_today(self, now=None) -> date:
        """The branch's own date: numbers start again from 1 each local day."""
        return (now or timezone.now()).astimezone(ZoneInfo(self.calendar.time_zone)).date()


class BranchService(models.Model):
    """One line at a branch (general questions, payments): its letter and its walk-in queue."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="services")
    letter = models.CharField(
        _("letter"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("One capital letter, A to Z."))],
        help_text=_("Numbers of this line start with it: A-017."),
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_hu = models.CharField(_("name (Hungarian)"), max_length=100)
    name_pl = models.CharField(_("name (Polish)"), max_length=100)
    queue = models.ForeignKey(
        Queue,
        on_delete=models.PROTECT,
        related_name="walk_in_services",
        verbose_name=_("walk-in queue"),
        help_text=_("Visitors of this line wait in this queue, in the one queue order."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service line")
        verbose_name_plural = _("service lines")
        ordering = ["branch", "position", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "letter"], name="one_letter_per_branch"),
            models.UniqueConstraint(fields=["branch", "queue"], name="one_line_per_queue_per_branch"),
        ]

    def __str__(self):
        return f"{self.letter} · {self.name}"

    @property
    def name(self) -> str:
        return field_in_language(self, "name")


class DeskQuerySet(models.QuerySet):
    def of_agent(self, agent):
        return self.filter(agent=agent)


class Desk(models.Model):
    """A counter at a branch. An agent sits at one desk for their shift and calls visitors to it."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="desks")
    label = models.CharField(_("desk number"), max_length=10, help_text=_("As painted above the desk: 3."))
    services = models.ManyToManyField(
        BranchService,
        blank=True,
        related_name="desks",
        verbose_name=_("service lines"),
        help_text=_("The lines this desk calls from; none means every line of the branch."),
    )
    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk",
        verbose_name=_("agent at the desk"),
    )
    agent_since = models.DateTimeField(null=True, blank=True)

    objects = DeskQuerySet.as_manager()

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["branch", "label"]
        constraints = [models.UniqueConstraint(fields=["branch", "label"], name="one_desk_label_per_branch")]

    def __str__(self):
        return f"{self.branch} · {self.label}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        live.publish(f"lobby:{self.branch_id}", "changed")  # who sits at which desk

    def sit_down(self, agent) -> None:
        """The agent takes this desk for their shift (and leaves any other desk)."""
        if self.agent_id and self.agent_id != agent.pk:
            raise InvalidTransition(_("Someone else is at this desk. Ask them to leave it first."))
        with transaction.atomic():
            Desk.objects.filter(agent=agent).exclude(pk=self.pk).update(agent=None, agent_since=None)
            self.agent, self.agent_since = agent, timezone.now()
            self.save(update_fields=["agent", "agent_since"])

    def leave(self, agent) -> None:
        if self.agent_id != agent.pk:
            raise InvalidTransition(_("You are not at this desk."))
        self.agent, self.agent_since = None, None
        self.save(update_fields=["agent", "agent_since"])

    def line_queues(self):
        """The queues this desk calls from: its service lines, or all of the branch's."""
        services = self.services.all() if self.services.exists() else self.branch.services.all()
        return Queue.objects.filter(walk_in_services__in=services)


class NumberCounter(models.Model):
    """The last number handed out per branch, letter and local day."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+")
    letter = models.CharField(max_length=1)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "letter", "day"], name="one_counter_per_branch_letter_day"
            )
        ]

    def __str__(self):
        return f"{self.letter} {self.day}: {self.last}"

    @classmethod
    def next_number(cls, *, branch: Branch, letter: str, day: date) -> int:
        """The next number of the day, allocated by the database in one statement.

        Two front desks checking visitors in at the same moment get different numbers: the
        upsert takes the counter row's lock, so the second waits and counts on from the first.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (branch_id, letter, day, last) VALUES (%s, %s, %s, 1) "  # noqa: S608
                "ON CONFLICT (branch_id, letter, day) DO UPDATE SET last = "
                f"{table}.last + 1 RETURNING last",
                [branch.pk, letter, day],
            )
            return cursor.fetchone()[0]


class VisitQuerySet(models.QuerySet):
    def at_desks(self, branch):
        """Visitors being served right now, the latest called first."""
        return (
            self.filter(branch=branch, state=Visit.State.CALLED)
            .select_related("desk")
            .order_by(models.F("recalled_at").desc(nulls_last=True), "-called_at", "-pk")
        )


# What a button at the desk reads and changes; locked and read again before each change.
TURN_FIELDS = ["state", "service", "desk", "called_at", "recalled_at", "recall_count", "finished_at"]


class Visit(models.Model):
    """A walk-in visitor's turn: their number, their line, and the desk that called them."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("At a desk")
        SERVED = "served", _("Served")
        NO_SHOW = "no_show", _("Did not come when called")
        EXPIRED = "expired", _("Left before being called")

    ticket = models.OneToOneField("helpdesk.Ticket", on_delete=models.CASCADE, related_name="walk_in_visit")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="visits")
    service = models.ForeignKey(BranchService, on_delete=models.PROTECT, related_name="visits")
    day = models.DateField(_("day"))
    letter = models.CharField(max_length=1)
    number = models.PositiveIntegerField(_("number"))
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.WAITING)
    checked_in_at = models.DateTimeField(_("checked in"), default=timezone.now)
    desk = models.ForeignKey(Desk, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits")
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("called again"), null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("walk-in visit")
        verbose_name_plural = _("walk-in visits")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "day", "letter", "number"], name="one_number_per_branch_per_day"
            )
        ]
        indexes = [models.Index(fields=["branch", "state"], name="visit_branch_state")]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The lobby screen, the front desk and the desks of the branch show the visits.
        live.publish(f"lobby:{self.branch_id}", "changed")

    @property
    def code(self) -> str:
        return f"{self.letter}-{self.number:03d}"

    # --- the desk's buttons ------------------------------------------------------------------

    def called_to(self, desk: Desk, *, by) -> None:
        """The desk called this visitor (the ticket was just taken by `by` through take-next)."""
        if self.state != self.State.WAITING:
            raise InvalidTransition(_("This visitor is not waiting."))
        self.state, self.desk, self.called_at = self.State.CALLED, desk, timezone.now()
        self.recalled_at, self.recall_count = None, 0
        self.save(update_fields=["state", "desk", "called_at", "recalled_at", "recall_count"])
        self._record(TicketEntry.Event.WALK_IN_CALLED, by=by, desk=desk)

    def recall(self, *, by) -> None:
        """Call the number again: the lobby screen shows it once more, highlighted."""
        with transaction.atomic():
            self._lock_current_state()
            self._guard_at_desk()
            self.recalled_at, self.recall_count = timezone.now(), self.recall_count + 1
            self.save(update_fields=["recalled_at", "recall_count"])
            self._record(TicketEntry.Event.WALK_IN_RECALLED, by=by, desk=self.desk, public=False)

    def mark_no_show(self, *, by) -> None:
        """Called and called again, and nobody came: the turn ends and the request is closed."""
        with transaction.atomic():
            self._lock_current_state()
            self._guard_at_desk()
            if not self.recall_count:
                raise InvalidTransition(_("Call the number again before marking a no-show."))
            self.state, self.finished_at = self.State.NO_SHOW, timezone.now()
            self.save(update_fields=["state", "finished_at"])
            self._record(TicketEntry.Event.WALK_IN_NO_SHOW, by=by, desk=self.desk)
            self.ticket.close(by=by)

    def finish(self, *, by, solved: bool) -> None:
        """Served: the call to the desk was the first answer; solved at the desk resolves it."""
        with transaction.atomic():
            self._lock_current_state()
            self._guard_at_desk()
            self.state, self.finished_at = self.State.SERVED, timezone.now()
            self.save(update_fields=["state", "finished_at"])
            self.ticket.mark_first_response(self.called_at)
            if solved:
                self.ticket.resolve(by=by, on_first_contact=True)

    def transfer(self, service: BranchService, *, by) -> None:
        """Send the visitor to another line of the branch, keeping their place by arrival.

        The ticket keeps its arrival time (and so its queue key): in the new line the visitor
        stands where their original arrival puts them, not at the end.
        """
        with transaction.atomic():
            self._lock_current_state()
            if self.state not in (self.State.WAITING, self.State.CALLED):
                raise InvalidTransition(_("This visit is over."))
            if service.branch_id != self.branch_id or service.pk == self.service_id:
                raise InvalidTransition(_("Choose another line of this branch."))
            old_service = self.service
            ticket = self.ticket
            ticket.move_to_queue(service.queue)
            self.state, self.service, self.desk = self.State.WAITING, service, None
            self.called_at = self.recalled_at = None
            self.recall_count = 0
            self.save(update_fields=["state", "service", "desk", "called_at", "recalled_at", "recall_count"])
            ticket.record_event(
                TicketEntry.Event.WALK_IN_TRANSFERRED,
                by=by,
                data={"from": old_service.name_en, "to": service.name_en, "number": self.code},
                public=False,
            )

    def expire(self, *, by=None) -> None:
        """The visitor left before being called (they told the front desk, or the day ended
        with them still waiting): their turn ends and their request closes."""
        with transaction.atomic():
            self._lock_current_state()
            if self.state != self.State.WAITING:
                raise InvalidTransition(_("This visitor is not waiting."))
            self.state, self.finished_at = self.State.EXPIRED, timezone.now()
            self.save(update_fields=["state", "finished_at"])
            # Taken by an agent from the queue page meanwhile: theirs to finish, not ours to close.
            if self.ticket.is_in_line:
                self.ticket.close(by=by)

    def _lock_current_state(self) -> None:
        """Lock the visit's row (inside a transaction) and read its turn as it is now: of two
        agents pressing a button at once, the second sees what the first did."""
        type(self).objects.select_for_update().filter(pk=self.pk).values_list("pk").first()
        self.refresh_from_db(fields=TURN_FIELDS)

    def _guard_at_desk(self) -> None:
        if self.state != self.State.CALLED:
            raise InvalidTransition(_("This visitor is not at a desk."))

    def _record(self, event, *, by, desk, public=True) -> None:
        self.ticket.record_event(
            event, by=by, data={"number": self.code, "desk": desk.label if desk else ""}, public=public
        )
