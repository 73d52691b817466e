from django import forms
from django.utils.translation import gettext_lazy as _


class ResolveAttentionRequestForm(forms.Form):
    note = forms.CharField(
        label=_("What you did"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The agents on the request read it, so say what happens next."),
    )
