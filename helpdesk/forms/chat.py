"""Forms of a live chat: a line from either side, the agent's hold notice, and the poll."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from helpdesk.models.chat import HOLD_MINUTES, HOLD_REASONS


class ChatMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5_000
    )


class AgentChatMessageForm(ChatMessageForm):
    """In the workspace, beside the reply and note forms: prefixed so names and ids stay unique."""

    prefix = "chat"
    body = forms.CharField(
        label=_("Chat message"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5_000
    )


class HoldNoticeForm(forms.Form):
    prefix = "hold"
    reason = forms.ChoiceField(label=_("What are you checking?"), choices=list(HOLD_REASONS.items()))
    text = forms.CharField(
        label=_("Or in your own words"),
        required=False,
        max_length=300,
        help_text=_("Written in the customer's language; leave empty to use the choice above."),
    )
    minutes = forms.TypedChoiceField(
        label=_("Back in about"),
        coerce=int,
        initial=5,
        choices=[
            (
                minutes,
                ngettext_lazy("%(minutes)d minute", "%(minutes)d minutes", "minutes") % {"minutes": minutes},
            )
            for minutes in HOLD_MINUTES
        ],
    )


@dataclass(frozen=True)
class PollForm:
    """What a polling page says: the last entry it shows, whether its person is typing, and
    the state it shows (so unchanged parts are not sent again, and screen readers stay quiet)."""

    after: int = 0
    typing: bool = False
    status_key: str = ""
    typing_key: str = ""

    @classmethod
    def from_request(cls, request) -> PollForm:
        after = request.POST.get("after", "")
        return cls(
            after=int(after) if after.isdigit() else 0,
            typing=request.POST.get("typing") == "1",
            status_key=request.POST.get("status_key", "")[:200],
            typing_key=request.POST.get("typing_key", "")[:50],
        )

    @staticmethod
    def key(*parts) -> str:
        """A short fingerprint of what a part of the page shows."""
        return "|".join("" if part is None else str(part) for part in parts)
