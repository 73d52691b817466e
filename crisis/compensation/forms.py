from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from crisis.models import (
    ApprovalThreshold,
    Briefing,
    CompensationPolicy,
    CompensationProposal,
    GrantLimit,
    Incident,
    Kind,
)
from helpdesk.forms.fields import ModelChoiceField, ModelMultipleChoiceField
from helpdesk.roles import AGENTS, MANAGERS


class BriefingForm(forms.ModelForm):
    class Meta:
        model = Briefing
        fields = Briefing.CONTENT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in Briefing.CONTENT_FIELDS}
        help_texts = {
            "what_not_to_promise": _("Dates, refunds or causes we cannot stand behind yet."),
            "phrases_hu": _("One phrase per line, as agents may say or write it."),
        }


def apply_policy(form, incident) -> None:
    """A chosen policy decides what is given; the agent adds only the justification."""
    policy = form.cleaned_data.get("policy")
    if policy is not None:
        if incident is None or policy.incident_id != incident.pk:
            form.add_error("policy", _("This policy belongs to another incident."))
        form.cleaned_data.update(
            kind=policy.kind,
            amount=policy.amount,
            currency=policy.currency,
            duration_days=policy.duration_days,
        )
    elif not form.cleaned_data.get("kind"):
        form.add_error("kind", _("Choose a policy or the kind of compensation."))


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CompensationPolicy
        fields = [
            "title",
            "kind",
            "amount",
            "currency",
            "duration_days",
            "eligibility",
            "categories",
            "is_active",
        ]
        widgets = {
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "categories": forms.CheckboxSelectMultiple,
        }


class ProposalForm(forms.ModelForm):
    """An agent's proposal; choosing a policy fills the kind and value from it."""

    class Meta:
        model = CompensationProposal
        fields = ["incident", "policy", "kind", "amount", "currency", "duration_days", "justification"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, incidents=None, policies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents if incidents is not None else Incident.objects.none()
        self.fields["incident"].empty_label = None
        self.fields["policy"].queryset = (
            policies if policies is not None else CompensationPolicy.objects.none()
        )
        self.fields["policy"].required = False
        self.fields["kind"].required = False
        self.fields["justification"].help_text = _("Why this customer, and why this much: managers read it.")
        self.fields["policy"].help_text = _("A policy sets the kind and the value: leave them empty.")

    def clean(self):
        cleaned = super().clean()
        apply_policy(self, cleaned.get("incident"))
        return cleaned


class BulkProposalForm(forms.ModelForm):
    class Meta:
        model = CompensationProposal
        fields = ["policy", "kind", "amount", "currency", "duration_days", "justification"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.fields["policy"].queryset = incident.compensation_policies.filter(is_active=True)
        self.fields["policy"].required = False
        self.fields["kind"].required = False

    def clean(self):
        cleaned = super().clean()
        apply_policy(self, self.incident)
        return cleaned


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BulkDecisionForm(forms.Form):
    # Each maps to the proposal's own transition, which keeps every rule (never one's own).
    DECISIONS = [
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("fulfil", _("Mark as fulfilled")),
        ("mark_reviewed", _("Mark as reviewed")),
    ]
    proposals = ModelMultipleChoiceField(
        queryset=CompensationProposal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one proposal.")},
    )
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why: the note stays on the audit trail."))
        return cleaned


class QueueFilterForm(forms.Form):
    STATES = [("", _("Any state")), *CompensationProposal.State.choices]
    incident = ModelChoiceField(
        queryset=Incident.objects.all(), required=False, empty_label=_("Every incident"), label=_("Incident")
    )
    kind = forms.ChoiceField(choices=[("", _("Every kind")), *Kind.choices], required=False, label=_("Kind"))
    state = forms.ChoiceField(choices=STATES, required=False, label=_("State"))
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
    to_review = forms.BooleanField(required=False, label=_("Granted on the spot, not reviewed"))


class GrantLimitForm(forms.ModelForm):
    class Meta:
        model = GrantLimit
        fields = ["agent", "kind", "currency", "max_amount", "max_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[AGENTS, MANAGERS])
            .distinct()
            .order_by("username")
        )

    def _post_clean(self):
        # The same agent, kind and currency changes that limit instead of adding a second one.
        data = self.cleaned_data
        existing = GrantLimit.objects.filter(
            agent=data.get("agent"), kind=data.get("kind"), currency=data.get("currency") or ""
        ).first()
        if existing is not None:
            self.instance = existing
        super()._post_clean()


class ThresholdForm(forms.ModelForm):
    """Above which amount (or number of days) a grant of a kind needs two managers' approval."""

    class Meta:
        model = ApprovalThreshold
        fields = ["kind", "currency", "above_amount", "above_days"]

    def _post_clean(self):
        # Setting a kind and currency again changes its amount (ApprovalThreshold.set).
        data = self.cleaned_data
        existing = ApprovalThreshold.objects.filter(
            kind=data.get("kind"), currency=data.get("currency") or ""
        )
        self.instance = existing.first() or self.instance
        super()._post_clean()
