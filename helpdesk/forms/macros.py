"""The managers' form of a canned response or macro (the text, and what it sets on the ticket)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.forms.fields import ModelChoiceField
from helpdesk.models import CannedResponse, Category
from helpdesk.models.tags import TAG_MAX_LENGTH
from helpdesk.models.workspace import PLACEHOLDER

BRACES = re.compile(r"\{[^{}\s]*\}")


class MacroForm(forms.ModelForm):
    category = ModelChoiceField(
        label=_("Category"), queryset=Category.objects.order_by("slug"), required=False, empty_label=_("Any")
    )

    class Meta:
        model = CannedResponse
        fields = [
            "title",
            "language",
            "category",
            "body",
            "then_status",
            "set_priority",
            "add_tags",
            "position",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def clean_body(self):
        """A misspelt placeholder would reach the customer as typed: "{customer_nmae}"."""
        body = self.cleaned_data["body"]
        unknown = [braces for braces in BRACES.findall(body) if not PLACEHOLDER.fullmatch(braces)]
        if unknown:
            raise forms.ValidationError(
                _("Unknown placeholder: %(placeholders)s. The placeholders are listed under the text."),
                params={"placeholders": ", ".join(dict.fromkeys(unknown))},
            )
        return body

    def clean_add_tags(self):
        tags = self.cleaned_data["add_tags"]
        too_long = [part.strip() for part in tags.split(",") if len(" ".join(part.split())) > TAG_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("A tag has at most %(max)s characters: %(tag)s"),
                params={"max": TAG_MAX_LENGTH, "tag": too_long[0]},
            )
        return tags
