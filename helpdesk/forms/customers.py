"""The agents' form for merging a duplicate customer record into the one they keep."""

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Customer


class CustomerMergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label=_("The duplicate"),
        queryset=Customer.objects.none(),
        error_messages={"invalid_choice": _("This customer no longer exists: perhaps already merged.")},
    )

    def __init__(self, kept: Customer, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = Customer.objects.exclude(pk=kept.pk)
