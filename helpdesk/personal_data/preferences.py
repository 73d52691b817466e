"""What a customer asked for: their language, and what other apps keep (surveys, incident
updates: `hooks.CUSTOMER_PREFERENCES`). An agent changes them at the customer's request on the
customer's page; each change is recorded with who, when and how the customer asked."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpdesk import hooks
from helpdesk.hooks import CustomerPreference
from helpdesk.models import Customer, PreferenceChange
from helpdesk.models.customer import Language

LATEST_CHANGES = 5


def _language_field(customer: Customer) -> forms.Field:
    return forms.ChoiceField(
        label=_("Language of our messages"), choices=Language.choices, initial=customer.language
    )


def _describe_language(value: str) -> str:
    return gettext("Language: %(language)s") % {"language": dict(Language.choices).get(value, value)}


LANGUAGE = CustomerPreference("language", _language_field, Customer.set_language, _describe_language)


def preferences() -> list[CustomerPreference]:
    """The helpdesk's own, then those of the installed apps."""
    return [LANGUAGE, *hooks.CUSTOMER_PREFERENCES.entries()]


def change_preferences(customer: Customer, values: dict, *, request: str, by) -> list[dict]:
    """Apply the values that differ from the current ones; one record of what changed (none when
    nothing did). Returns the changes."""
    with transaction.atomic():
        changes = [
            {"preference": preference.name, "value": values[preference.name]}
            for preference in preferences()
            if preference.name in values and preference.apply(customer, values[preference.name])
        ]
        if changes:
            PreferenceChange.objects.create(customer=customer, by=by, changes=changes, request=request)
    return changes


def describe(changes: list[dict]) -> str:
    """The changes as a sentence in the reader's language."""
    by_name = {preference.name: preference for preference in preferences()}
    described = [
        by_name[change["preference"]].describe(change["value"])
        if change["preference"] in by_name
        else gettext("a preference kept by a part of the site no longer installed")
        for change in changes
    ]
    return "; ".join(described)


def latest_changes(customer: Customer) -> list[PreferenceChange]:
    """The latest changes, each with `described` (one query)."""
    rows = list(customer.preference_changes.select_related("by").order_by("-at", "-pk")[:LATEST_CHANGES])
    for row in rows:
        row.described = describe(row.changes)
    return rows
