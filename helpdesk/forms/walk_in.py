"""Forms of the walk-in pages: checking a visitor in, finishing a visit, sending to another line."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helpdesk.channels.web import CategoryChoiceField
from helpdesk.forms.fields import ModelChoiceField, PhoneField
from helpdesk.models import BranchService, Category


class ServiceChoiceField(ModelChoiceField):
    def label_from_instance(self, service):
        return f"{service.letter} · {service.name}"


class CheckInForm(forms.Form):
    service = ServiceChoiceField(
        label=_("Line"), queryset=BranchService.objects.none(), empty_label=None, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    need = forms.CharField(
        label=_("What they need"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A few words in the visitor's own terms, or choose a category."),
    )
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.active(), required=False, empty_label=_("None")
    )
    phone = PhoneField(
        label=_("Phone (optional)"),
        help_text=_("With a phone or email the visitor can follow their place in line on their phone."),
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = branch.services.all()
        first = self.fields["service"].queryset.first()
        if first and not self.is_bound:
            self.initial.setdefault("service", first.pk)

    def clean(self):
        data = super().clean()
        if not (data.get("need") or "").strip() and not data.get("category"):
            raise ValidationError(
                {"need": _("Write what the visitor needs in a few words, or choose a category.")}
            )
        return data


class FinishForm(forms.Form):
    solved = forms.BooleanField(label=_("Solved at the desk"), required=False)


class TransferForm(forms.Form):
    service = ServiceChoiceField(label=_("Send to the line"), queryset=BranchService.objects.none())

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = visit.branch.services.exclude(pk=visit.service_id)
