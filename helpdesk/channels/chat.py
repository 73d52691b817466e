"""Live chat as an intake channel: the start form, opening hours, and the turn into a ticket."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

from crispy_forms.layout import Field
from django import forms
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from helpdesk import agent_alerts, intake
from helpdesk.forms.layout import fields_only
from helpdesk.models import Channel, Chat, Queue
from helpdesk.models.routing import CalendarState
from helpdesk.rate_limits import HOUR, Limit


class ChatStartForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        help_text=_("If you give it, we email you the conversation when the chat ends."),
    )
    message = forms.CharField(
        label=_("How can we help?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5_000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only(
            Field("name", autocomplete="name"), Field("email", autocomplete="email"), "message"
        )

    def web_form_url(self) -> str:
        """The web form, filled in with what they typed here (when the chat is closed)."""
        data = self.data
        prefill = {
            "name": data.get("name", ""),
            "email": data.get("email", ""),
            "description": data.get("message", ""),
        }
        query = urlencode({key: value for key, value in prefill.items() if value})
        return reverse("helpdesk:ticket-new") + (f"?{query}" if query else "")


def chat_queue() -> Queue | None:
    return Queue.objects.select_related("calendar").for_chat()


def opening_state(queue: Queue | None, now: datetime) -> CalendarState | None:
    """Whether the chat is staffed now (the chat queue's business calendar); None: no queue."""
    if queue is None:
        return None
    return queue.calendar.state_at(now)


def limits(ip: str | None) -> list[Limit]:
    """Chats one client address may start; none counted without an address."""
    return [Limit("chat-ip", ip, settings.CHAT_LIMIT_PER_IP_PER_HOUR, HOUR)] if ip else []


@transaction.atomic
def start_chat(
    *, queue: Queue, name: str, email: str, message: str, source_ip: str | None, about=None
) -> Chat:
    """A chat becomes a ticket in the chat queue's line, like any request.

    No acknowledgement email: the customer is on the page and sees their place in line; the
    transcript is emailed when the chat ends. `about` is the request they came from (the
    status page's "Chat with us"): the chat is linked to it for the agent.
    """
    ticket = intake.receive(
        channel=Channel.CHAT,
        identity_verified=False,
        subject="",
        body=message,
        name=name,
        email=email,
        language=(get_language() or "en")[:2],
        queue=queue,
        source_ip=source_ip,
        acknowledge=False,
    )
    if about is not None and about.customer_id == ticket.customer_id:
        ticket.link(about, by=None)
    agent_alerts.chat_waiting(ticket)
    return Chat.objects.create(ticket=ticket)


def end_silent_chats(now: datetime) -> int:
    """End the chats whose customer's page has been silent for CHAT_SILENCE_MINUTES."""
    silent_since = now - timedelta(minutes=settings.CHAT_SILENCE_MINUTES)
    ended = 0
    for chat in Chat.objects.silent_since(silent_since).select_related("ticket__customer"):
        chat.end(reason=Chat.EndReason.SILENCE)
        ended += 1
    return ended
