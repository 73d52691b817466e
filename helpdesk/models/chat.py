"""A live chat: one conversation on one ticket, while the customer is on the page.

Every line either side writes is a TicketEntry on the ticket's timeline, so the conversation
stays on the ticket after the chat ends. This model only holds what is live: who joined, who
is typing, the hold notice and its countdown, and when the chat ended and why.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpdesk import live
from helpdesk.models.errors import InvalidTransition
from helpdesk.models.staff import staff_name
from helpdesk.models.timeline import Channel, TicketEntry
from helpdesk.references import hash_token, new_status_token

# A typing heartbeat older than this means the person stopped typing (or closed the page).
TYPING_FRESH_FOR = timedelta(seconds=5)
# The customer's page says "still here" with each poll or through its open stream; the chat
# records it on its row at most this often (enough for the silence of CHAT_SILENCE_MINUTES),
# so an open page costs no row write a second.
SEEN_RECORDED_EVERY = timedelta(minutes=1)
# The other side is told of a typing heartbeat at most this often. Each poll of the typing page
# carries its heartbeat, and with push the typing page looks again on every event of its chat,
# its own included: told each time, it went on polling as fast as the round trip allowed while
# its person typed (make loadtest: some 30 requests per chat line). Told every 2 s, the other
# side's look when "typing" goes stale (TYPING_FRESH_FOR + 1 s after the last event) is always
# put off in time while the typing goes on.
TYPING_TOLD_EVERY = timedelta(seconds=2)
# A typing heartbeat arriving this soon after the same person's line was sent is ignored: it left
# the page before the line did (the two requests cross on the way).
LINE_ENDS_TYPING_FOR = timedelta(seconds=1)

# The entries a chat shows: both sides' words and the chat's own events. Internal notes and
# the ticket's bookkeeping stay in the workspace.
CHAT_EVENTS = [
    TicketEntry.Event.CHAT_JOINED,
    TicketEntry.Event.CHAT_HOLD_OVER,
    TicketEntry.Event.CHAT_ENDED,
]

# What an agent says they are doing while the customer waits: chosen in the agent's language,
# posted in the customer's.
HOLD_REASONS = {
    "bill": _("I am checking your bill"),
    "account": _("I am looking into your account"),
    "systems": _("I am checking our systems"),
    "colleague": _("I am asking a colleague who knows this best"),
}
HOLD_MINUTES = [2, 5, 10, 15]


class ChatQuerySet(models.QuerySet):
    def with_token(self, token: str):
        return self.filter(token_hash=hash_token(token))

    def live(self):
        return self.filter(ended_at__isnull=True)

    def followable_by(self, agent):
        """The chats whose changes an agent's page may follow by push: those waiting in or taken
        from a queue the agent follows (helpdesk.queue.line.queues_followed_by), and the agent's
        own. Another colleague's chat in another team's queue opens in the workspace too, but
        its panel polls."""
        from helpdesk.queue.line import queues_followed_by  # the line module reads these models

        return self.filter(
            models.Q(ticket__queue__in=queues_followed_by(agent))
            | models.Q(agent=agent)
            | models.Q(ticket__assignee=agent)
        )

    def silent_since(self, moment: datetime):
        """Live chats whose customer's page has not asked for news since `moment` (they left)."""
        return self.live().filter(customer_seen_at__lt=moment)

    def erase_personal_data(self) -> None:
        """The chat's lines are timeline entries (erased with them); its link stops working and a
        live chat ends, so nobody holding the old link reads or writes there again."""
        for chat in self:
            type(chat).objects.filter(pk=chat.pk).update(
                token_hash=hash_token(new_status_token()), ended_at=chat.ended_at or timezone.now()
            )


