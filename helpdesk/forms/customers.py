"""The agents' forms on a customer: merging a duplicate record into the one they keep, the team's
note, and the preferences changed at the customer's request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Customer
from helpdesk.personal_data.preferences import preferences


class CustomerMergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label=_("The duplicate"),
        queryset=Customer.objects.none(),
        error_messages={"invalid_choice": _("This customer no longer exists: perhaps already merged.")},
    )

    def __init__(self, kept: Customer, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = Customer.objects.exclude(pk=kept.pk)


class CustomerNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note about the customer"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the team only: the customer never sees it."),
    )
    # The note's time when the page was opened: a colleague's newer note is not overwritten.
    seen_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)


class CustomerPreferencesForm(forms.Form):
    """Every preference (helpdesk.personal_data.preferences), each with its current value, and how
    the customer asked for the change: no change without the customer's request."""

    def __init__(self, customer: Customer, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preference_names = []
        for preference in preferences():
            self.fields[preference.name] = preference.field(customer)
            self.preference_names.append(preference.name)
        self.fields["request"] = forms.CharField(
            label=_("How the customer asked"),
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Where and when they asked for it: on the phone today, in their email of 3 March…"),
            error_messages={"required": _("Say how the customer asked for the change.")},
        )

    def preference_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.preference_names}
