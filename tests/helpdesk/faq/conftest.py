"""FAQ and channel directory fixtures."""

import pytest

from helpdesk.models import FaqCategory, FaqEntry


@pytest.fixture
def faq_category(db):
    return FaqCategory.objects.create(
        slug="billing", name_en="Bills and payments", name_hu="Számlák", name_pl="Rachunki"
    )


@pytest.fixture
def make_entry(faq_category):
    def make(slug, *, published=True, **texts):
        defaults = {"question_en": f"Question {slug}", "answer_en": f"Answer {slug}"}
        return FaqEntry.objects.create(
            category=faq_category, slug=slug, is_published=published, **{**defaults, **texts}
        )

    return make