class Chat(models.Model):
    class EndReason(models.TextChoices):
        CUSTOMER = "customer", _("The customer ended the chat")
        AGENT = "agent", _("The agent ended the chat")
        SILENCE = "silence", _("The customer left the chat")

    ticket = models.OneToOneField("helpdesk.Ticket", on_delete=models.CASCADE, related_name="chat")
    # The customer's key to the conversation; like a status link, it grants only this chat. Only
    # its hash is stored: the token itself is known to the request that started the chat or
    # presents it (`token`).
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token = ""
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    joined_at = models.DateTimeField(_("agent joined"), null=True, blank=True)
    customer_seen_at = models.DateTimeField(default=timezone.now)
    hold_until = models.DateTimeField(_("back by"), null=True, blank=True)
    hold_reminded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("how it ended"), max_length=10, choices=EndReason, blank=True)

    objects = ChatQuerySet.as_manager()

    class Meta:
        verbose_name = _("live chat")
        verbose_name_plural = _("live chats")
        indexes = [
            models.Index(
                fields=["customer_seen_at"], condition=models.Q(ended_at__isnull=True), name="chat_live_seen"
            )
        ]

    def __str__(self):
        return f"chat on {self.ticket_id}"

    def save(self, *args, **kwargs):
        if not self.token_hash:  # a new chat: its token is drawn now, shown once, never stored
            self.token = new_status_token()
            self.token_hash = hash_token(self.token)
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        return self.ended_at is None

    @property
    def live_channel(self) -> str:
        """Where the chat's changes are published (helpdesk.live): both sides' pages follow it."""
        return chat_channel(self.pk)

    def agent_is_typing(self, now: datetime) -> bool:
        return self._is_typing("agent", now)

    def customer_is_typing(self, now: datetime) -> bool:
        return self._is_typing("customer", now)

    def is_on_hold(self, now: datetime) -> bool:
        return bool(self.is_live and self.hold_until and self.hold_until > now)

    def hold_is_over(self, now: datetime) -> bool:
        """The agent promised to be back by now and has not written since."""
        return bool(self.is_live and self.hold_until and self.hold_until <= now)

    # --- what the pages read ---------------------------------------------------------------

    def entries_after(self, entry_id: int, *, for_agent: bool):
        """The conversation after the entry a page already shows, in order (one query).

        The customer's side reads public entries only, so an internal note never reaches it.
        """
        shown = models.Q(kind__in=[TicketEntry.Kind.MESSAGE, TicketEntry.Kind.REPLY]) | models.Q(
            kind=TicketEntry.Kind.EVENT, event__in=CHAT_EVENTS
        )
        entries = TicketEntry.objects.filter(shown, ticket_id=self.ticket_id, pk__gt=entry_id)
        if not for_agent:
            entries = entries.filter(is_public=True)
        return entries.select_related("author").order_by("pk")

    # --- heartbeats: in the cache; the chat's row hears from the customer once a minute -----

    def customer_polled(self, *, typing: bool, now: datetime) -> None:
        self._typing("customer", typing, now)
        self.customer_still_here(now)

    def agent_polled(self, *, typing: bool, now: datetime) -> None:
        self._typing("agent", typing, now)

    def customer_still_here(self, now: datetime) -> None:
        """The customer's page is open: recorded for the silence scan at most once a minute (the
        first process to claim the minute in the cache writes it)."""
        key, every = f"chat:{self.pk}:seen-recorded", SEEN_RECORDED_EVERY.total_seconds()
        if cache.add(key, True, timeout=every):
            self.customer_seen_at = now
            type(self).objects.filter(pk=self.pk).update(customer_seen_at=now)

    def _typing_key(self, side: str) -> str:
        return typing_cache_key(self.pk, side)

    def _line_sent(self, side: str, now: datetime) -> None:
        """The line ends the typing; a heartbeat still on its way from before it is not news.
        Nobody is told apart: the line's own event ends "typing" on the other side's pages."""
        key = self._typing_key(side)
        cache.set(f"{key}-sent", True, timeout=LINE_ENDS_TYPING_FOR.total_seconds())
        cache.delete_many([key, f"{key}-told"])

    def _is_typing(self, side: str, now: datetime) -> bool:
        since = cache.get(self._typing_key(side))
        return bool(since and now - since < TYPING_FRESH_FOR)

    def _typing(self, side: str, typing: bool, now: datetime) -> None:
        typing_heartbeat(chat_id=self.pk, side=side, name=self.name_of(side), typing=typing, now=now)

    def name_of(self, side: str) -> str:
        """How the other side's page names this side ("Anna is typing…")."""
        if side == "customer":
            return self.ticket.requester_name or self.ticket.customer.display_name
        if self.agent is None:
            return ""
        return self.agent.first_name or self.agent.get_username()

    def _changed(self) -> None:
        live.publish(self.live_channel, "changed")

    def _line_published(self, entry: TicketEntry, side: str) -> None:
        """A line carries itself to the other side's pages, drawn for each side
        (helpdesk.chat_live): they show it without asking."""
        from helpdesk import chat_live

        live.publish(self.live_channel, "line", chat_live.line_event(self, entry, side=side))

    # --- transitions -----------------------------------------------------------------------

    def join(self, agent) -> None:
        """An agent takes the conversation: the customer sees their first name."""
        from helpdesk import agent_alerts

        self._guard_live()
        if self.agent_id == agent.pk:
            return
        with transaction.atomic():
            self.ticket.assign(agent, by=agent)
            agent_alerts.chat_joined(self.ticket)
            self.agent, self.joined_at = agent, timezone.now()
            self.save(update_fields=["agent", "joined_at"])
            self.ticket.record_event(
                TicketEntry.Event.CHAT_JOINED,
                by=agent,
                data={"agent": staff_name(agent)},
                body="",
            )
            self._changed()

    def post_customer_message(self, body: str) -> TicketEntry:
        self._guard_live()
        now = timezone.now()
        with transaction.atomic():
            entry = self.ticket.receive_customer_message(body=body.strip(), channel=Channel.CHAT)
            self._line_sent("customer", now)
            self.customer_still_here(now)
            self._line_published(entry, "customer")
        return entry

    def post_agent_message(self, *, by, body: str, data: dict | None = None) -> TicketEntry:
        """The agent writes: joining first if they had not; any hold notice is over."""
        self._guard_live()
        with transaction.atomic():
            self.join(by)
            entry = self.ticket.reply(by=by, body=body, by_email=False, data=data)
            self._line_sent("agent", entry.created_at)
            if self.hold_until or self.hold_reminded_at:  # the countdown ends: the status changes
                self.hold_until = self.hold_reminded_at = None
                self.save(update_fields=["hold_until", "hold_reminded_at"])
                self._changed()
            self._line_published(entry, "agent")
        return entry

    def put_on_hold(self, *, by, reason: str, minutes: int, text: str = "") -> TicketEntry:
        """Say what the agent is checking and how long they will be away; the customer gets a
        countdown and the agent a reminder when it runs out."""
        if minutes <= 0:
            raise InvalidTransition(_("Say how many minutes you will be away."))
        with translation.override(self.ticket.language):
            text = text.strip() or str(HOLD_REASONS[reason])
            back = ngettext(
                "back in about %(minutes)d minute.", "back in about %(minutes)d minutes.", minutes
            ) % {"minutes": minutes}
            body = f"{text.rstrip('.!,;:')}, {back}"
        with transaction.atomic():
            entry = self.post_agent_message(by=by, body=body, data={"hold_minutes": minutes})
            self.hold_until = entry.created_at + timedelta(minutes=minutes)
            self.save(update_fields=["hold_until"])
            self._changed()
        return entry

    def remind_if_hold_over(self, now: datetime) -> bool:
        """Once per hold notice, when its time has run out: an internal line on the timeline.

        Claimed with a conditional UPDATE, so two open agent pages never record it twice.
        """
        if not self.hold_is_over(now) or self.hold_reminded_at is not None:
            return False
        claimed = (
            type(self)
            .objects.filter(pk=self.pk, hold_until=self.hold_until, hold_reminded_at__isnull=True)
            .update(hold_reminded_at=now)
        )
        self.hold_reminded_at = now
        if claimed:
            self.ticket.record_event(
                TicketEntry.Event.CHAT_HOLD_OVER,
                public=False,
                data={"hold_until": self.hold_until.isoformat()},
            )
            self._changed()
        return bool(claimed)

    def end(self, *, reason: str, by=None) -> None:
        """The chat is over; the conversation stays on the ticket and its transcript is emailed
        to the customer when we have their address."""
        from helpdesk.mail import outbox

        self._guard_live()
        with transaction.atomic():
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, ended_at__isnull=True)
                .update(ended_at=timezone.now(), end_reason=reason, hold_until=None)
            )
            if not claimed:  # ended a moment ago by the other side or the silence scan
                return
            self.refresh_from_db(fields=["ended_at", "end_reason", "hold_until"])
            self.agent_polled(typing=False, now=self.ended_at)
            self._changed()
            self.ticket.record_event(TicketEntry.Event.CHAT_ENDED, by=by, data={"reason": reason})
            self.ticket.leave_live_channel()
            if self.ticket.customer.email:
                outbox.chat_transcript(self)

    def _guard_live(self) -> None:
        if not self.is_live:
            raise InvalidTransition(_("This chat has ended."))


