from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helpdesk.channels.web import MultipleFileField
from helpdesk.references import normalise_reference


class SummaryCorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("What should we correct?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words: what did we get wrong or leave out?"),
    )


class StatusLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=20,
        help_text=_("Eight letters and numbers, like K7MX-4R9D. It is in our confirmation email."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The address you gave us with your request."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_reference(self):
        # Only the form of the reference is checked here, which tells nobody anything about our data.
        reference = normalise_reference(self.cleaned_data["reference"])
        if not reference:
            raise ValidationError(
                _(
                    "This does not look like one of our references. "
                    "A reference has eight letters and numbers, like K7MX-4R9D."
                )
            )
        return reference


class StatusLinksForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send the links of your open and recent requests to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="links", **kwargs)


class CustomerReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField()

    def incoming_attachments(self):
        return self.cleaned_data["attachments"]
