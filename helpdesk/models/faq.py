"""Frequently asked questions: categories and entries in three languages, views and votes.

Search reads one normalised column per entry (lower case, accents stripped: "számla" and
"płatność" are stored as "szamla" and "platnosc"), followed by the dictionary forms of its words
("számlám" adds "szamla", "fakturę" adds "faktura"), kept current by save(), so a visitor who
types without accents or another form of a word still finds the answer; see helpdesk.faq_search.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from helpdesk import word_forms
from helpdesk.languages import LANGUAGES, field_in_language, texts_of, written_in
from helpdesk.text_folding import fold


def normalise(text: str) -> str:
    """Lower case, accents stripped (helpdesk.text_folding), every run of non-alphanumerics one space."""
    return " ".join("".join(char if char.isalnum() else " " for char in fold(text)).split())


def search_text(texts: dict[str, str]) -> str:
    """The search column for texts by language: their normalised words, then the dictionary forms
    of those words in each text's own language that are not among them, with a space around."""
    words = [normalise(text) for text in texts.values() if text]
    seen = set(" ".join(words).split())
    lemmas = []
    for language, text in texts.items():
        for word in word_forms.words(text):
            lemma = normalise(word_forms.lemma(word, language) or "")
            if lemma and " " not in lemma and lemma not in seen:
                seen.add(lemma)
                lemmas.append(lemma)
    return " " + " ".join([*words, *lemmas]) + " "


class FaqCategory(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_hu = models.CharField(_("name (Hungarian)"), max_length=100)
    name_pl = models.CharField(_("name (Polish)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('helpdesk:faq')}?category={self.slug}"

    @property
    def name(self) -> str:
        return field_in_language(self, "name") or self.slug


@dataclass(frozen=True)
class Shown:
    """An entry's text as one visitor sees it: in their language, or in another with a note."""

    question: str
    answer: str
    language: str
    is_fallback: bool


class FaqEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def most_viewed(self):
        return self.order_by("-view_count", "position", "pk")


class FaqEntry(models.Model):
    category = models.ForeignKey(
        FaqCategory, on_delete=models.PROTECT, related_name="entries", verbose_name=_("category")
    )
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    question_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    answer_en = models.TextField(_("answer (English)"), blank=True)
    question_hu = models.CharField(_("question (Hungarian)"), max_length=200, blank=True)
    answer_hu = models.TextField(_("answer (Hungarian)"), blank=True)
    question_pl = models.CharField(_("question (Polish)"), max_length=200, blank=True)
    answer_pl = models.TextField(_("answer (Polish)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    helpful_yes = models.PositiveIntegerField(_("helpful"), default=0, editable=False)
    helpful_no = models.PositiveIntegerField(_("not helpful"), default=0, editable=False)
    # Normalised words and their dictionary forms with a space around, so " word" matches the
    # start of any word (see search_text).
    search_questions = models.TextField(default="", editable=False)
    search_answers = models.TextField(default="", editable=False)

    objects = FaqEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["category__position", "position", "pk"]
        indexes = [
            models.Index(
                fields=["-view_count"], condition=models.Q(is_published=True), name="faq_most_viewed"
            )
        ]

    def __str__(self):
        return self.shown().question or self.slug

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_questions", "search_answers"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:faq-entry", args=[self.slug])

    def refresh_search_text(self) -> None:
        self.search_questions = search_text(texts_of(self, "question"))
        self.search_answers = search_text(texts_of(self, "answer"))

    def _written(self) -> dict[str, tuple[str, str] | None]:
        """Question and answer by language, for the languages that have both."""
        questions, answers = texts_of(self, "question"), texts_of(self, "answer")
        return {
            code: (questions[code], answers[code]) if questions[code] and answers[code] else None
            for code in LANGUAGES
        }

    @property
    def languages(self) -> list[str]:
        """The languages this entry is written in (question and answer both)."""
        return [code for code, written in self._written().items() if written]

    def shown(self, language: str | None = None) -> Shown:
        wanted = (language or get_language() or "en")[:2]
        written = self._written()
        code = written_in(written, wanted)
        if code is None:
            return Shown(question="", answer="", language=wanted, is_fallback=False)
        question, answer = written[code]
        return Shown(question=question, answer=answer, language=code, is_fallback=code != wanted)

    @property
    def question(self) -> str:
        return self.shown().question

    def publish(self, *, by) -> None:
        self.is_published = True
        self.published_at = self.published_at or timezone.now()
        self.updated_by = by
        self.save(update_fields=["is_published", "published_at", "updated_by", "updated_at"])

    def unpublish(self, *, by) -> None:
        self.is_published = False
        self.updated_by = by
        self.save(update_fields=["is_published", "updated_by", "updated_at"])

    def record_view(self) -> None:
        # Counted by the database, so two visitors at once both count.
        FaqEntry.objects.filter(pk=self.pk).update(view_count=F("view_count") + 1)

    def vote(self, *, visitor: str, helpful: bool) -> bool:
        """Count one visitor's answer to "was this helpful?"; False when they already voted."""
        try:
            with transaction.atomic():
                FaqVote.objects.create(entry=self, visitor=visitor, helpful=helpful)
                counter = "helpful_yes" if helpful else "helpful_no"
                FaqEntry.objects.filter(pk=self.pk).update(**{counter: F(counter) + 1})
        except IntegrityError:
            return False
        return True


class FaqVote(models.Model):
    """One visitor's "was this helpful?"; visitor is a hash of their anonymous cookie."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="votes")
    visitor = models.CharField(max_length=64)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "visitor"], name="one_faq_vote_per_visitor")]

    def __str__(self):
        return f"{self.entry_id}: {'yes' if self.helpful else 'no'}"
