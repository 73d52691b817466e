"""Saving the queue page's filter under a name, and a manager sharing it with a queue."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Save this filter as"), max_length=80)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class ShareViewForm(forms.Form):
    """The queues offered are read once for the page (a list, not a query per view's form)."""

    queue = forms.TypedChoiceField(label=_("Share with"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.queues = {queue.pk: queue for queue in queues}
        self.fields["queue"].choices = [("", _("Nobody: only me")), *((q.pk, q.name) for q in queues)]

    def chosen_queue(self):
        return self.queues.get(self.cleaned_data["queue"])