def typing_heartbeat(*, chat_id: int, side: str, name: str, typing: bool, now: datetime) -> None:
    """A heartbeat while typing, or its end: in the cache (a polling page reads it there) and
    told to the other side's pages with the name to show and when it goes stale, so they show
    it without asking. Needs no row: the typing request of a page with push reads nothing
    (helpdesk.views.chat.chat_typing)."""
    key = typing_cache_key(chat_id, side)
    if typing and cache.get(f"{key}-sent"):
        return  # a heartbeat that crossed the line it was about: the line ended the typing
    if typing:
        cache.set(key, now, timeout=TYPING_FRESH_FOR.total_seconds())
        if not cache.add(f"{key}-told", True, timeout=TYPING_TOLD_EVERY.total_seconds()):
            return  # the other side heard of this typing a moment ago
    elif cache.get(key) is None:
        return
    else:
        cache.delete_many([key, f"{key}-told"])
    data = {"side": side, "typing": typing, "name": name, "stale_after": TYPING_FRESH_FOR.total_seconds() + 1}
    live.publish(chat_channel(chat_id), "typing", data)


def chat_channel(chat_id: int) -> str:
    return f"chat:{chat_id}"


def typing_cache_key(chat_id: int, side: str) -> str:
    """Where a side's last typing heartbeat is kept ("-sent" and "-told" beside it)."""
    return f"chat:{chat_id}:{side}-typing"
