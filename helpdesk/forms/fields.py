"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from helpdesk.models import normalise_phone


class PlainQueryChoices(ModelChoiceIterator):
    """Reads a field's choices with one ordinary query.

    Django's iterator calls `queryset.iterator()`, which on PostgreSQL opens a server-side cursor:
    three round trips (declare, fetch, close) to list a score of categories or agents, on pages
    whose every millisecond counts. The lists offered in a form are short; one query reads them.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = PlainQueryChoices


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = PlainQueryChoices


class PhoneField(forms.CharField):
    """A phone number we can read (see normalise_phone), kept as typed; optional unless asked."""

    default_error_messages = {"invalid": _("This is not a phone number we can read.")}

    def __init__(self, **kwargs):
        super().__init__(**{"max_length": 40, "required": False, **kwargs})

    def clean(self, value):
        phone = super().clean(value)
        if phone and not normalise_phone(phone):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return phone
