"""The public web form: its fields, its abuse protection, and the turn into intake arguments."""

from __future__ import annotations

from datetime import datetime, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from helpdesk.attachments import check_attachment, check_size, safe_filename
from helpdesk.forms.fields import ModelChoiceField
from helpdesk.intake import IncomingAttachment
from helpdesk.models import Category, Channel, Customer, Ticket, normalise_phone

RATE_WINDOW = timedelta(hours=1)
HONEYPOT_FIELD = "homepage"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked on its own so each error names its file.

    Cleaned, it is the list of accepted files as intake takes them: read, recognised from their
    content, named and typed as what they are.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
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
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        max_length=40,
        required=False,
        help_text=_("If you would like us to call you back."),
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
    attachments = MultipleFileField(label=_("Attachments (optional)"), required=False)
    # Hidden from people (and from screen readers) in the template; only a bot fills it in.
    homepage = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or "en")[:2]
        self.fields["attachments"].help_text = ngettext(
            "Up to %(count)d file: a PDF, a picture or a document.",
            "Up to %(count)d files: PDFs, pictures or documents.",
            settings.ATTACHMENT_MAX_COUNT,
        ) % {"count": settings.ATTACHMENT_MAX_COUNT}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
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

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not normalise_phone(phone):
            raise ValidationError(_("This does not look like a phone number. Please check it."))
        return phone

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


def client_ip(request) -> str | None:
    """The visitor's address as the server saw it; a trusted proxy in front must set it."""
    return request.META.get("REMOTE_ADDR") or None


def free_again_at(*, ip: str | None, email: str, now: datetime) -> datetime | None:
    """When this sender may use the form again, or None when they may now.

    Counted in the database from the tickets themselves (indexed on source IP and on the
    customer, each with the creation time): nothing to reset, nothing lost on a restart.
    """
    recent = Ticket.objects.filter(channel=Channel.WEB, created_at__gt=now - RATE_WINDOW)
    # lower(email) as in the customers' unique index, so the database can use it.
    sender = Customer.objects.alias(address=Lower("email")).filter(address=email.strip().lower())
    limits = [(recent.filter(customer__in=sender), settings.WEB_FORM_LIMIT_PER_EMAIL_PER_HOUR)]
    if ip:
        limits.append((recent.filter(source_ip=ip), settings.WEB_FORM_LIMIT_PER_IP_PER_HOUR))
    waits = [wait for tickets, limit in limits if (wait := _window_frees_at(tickets, limit))]
    return max(waits) if waits else None


def _window_frees_at(tickets, limit: int) -> datetime | None:
    if limit <= 0:
        return None
    newest = list(tickets.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    # With `limit` requests in the window, a place frees up when the oldest of them leaves it.
    return newest[-1] + RATE_WINDOW if len(newest) >= limit else None
