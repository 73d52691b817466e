"""A phone call written down by the agent who took it: the customer, their words, the outcome."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helpdesk.channels.web import CategoryChoiceField
from helpdesk.forms.fields import PhoneField
from helpdesk.forms.workspace import AgentChoiceField, agents
from helpdesk.models import Category, Channel, Customer, Priority

SEARCH_RESULTS = 8


class CallForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.all(), required=False)
    # A caller we do not know yet, created with the ticket.
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    phone = PhoneField(label=_("Phone"))
    email = forms.EmailField(label=_("Email"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)

    body = forms.CharField(
        label=_("What the customer told you"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        help_text=_("In the customer's words where you can: a complaint on the phone is a complaint."),
    )
    subject = forms.CharField(label=_("Subject (optional)"), max_length=200, required=False)
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.active(), required=False, empty_label=_("None")
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("The category's default")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    solved = forms.BooleanField(label=_("Solved during the call"), required=False)
    assignee = AgentChoiceField(
        label=_("Who follows it up"),
        queryset=agents(),
        required=False,
        empty_label=_("Nobody yet: the queue"),
        help_text=_("You, unless you hand it to a colleague or leave it to the queue."),
    )

    def clean(self):
        data = super().clean()
        unknown = not data.get("customer") and not (data.get("phone") or data.get("email"))
        if unknown and "phone" not in self.errors and "email" not in self.errors:
            raise ValidationError(
                _("Choose the caller from the search, or give a phone number or an email for a new one."),
                code="no_customer",
            )
        return data

    def intake_arguments(self, *, agent) -> dict:
        data = self.cleaned_data
        customer = data["customer"]
        if customer:
            who = {"customer": customer}
            language = customer.language
        else:
            who = {"name": data["name"], "email": data["email"], "phone": data["phone"]}
            language = data["language"] or settings.LANGUAGE_CODE
        return {
            **who,
            "language": language,
            "channel": Channel.PHONE,
            "identity_verified": True,  # the agent is talking to the caller
            "by": agent,
            "subject": data["subject"],
            "body": data["body"],
            "category": data["category"],
            "priority": data["priority"],
            "solved_on_first_contact": data["solved"],
            "assignee": data["assignee"],
        }


def find_callers(text: str):
    """The live search: matching customers with their open requests, counted by the database."""
    return Customer.objects.search(text).with_open_ticket_count().order_by("name", "pk")[:SEARCH_RESULTS]
