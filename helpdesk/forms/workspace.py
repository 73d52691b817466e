"""The forms of the ticket workspace: one per action an agent takes on a ticket."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.channels.web import MultipleFileField
from helpdesk.forms.fields import ModelChoiceField
from helpdesk.models import CannedResponse, Priority, Ticket
from helpdesk.models.tags import TAG_MAX_LENGTH
from helpdesk.references import normalise_reference
from helpdesk.roles import AGENTS, MANAGERS


def text_area(rows: int, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class ReplyForm(forms.Form):
    THEN_CHOICES = [
        ("", _("Keep the status")),
        (Ticket.Status.WAITING, _("Wait on the customer")),
        (Ticket.Status.RESOLVED, _("Resolve")),
    ]

    body = forms.CharField(
        label=_("Reply to the customer"),
        max_length=20000,
        widget=text_area(8, **{"data-reply-box": ""}),
        help_text=_(
            "Sent by email when we have the customer's address, and always shown on the status page."
        ),
    )
    then = forms.ChoiceField(label=_("Then"), choices=THEN_CHOICES, required=False)
    # The same limits as the customers' files (helpdesk.attachments).
    attachments = MultipleFileField()
    # The newest entry the agent had on screen: a newer reply by someone else holds this one back.
    seen_up_to = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # The macro the reply started from (helpdesk/workspace.js fills it in with the text).
    macro = ModelChoiceField(
        queryset=CannedResponse.objects.active(), required=False, widget=forms.HiddenInput
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        # A placeholder is never sent: the customer would read "I will get back to you by ."
        if unfilled := CannedResponse.objects.unfilled_in(body):
            raise forms.ValidationError(
                _("Fill in %(placeholders)s before sending: nothing has been sent yet."),
                params={"placeholders": ", ".join(unfilled)},
            )
        return body


class NoteForm(forms.Form):
    # Drawn once per language and kept (helpdesk.templatetags.kept_forms): its choices are fixed.
    drawn_alike = True

    body = forms.CharField(
        label=_("Internal note"),
        max_length=20000,
        widget=text_area(3, **{"data-note-box": ""}),
        help_text=_("For colleagues only: never sent, never on the status page."),
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("The problem, in your own words"),
        max_length=4000,
        widget=text_area(3),
        help_text=_("The customer is asked on the status page whether it is right and complete."),
    )


class NextStepForm(forms.Form):
    # Drawn once per language and kept (helpdesk.templatetags.kept_forms): its choices are fixed.
    drawn_alike = True

    description = forms.CharField(label=_("What happens next"), max_length=300)
    due_on = forms.DateField(label=_("By"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("A next step cannot be due in the past."))
        return due_on


class StatusForm(forms.Form):
    # Drawn once per language and kept (helpdesk.templatetags.kept_forms): its choices are fixed.
    drawn_alike = True

    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (Ticket.Status.OPEN, _("Open (or reopen)")),
            (Ticket.Status.WAITING, _("Waiting on customer")),
            (Ticket.Status.RESOLVED, _("Resolved")),
            (Ticket.Status.CLOSED, _("Closed")),
        ],
    )
    message = forms.CharField(
        label=_("Message to the customer"),
        max_length=4000,
        required=False,
        widget=text_area(2),
        help_text=_("Waiting: what you need from them. Resolved: what was done. Sent with the notification."),
    )

    def clean(self):
        cleaned = super().clean()
        needs_message = cleaned.get("status") in (Ticket.Status.WAITING, Ticket.Status.RESOLVED)
        if needs_message and not cleaned.get("message", "").strip():
            self.add_error("message", _("Tell the customer what you need from them or what was done."))
        return cleaned


class PriorityForm(forms.Form):
    # Drawn once per language and kept (helpdesk.templatetags.kept_forms): its choices are fixed.
    drawn_alike = True

    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)


def agents():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[AGENTS, MANAGERS])
        .distinct()
        .order_by("first_name", "username")
        .only("username", "first_name", "last_name")
    )


class AgentChoiceField(ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class AssignForm(forms.Form):
    assignee = AgentChoiceField(
        label=_("Assign to"),
        queryset=agents(),
        required=False,
        empty_label=_("Back to the queue"),
    )


class AttentionRequestForm(forms.Form):
    # Drawn once per language and kept (helpdesk.templatetags.kept_forms): its choices are fixed.
    drawn_alike = True

    reason = forms.CharField(
        label=_("Why a supervisor is needed"),
        max_length=4000,
        widget=text_area(2),
        help_text=_("What you tried, and what you need the supervisor to decide."),
    )


class OtherTicketForm(forms.Form):
    """Names another ticket by its reference (for merge and link)."""

    # Drawn once per language and kept (helpdesk.templatetags.kept_forms): its choices are fixed.
    drawn_alike = True

    reference = forms.CharField(label=_("Reference"), max_length=20)

    def clean_reference(self):
        reference = normalise_reference(self.cleaned_data["reference"])
        ticket = Ticket.objects.filter(reference=reference).first() if reference else None
        if ticket is None:
            raise forms.ValidationError(_("No request has this reference."))
        self.ticket = ticket
        return ticket.reference


class MergeForm(OtherTicketForm):
    prefix = "merge"
    reference = forms.CharField(label=_("Duplicate of (reference)"), max_length=20)
    # Set by the confirmation page: a merge closes the request and cannot be undone.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MergeConfirmationForm(MergeForm):
    """The confirmation page's form: the same fields, carried along hidden."""

    drawn_alike = False  # its initial reference is the ticket's own

    def __init__(self, *, target: Ticket):
        super().__init__(initial={"reference": target.reference, "confirmed": True})
        self.fields["reference"].widget = forms.HiddenInput()


class LinkForm(OtherTicketForm):
    prefix = "link"
    reference = forms.CharField(label=_("Related request (reference)"), max_length=20)


class TagForm(forms.Form):
    # Drawn once per language and kept (helpdesk.templatetags.kept_forms): its choices are fixed.
    drawn_alike = True

    # The datalist of the tags in use (helpdesk/partials/ticket_tags.html) offers the existing
    # ones while typing, so the team keeps one word for one thing.
    name = forms.CharField(
        label=_("Add a tag"),
        max_length=TAG_MAX_LENGTH,
        widget=forms.TextInput(attrs={"list": "tag-suggestions", "autocomplete": "off"}),
    )


class TagRenameForm(forms.Form):
    name = forms.CharField(
        label=_("New name"),
        max_length=TAG_MAX_LENGTH,
        help_text=_("The name of an existing tag merges the two: its requests keep one tag."),
    )
