"""Forms of the crisis area: declaring, moving, drafting, reviewing, linking; the customer's report."""

from crispy_forms.layout import Field
from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from crisis.models import Incident, IncidentUpdate
from helpdesk.forms.layout import fields_only
from helpdesk.languages import LANGUAGES
from helpdesk.models import Category


class StatementFields(forms.Form):
    """The same public words in the three languages our customers read."""

    text_en = forms.CharField(
        label=_("In English"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    text_hu = forms.CharField(
        label=_("In Hungarian"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    text_pl = forms.CharField(label=_("In Polish"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def texts(self) -> dict[str, str]:
        return {language: self.cleaned_data[f"text_{language}"].strip() for language in LANGUAGES}


class DeclareForm(StatementFields, forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "title",
            "title_hu",
            "title_pl",
            "affected_service",
            "categories",
            "severity",
            "description",
            "started_at",
            "match_keywords",
            "match_from",
            "match_until",
        ]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "match_keywords": forms.Textarea(attrs={"rows": 3}),
            "started_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "match_from": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "match_until": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "title": _("Customers read it on the banner: say what is affected, not why."),
            "description": _("Internal: what we know so far. Never shown to customers."),
            "match_keywords": _(
                "One word or phrase per line, in Hungarian, Polish and English; "
                "case and accents do not matter."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.active()
        self.fields["title_hu"].required = self.fields["title_pl"].required = True
        for language in ("en", "hu", "pl"):
            self.fields[f"text_{language}"].help_text = _("Published at once on the banner.")

    def clean(self):
        data = super().clean()
        start, until = data.get("match_from"), data.get("match_until")
        if start and until and until <= start:
            self.add_error("match_until", _("The end of the window must come after its start."))
        return data


class MoveForm(forms.Form):
    state = forms.ChoiceField(
        label=_("New state"),
        choices=[
            (state, label) for state, label in Incident.State.choices if state not in ("declared", "resolved")
        ],
    )
    note = forms.CharField(label=_("Note for the timeline"), required=False, max_length=2000)


class UpdateForm(StatementFields):
    ticket_action = forms.ChoiceField(
        label=_("The linked requests"),
        choices=IncidentUpdate.TicketAction.choices,
        initial=IncidentUpdate.TicketAction.RESOLVE,
        widget=forms.RadioSelect,
        required=False,
    )


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class BulkLinkForm(forms.Form):
    tickets = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].choices = [(pk, pk) for pk in candidates]


class LinkTicketForm(forms.Form):
    reference = forms.CharField(max_length=12)


# --- customers ---------------------------------------------------------------------------------


class ReportForm(forms.Form):
    """ "I am affected": only what we need to answer; the problem itself we already know."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email address"), help_text=_("We send the confirmation and every update here.")
    )
    language = forms.ChoiceField(label=_("Language for our messages"), choices=settings.LANGUAGES)
    details = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or "en")[:2]


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only(Field("email", autocomplete="email"))

    def clean_language(self):
        return self.cleaned_data["language"] or (get_language() or "en")[:2]
