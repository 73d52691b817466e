"""Forms of the feedback app: the customer's survey, the manager's review, the agent's lesson."""

from crispy_forms.layout import Field
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from feedback.models import Survey, SurveySettings
from helpdesk.forms.layout import fields_only
from helpdesk.languages import Language

RATING_CHOICES = [
    (1, _("1 – very dissatisfied")),
    (2, _("2 – dissatisfied")),
    (3, _("3 – neither")),
    (4, _("4 – satisfied")),
    (5, _("5 – very satisfied")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
CHOICE_BUTTONS = "feedback/fields/choice_buttons.html"


def choice_buttons(name: str, columns: int | None = None) -> Field:
    return Field(
        name,
        css_class="btn-check",
        template=CHOICE_BUTTONS,
        wrapper_class=f"survey-choices-{columns}" if columns else None,
    )


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how we handled your request?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a number from 1 to 5.")},
    )
    solved = forms.ChoiceField(
        label=_("Was your problem solved?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please tell us whether your problem was solved.")},
    )
    compensation_received = forms.ChoiceField(
        label=_("Did you receive the compensation we promised?"),
        choices=Survey.Received.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything else you would like to tell us? (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        if survey.kind == Survey.Kind.INCIDENT:
            self.fields["rating"].label = _("How satisfied are you with how we handled the outage?")
            self.fields["solved"].label = _("Does everything work for you again?")
        if survey.asks_about_compensation:
            self.fields["compensation_received"].required = True
            self.fields["compensation_received"].error_messages["required"] = _(
                "Please tell us whether you received the compensation."
            )
        else:
            del self.fields["compensation_received"]
        self.helper = fields_only(
            choice_buttons("rating"),
            choice_buttons("solved", columns=2),
            *([choice_buttons("compensation_received", columns=3)] if survey.asks_about_compensation else []),
            Field("comment", wrapper_class="mb-4"),
            label_class="fs-5 fw-semibold",
        )

    def answer(self) -> dict:
        data = self.cleaned_data
        return {
            "rating": data["rating"],
            "solved": data["solved"] == "yes",
            "compensation_received": data.get("compensation_received", ""),
            "comment": data["comment"],
        }


def preselected_rating(value) -> int | None:
    """The rating a link in the email carries (?rating=4), if it is a valid one."""
    try:
        rating = int(value)
    except (TypeError, ValueError):
        return None
    return rating if 1 <= rating <= 5 else None


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What you did"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: called the customer, refunded the fee, talked to the team."),
    )


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = SurveySettings
        fields = ["is_enabled", "delay_days", "reminder_days", "quiet_days"]
        widgets = {
            "delay_days": forms.NumberInput(attrs={"min": 0, "max": 30}),
            "reminder_days": forms.NumberInput(attrs={"min": 0, "max": 30}),
            "quiet_days": forms.NumberInput(attrs={"min": 0, "max": 365}),
        }

    def clean_delay_days(self):
        value = self.cleaned_data["delay_days"]
        if value > 30:
            raise forms.ValidationError(_("Ask within a month of the resolution (at most 30 days)."))
        return value


class LessonForm(forms.Form):
    title = forms.CharField(
        label=_("The lesson in one line"),
        max_length=200,
        help_text=_("What a colleague should remember, e.g. “Check the second meter before re-billing”."),
    )
    cause = forms.CharField(
        label=_("What caused it"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    lesson = forms.CharField(
        label=_("What we learned, so it does not happen again"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=Language.choices,
        help_text=_("An FAQ entry made of this lesson starts in this language."),
    )
    share = forms.BooleanField(
        label=_("Share with the team (shown to every agent for a week, and in the knowledge base)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff write in the language they work in; they change it when they wrote in another.
        active = (get_language() or "")[:2]
        self.fields["language"].initial = active if active in Language.values else Language.EN


class LessonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search lessons"), required=False, max_length=200)
