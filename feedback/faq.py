"""Turning a lesson into an FAQ entry: one step for a manager, then the FAQ's own review.

The entry is created unpublished, in the language the lesson is written in (not the customer's:
staff write lessons in their own), so a manager or FAQ editor reads it, adds the other
languages and publishes it from the FAQ editor.
"""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helpdesk.languages import LANGUAGES
from helpdesk.models import FaqCategory, FaqEntry, InvalidTransition


def turn_into_faq(lesson) -> FaqEntry:
    if lesson.faq_entry_id:
        raise InvalidTransition(_("This lesson is already an FAQ entry."))
    category = FaqCategory.objects.order_by("position", "pk").first()
    if category is None:
        raise InvalidTransition(_("Create an FAQ category first, then turn the lesson into an entry."))
    language = lesson.language if lesson.language in LANGUAGES else "en"
    with transaction.atomic():
        entry = FaqEntry.objects.create(
            category=category,
            slug=f"{slugify(lesson.title)[:60] or 'lesson'}-{lesson.pk}",
            is_published=False,
            **{f"question_{language}": lesson.title[:200], f"answer_{language}": lesson.lesson},
        )
        lesson.link_faq_entry(entry.pk)
    return entry
