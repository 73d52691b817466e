"""Form fields shared by the apps' forms."""

from django import forms
from django.forms.models import ModelChoiceIterator


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
