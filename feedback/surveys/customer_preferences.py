"""Follow-up surveys as a preference on the helpdesk's customer page
(helpdesk.hooks.CUSTOMER_PREFERENCES): an agent opts the customer out, or back in, at their request."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from feedback.models import SurveyOptOut
from helpdesk.hooks import CustomerPreference


def _field(customer) -> forms.Field:
    return forms.BooleanField(
        label=_("No follow-up surveys"),
        required=False,
        initial=SurveyOptOut.objects.filter(customer_id=customer.pk).exists(),
    )


def _apply(customer, no_surveys: bool) -> bool:
    return SurveyOptOut.set_for(customer, opted_out=no_surveys)


def _describe(no_surveys: bool) -> str:
    return gettext("opted out of surveys") if no_surveys else gettext("receives surveys again")


SURVEYS = CustomerPreference("no_surveys", _field, _apply, _describe)
