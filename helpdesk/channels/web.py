"""The public web form: its fields, its abuse protection, and the turn into intake arguments."""

from __future__ import annotations

from crispy_forms.layout import Field
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from helpdesk.attachments import check_attachment, check_size, safe_filename
from helpdesk.forms.fields import ModelChoiceField, PhoneField
from helpdesk.forms.layout import fields_only
from helpdesk.intake import IncomingAttachment
from helpdesk.models import Category, Channel
from helpdesk.rate_limits import HOUR, Limit, address_key

HONEYPOT_FIELD = "homepage"


def _attachments_help_text() -> str:
    return ngettext(
        "Up to %(count)d file: a PDF, a picture or a document.",
        "Up to %(count)d files: PDFs, pictures or documents.",
        settings.ATTACHMENT_MAX_COUNT,
    ) % {"count": settings.ATTACHMENT_MAX_COUNT}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked on its own so each error names its file.

    Cleaned, it is the list of accepted files as intake takes them: read, recognised from their
    content, named and typed as what they are.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("label", _("Attachments (optional)"))
        kwargs.setdefault("required", False)
        # Read when the form is drawn: in the reader's language, with the limit of the day.
        kwargs.setdefault("help_text", lazy(_attachments_help_text, str)())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > settings.ATTACHMENT_MAX_COUNT:
            raise ValidationError(
                ngettext(
                    "Please attach at most %(count)d file.",
                    "Please attach at most %(count)d files.",
                    settings.ATTACHMENT_MAX_COUNT,
                )
                % {"count": settings.ATTACHMENT_MAX_COUNT},
                code="too_many",
            )
        accepted, errors = [], []
        for file in files:
            try:
                accepted.append(incoming(file))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return accepted


class CategoryChoiceField(ModelChoiceField):
    def label_from_instance(self, category):
        return category.name  # in the visitor's language


class WebRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email address"), help_text=_("We send the confirmation and our answer here.")
    )
    phone = PhoneField(
        label=_("Phone number (optional)"),
        help_text=_("If you would like us to call you back."),
        error_messages={"invalid": _("This does not look like a phone number. Please check it.")},
    )
    language = forms.ChoiceField(label=_("Language for our answer"), choices=settings.LANGUAGES)
    category = CategoryChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.active(),
        required=False,
        empty_label=_("I am not sure"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Tell us what happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
    )
    attachments = MultipleFileField()
    # Hidden from people (and from screen readers) in the template; only a bot fills it in.
    homepage = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or "en")[:2]
        self.helper = fields_only(
            Field("name", autocomplete="name"),
            Field("email", autocomplete="email"),
            Field("phone", autocomplete="tel", type="tel"),
            "language",
            "category",
            "subject",
            "description",
            "attachments",
        )

    @property
    def filled_by_a_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))

    def intake_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "channel": Channel.WEB,
            "identity_verified": False,  # what a visitor types is their claim, not who they are
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "language": data["language"],
            "category": data["category"],
            "subject": data["subject"],
            "body": data["description"],
            "attachments": data["attachments"],
        }


def incoming(file) -> IncomingAttachment:
    """An uploaded file as intake takes it; raises ValidationError when it is refused."""
    filename = safe_filename(file.name)
    check_size(filename, file.size)
    content = file.read()
    accepted = check_attachment(filename, file.content_type, content)
    return IncomingAttachment(filename=accepted.filename, content_type=accepted.content_type, content=content)


def limits(*, ip: str | None, email: str) -> list[Limit]:
    """The form's limits: per email address, and per client address when the server saw one."""
    limits = [Limit("web-form-email", address_key(email), settings.WEB_FORM_LIMIT_PER_EMAIL_PER_HOUR, HOUR)]
    if ip:
        limits.append(Limit("web-form-ip", ip, settings.WEB_FORM_LIMIT_PER_IP_PER_HOUR, HOUR))
    return limits
