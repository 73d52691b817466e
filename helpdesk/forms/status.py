from django import forms
from django.utils.translation import gettext_lazy as _


class SummaryCorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("What should we correct?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words: what did we get wrong or leave out?"),
    )
