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
