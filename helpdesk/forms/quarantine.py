from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.forms.fields import ModelChoiceField, PhoneField
from helpdesk.models import Category, Language


class ConvertToTicketForm(forms.Form):
    """What an agent confirms to turn a quarantined email into a ticket."""

    name = forms.CharField(label=_("Customer's name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Customer's email"), required=False)
    phone = PhoneField(label=_("Customer's phone"))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    category = ModelChoiceField(
        label=_("Category"), queryset=Category.objects.active(), required=False, empty_label=_("No category")
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("What the customer wrote"), widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean(self):
        data = super().clean()
        # Either one is a way to answer: a message may give only a phone number.
        if not data.get("email") and not data.get("phone") and not {"email", "phone"} & set(self.errors):
            raise forms.ValidationError(
                _("Give the customer's email address or phone number, so that we can answer them."),
                code="no_contact",
            )
        return data


class DiscardForm(forms.Form):
    note = forms.CharField(
        label=_("Why no ticket is needed"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the message, so that a colleague can see what was decided and why."),
    )
