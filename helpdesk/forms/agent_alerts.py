from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.models import AgentAlert


class AlertEmailsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Also send me an email when"),
        choices=AgentAlert.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every notification shows in the list here; these also come by email, in your language."),
    )
