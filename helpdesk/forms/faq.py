from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helpdesk.forms.fields import ModelChoiceField
from helpdesk.languages import LANGUAGES
from helpdesk.models import Channel, ChannelListing, FaqCategory, FaqEntry, PhoneMenuOption


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the answers"), max_length=200, required=False)


class FaqVoteForm(forms.Form):
    helpful = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])


class FaqFilterForm(forms.Form):
    STATES = [("", _("All")), ("published", _("Published")), ("draft", _("Not published"))]

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    category = ModelChoiceField(
        label=_("Category"), queryset=FaqCategory.objects.all(), required=False, empty_label=_("All")
    )
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
    missing = forms.ChoiceField(
        label=_("Missing a language"),
        choices=[("", _("Any")), *[(code, code.upper()) for code in LANGUAGES]],
        required=False,
    )


class FaqEntryForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = [
            "category",
            "slug",
            "position",
            "question_en",
            "answer_en",
            "question_hu",
            "answer_hu",
            "question_pl",
            "answer_pl",
        ]
        widgets = {f"answer_{code}": forms.Textarea(attrs={"rows": 6}) for code in LANGUAGES}

    def clean(self):
        cleaned = super().clean()
        complete = 0
        for code in LANGUAGES:
            question, answer = cleaned.get(f"question_{code}"), cleaned.get(f"answer_{code}")
            if bool(question) != bool(answer):
                missing = f"answer_{code}" if question else f"question_{code}"
                self.add_error(
                    missing, _("Write both the question and the answer in this language, or neither.")
                )
            complete += bool(question and answer)
        if not complete and not self.errors:
            raise ValidationError(_("Write the question and the answer in at least one language."))
        return cleaned


class FaqCategoryForm(forms.ModelForm):
    class Meta:
        model = FaqCategory
        fields = ["slug", "name_en", "name_hu", "name_pl", "position"]


class ChannelListingForm(forms.ModelForm):
    class Meta:
        model = ChannelListing
        fields = [
            "purpose_en",
            "purpose_hu",
            "purpose_pl",
            "place",
            "contact",
            "calendar",
            "queue",
            "is_shown",
            "position",
        ]
        widgets = {f"purpose_{code}": forms.Textarea(attrs={"rows": 3}) for code in LANGUAGES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.hours_kept_elsewhere:
            del self.fields["calendar"]  # one source of truth: the hours the channel itself reads
        if self.instance.channel == Channel.WALK_IN:
            del self.fields["contact"]  # each branch's address, from the branches
            del self.fields["place"]


class PhoneMenuOptionForm(forms.ModelForm):
    class Meta:
        model = PhoneMenuOption
        fields = ["parent", "key", "label_en", "label_hu", "label_pl"]
