"""FAQ search: one indexed query over the normalised question and answer columns.

Each word of the query is normalised the way the columns are (helpdesk.models.faq.normalise),
so "szamla" finds "számla" and "platnosc" finds "płatność", and matched as the start of a word
(" szaml" also finds "számlát", "számlázás"). A word also matches by its dictionary forms in
Hungarian, Polish and English (helpdesk.word_forms), which the columns hold for their own words:
"számlám" finds what "számla" finds, "faktury" finds "fakturę". Entries that match more of the
words come first, then a match in the question outranks one in the answer, then the most read.
On PostgreSQL the LIKE patterns are served by trigram indexes (migration 0020).
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from helpdesk import word_forms
from helpdesk.models import FaqEntry
from helpdesk.models.faq import normalise

MAX_WORDS = 8
RESULTS = 20
QUESTION_WEIGHT = 3
ANSWER_WEIGHT = 1

# Words too common to tell entries apart, as they look after normalising (no accents).
_COMMON = {
    "en": "the and how what can do does my is to of in for an on it me you your are with or why when "
    "where will be have has not this that from at by",
    "hu": "az es hogy mit mi van nem is egy meg de ha en on hol mikor miert hogyan kell lehet ki el mar "
    "vagy mint csak ezt azt nekem",
    "pl": "sie jak co czy moj moja moje jest mam mi po od za dla gdzie kiedy dlaczego ze na nie to "
    "albo lub mnie moge",
}
STOP_WORDS = frozenset(word for words in _COMMON.values() for word in words.split())


def query_words(text: str) -> list[tuple[str, ...]]:
    """Each word of the query, normalised, with its normalised dictionary forms: ("szamlam", "szamla")."""
    found: dict[str, tuple[str, ...]] = {}
    for word in word_forms.words(text):
        typed = normalise(word)
        if len(typed) < 2 or typed in STOP_WORDS or typed in found:
            continue
        lemmas = {normalise(lemma) for lemma in word_forms.lemmas(word)} - STOP_WORDS - {typed}
        found[typed] = (typed, *sorted(lemma for lemma in lemmas if len(lemma) > 1 and " " not in lemma))
    return list(found.values())[:MAX_WORDS]


def _contains_a_form(column: str, forms: tuple[str, ...]) -> Q:
    matches = Q()
    for form in forms:
        matches |= Q(**{f"{column}__contains": f" {form}"})
    return matches


def search(text: str, *, entries: QuerySet[FaqEntry] | None = None, limit: int = RESULTS):
    """Published entries matching any word of `text`, best first (one query when evaluated)."""
    words = query_words(text)
    entries = FaqEntry.objects.published() if entries is None else entries
    if not words:
        return entries.none()
    matches_any = Q()
    words_matched = Value(0, output_field=IntegerField())
    score = Value(0, output_field=IntegerField())
    for forms in words:
        in_question = _contains_a_form("search_questions", forms)
        in_answer = _contains_a_form("search_answers", forms)
        matches_any |= in_question | in_answer
        words_matched += Case(When(in_question | in_answer, then=1), default=0)
        score += Case(When(in_question, then=QUESTION_WEIGHT), default=0)
        score += Case(When(in_answer, then=ANSWER_WEIGHT), default=0)
    return (
        entries.filter(matches_any)
        .annotate(words_matched=words_matched, match_score=score)
        .order_by("-words_matched", "-match_score", "-view_count", "pk")[:limit]
    )
