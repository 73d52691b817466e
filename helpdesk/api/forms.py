"""Validation of what an integration sends, and the managers' form for a new integration.

The API checks its input with a Django form rather than with the schema alone, so that its
field errors are the same, translated messages the web form gives (in the client's
Accept-Language).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.forms.fields import PhoneField
from helpdesk.models import ApiIntegration, Category, Language


class ApiTicketForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    phone = PhoneField(
        error_messages={"invalid": _("Enter a phone number, with its country code if it is not Hungarian.")}
    )
    language = forms.ChoiceField(choices=Language.choices, required=False)
    category = forms.SlugField(required=False)
    subject = forms.CharField(max_length=200, required=False)
    description = forms.CharField(max_length=20_000)
    external_id = forms.CharField(max_length=200, required=False)

    def clean_category(self) -> Category | None:
        slug = self.cleaned_data["category"]
        if not slug:
            return None
        category = Category.objects.active().filter(slug=slug).first()
        if category is None:
            raise forms.ValidationError(_("There is no active category with this slug."))
        return category

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.has_error("email"):
            message = _("Give an email address or a phone number, so that we can answer the customer.")
            self.add_error("email", message)
            if not self.has_error("phone"):
                self.add_error("phone", message)
        return cleaned


class IntegrationForm(forms.ModelForm):
    class Meta:
        model = ApiIntegration
        fields = ["name"]
        help_texts = {"name": _("The system that will use the token, e.g. “Web shop”.")}
