"""Turning a lesson into an FAQ entry, when the helpdesk has an FAQ (helpdesk.FaqEntry).

Looked up through the app registry: without that model the action is simply not offered. The
entry is created unpublished where the model allows it, so the FAQ's own review still applies.
"""

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from helpdesk.models import InvalidTransition


def faq_model():
    try:
        return apps.get_model("helpdesk", "FaqEntry")
    except LookupError:
        return None


def can_turn_into_faq() -> bool:
    return faq_model() is not None


def faq_fields(lesson) -> dict:
    """The new entry: the lesson's one line as the question, what we learned as the answer."""
    fields = {"question": lesson.title, "answer": lesson.lesson}
    model = faq_model()
    names = {field.name for field in model._meta.get_fields()}
    if "is_published" in names:
        fields["is_published"] = False
    if "language" in names:
        fields["language"] = lesson.ticket.language
    return fields


def turn_into_faq(lesson):
    model = faq_model()
    if model is None:
        raise InvalidTransition(_("There is no FAQ to add it to."))
    if lesson.faq_entry_id:
        raise InvalidTransition(_("This lesson is already an FAQ entry."))
    with transaction.atomic():
        entry = model.objects.create(**faq_fields(lesson))
        lesson.link_faq_entry(entry.pk)
    return entry
