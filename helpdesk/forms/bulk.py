"""The queue page's bulk actions: which tickets (ticked, or all matching the filter) and what."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helpdesk.forms.workspace import AgentChoiceField, agents, text_area
from helpdesk.models import BulkChange, Priority, Ticket
from helpdesk.models.tags import TAG_MAX_LENGTH, normalise_tag

COLLEAGUE = "assign:colleague"  # the colleague is chosen on the confirmation page
MERGE = "merge:"  # so is the request the others are merged into
TAG = "tag:"  # and the tag to add
MERGE_LIMIT = 25  # a merge joins the duplicates of one customer: a page is plenty


def action_choices():
    return [
        ("", _("Choose a change…")),
        (_("Status"), [(f"status:{value}", label) for value, label in Ticket.Status.choices]),
        (_("Priority"), [(f"priority:{value}", label) for value, label in Priority.choices]),
        (
            _("Assign"),
            [
                ("assign:me", _("Assign to me")),
                (COLLEAGUE, _("Assign to a colleague…")),
                ("assign:", _("Back to the queue (nobody)")),
            ],
        ),
        (_("Tags"), [(TAG, _("Add a tag…"))]),
        (_("Duplicates"), [(MERGE, _("Merge into one…"))]),
    ]


class TicketIdsField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return sorted({int(item) for item in value or []})
        except (TypeError, ValueError):
            raise ValidationError(_("The selection could not be read: tick the requests again.")) from None


class BulkChangeForm(forms.Form):
    # The queue page draws the choice of change alone, the same on every page: drawn once per
    # language and kept (helpdesk.templatetags.kept_forms).
    fields_drawn_alike = ("action",)

    ticket = TicketIdsField(required=False)
    all_matching = forms.BooleanField(required=False, widget=forms.HiddenInput)
    filter = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("Change"), choices=action_choices)
    assignee = AgentChoiceField(label=_("Assign to"), queryset=agents(), required=False)
    # Offered on the confirmation page among the requests ticked (helpdesk.views.bulk).
    target = forms.IntegerField(label=_("The request to keep"), required=False, widget=forms.Select)
    tag = forms.CharField(label=_("Tag to add"), required=False, max_length=TAG_MAX_LENGTH)
    message = forms.CharField(
        label=_("Message to the customers"),
        required=False,
        max_length=4000,
        widget=text_area(3),
        help_text=_(
            "For waiting on the customer: what we need from them. For resolved: what was done. "
            "Each customer gets one email for all of their requests."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("ticket") and not data.get("all_matching"):
            raise ValidationError(_("Tick the requests to change first."))
        return data

    def for_confirmation(self) -> "BulkChangeForm":
        """The confirmation page carries the choice made, and asks only what the change needs."""
        self.fields["action"].widget = forms.HiddenInput()
        if not self.needs_colleague:
            del self.fields["assignee"]
        if not self.is_merge:
            del self.fields["target"]
        if not self.adds_tag:
            del self.fields["tag"]
        if not self.tells_customers:
            del self.fields["message"]
        return self

    @property
    def is_merge(self) -> bool:
        return self.cleaned_data.get("action") == MERGE

    @property
    def adds_tag(self) -> bool:
        return self.cleaned_data.get("action") == TAG

    @property
    def needs_colleague(self) -> bool:
        return self.cleaned_data.get("action") == COLLEAGUE

    @property
    def tells_customers(self) -> bool:
        return self.cleaned_data.get("action") in ("status:waiting", "status:resolved")

    def change(self, by) -> tuple[str, str]:
        """(kind, value) of the BulkChange; call when valid (a colleague chosen if needed)."""
        kind, value = self.cleaned_data["action"].split(":", 1)
        if kind == BulkChange.Kind.MERGE:
            value = str(self.cleaned_data["target"])
        if kind == BulkChange.Kind.TAG:
            value = normalise_tag(self.cleaned_data["tag"])
        if kind == BulkChange.Kind.ASSIGN:
            value = {
                "me": str(by.pk),
                "colleague": str(getattr(self.cleaned_data["assignee"], "pk", "")),
            }.get(value, "")
        return kind, value

    def describe(self) -> str:
        """What the change is, in the words of the choice made ("Closed", "High", "Assign to me")."""
        chosen = self.cleaned_data["action"]
        for group, options in action_choices()[1:]:
            for value, label in options:
                if value == chosen:
                    return f"{group}: {label}"
        return ""
