"""Forms of the complaint themes and their recurring complaints (managers only)."""

from crispy_forms.layout import Div
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from feedback.models import RecurringComplaint, RecurringComplaintRule, Theme
from helpdesk.forms.fields import ModelChoiceField, ModelMultipleChoiceField
from helpdesk.forms.layout import fields_only
from helpdesk.models import Category, Language, Ticket
from helpdesk.roles import AGENTS, MANAGERS


def staff_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[AGENTS, MANAGERS])
        .distinct()
        .order_by("first_name", "username")
    )


class StaffChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class RecurringComplaintRuleForm(forms.ModelForm):
    class Meta:
        model = RecurringComplaintRule
        fields = ["min_complaints", "min_customers", "window_days"]
        widgets = {name: forms.NumberInput(attrs={"min": 1, "max": 1000}) for name in fields}

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.fields:
            if cleaned.get(name) is not None and cleaned[name] < 1:
                self.add_error(name, _("Give a number of at least 1."))
        complaints, customers = cleaned.get("min_complaints"), cleaned.get("min_customers")
        if complaints and customers and customers > complaints:
            self.add_error("min_customers", _("There cannot be more customers than complaints."))
        return cleaned


class OwnerForm(forms.Form):
    owner = StaffChoiceField(label=_("Owner"), queryset=staff_users(), empty_label=_("Choose someone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()


class FindingsForm(forms.Form):
    root_cause = forms.CharField(
        label=_("Root cause"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why customers had this problem, not only what they saw."),
    )
    fix = forms.CharField(
        label=_("Fix"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was changed so that it does not happen again."),
    )


class ThemeReplyForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        help_text=_("The answer goes to the open requests in this language."),
    )
    body = forms.CharField(
        label=_("Answer to every open request of this theme"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Another manager approves it before it is sent. Each customer gets it as a reply on "
            "their own request, by email and on their status page."
        ),
    )


class ThemeTitleForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["title"]


class RecurringComplaintFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("open", _("Not closed")),
        ("", _("All")),
        *RecurringComplaint.Status.choices,
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    owner = StaffChoiceField(
        label=_("Owner"), queryset=staff_users(), required=False, empty_label=_("Anyone")
    )
    category = ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()
        self.fields["category"].queryset = Category.objects.all()
        # The fields side by side in the page's row, each in a column of its own.
        self.helper = fields_only(
            *(Div(name, css_class="col-auto") for name in self.fields), label_class="small"
        )


class HandOverForm(forms.Form):
    """Move chosen complaints out of a theme: into a new theme (a split) or into a nearby one.
    The complaints are ticked in the theme's table of requests (name "tickets")."""

    tickets = ModelMultipleChoiceField(
        label=_("Complaints"),
        queryset=Ticket.objects.none(),
        error_messages={"required": _("Tick the complaints to move in the list of requests.")},
    )
    destination = forms.ChoiceField(label=_("Move them to"), required=False)
    title = forms.CharField(
        label=_("Title of the new theme"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the new theme is named after the first complaint."),
    )
    note = forms.CharField(label=_("Why (kept in the theme's history)"), max_length=500, required=False)

    def __init__(self, *args, theme, nearby, **kwargs):
        super().__init__(*args, **kwargs)
        self.nearby = {str(other.pk): other for other in nearby}
        self.fields["tickets"].queryset = Ticket.objects.filter(theme_membership__theme=theme)
        self.fields["destination"].choices = [
            ("", _("A new theme")),
            *((key, other.title) for key, other in self.nearby.items()),
        ]

    def chosen(self) -> set[int]:
        """The ticked complaints, ticked again when the form comes back with an error."""
        return (
            {int(value) for value in self.data.getlist("tickets") if value.isdigit()}
            if self.is_bound
            else set()
        )

    def destination_theme(self):
        return self.nearby.get(self.cleaned_data.get("destination") or "")
