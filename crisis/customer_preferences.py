"""The customer's incident updates as a preference on the helpdesk's customer page
(helpdesk.hooks.CUSTOMER_PREFERENCES): an agent stops them all at the customer's request. What the
customer receives now is the customer fact beside it (crisis.customer_facts)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crisis.models import Subscription
from helpdesk.hooks import CustomerPreference


def _field(customer) -> forms.Field:
    return forms.BooleanField(
        label=_("Stop every incident update they receive now"),
        required=False,
        help_text=_("Subscriptions and the updates of incidents their requests are linked to."),
    )


def _apply(customer, stop: bool) -> bool:
    return bool(stop) and Subscription.opt_out_of_every_incident(customer) > 0


def _describe(stop: bool) -> str:
    return gettext("incident updates stopped")


INCIDENT_UPDATES = CustomerPreference("stop_incident_updates", _field, _apply, _describe)
