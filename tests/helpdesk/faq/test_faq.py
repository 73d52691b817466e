"""The public FAQ: accent-insensitive search, language fallback, views and "was this helpful?"."""

import importlib

import pytest
from django.apps import apps

from helpdesk import faq_search
from helpdesk.models import FaqEntry, FaqVote
from helpdesk.models.faq import normalise

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill_entry(make_entry):
    return make_entry(
        "bill-higher",
        question_en="Why is my bill higher than usual?",
        answer_en="A one-off charge or roaming.",
        question_hu="Miért magasabb a számlám a szokásosnál?",
        answer_hu="Egyszeri díj vagy külföldi használat.",
        question_pl="Dlaczego mój rachunek jest wyższy?",
        answer_pl="Jednorazowa opłata albo roaming.",
    )


@pytest.fixture
def payment_entry(make_entry):
    return make_entry(
        "payment-method",
        question_en="How do I change how I pay?",
        answer_en="Choose direct debit in your account.",
        question_pl="Jak zmienić formę płatności?",
        answer_pl="Wybierz polecenie zapłaty. Płatność kartą też działa.",
    )


def test_normalise_strips_accents_and_maps_polish_l():
    assert normalise("Számlázás ŐRÜLET, űrlap!") == "szamlazas orulet urlap"
    assert normalise("Płatność łączem, źdźbło") == "platnosc laczem zdzblo"


def test_search_column_follows_the_texts_on_save(bill_entry):
    assert " miert magasabb a szamlam a szokasosnal " in bill_entry.search_questions
    bill_entry.question_hu = "Új kérdés"
    bill_entry.save(update_fields=["question_hu"])
    bill_entry.refresh_from_db()
    assert " uj kerdes " in bill_entry.search_questions


def test_hungarian_word_typed_without_accents_is_found(bill_entry, payment_entry):
    assert list(faq_search.search("szamla")) == [bill_entry]


def test_polish_word_typed_without_accents_is_found(bill_entry, payment_entry):
    assert list(faq_search.search("platnosc")) == [payment_entry]
    assert list(faq_search.search("PŁATNOŚĆ")) == [payment_entry]


def test_hungarian_word_form_finds_what_its_dictionary_form_finds(bill_entry, make_entry):
    due = make_entry("due", question_hu="Mikor kell befizetnem a számlát?", answer_hu="Minden hónap 20-áig.")
    card = make_entry("card", question_hu="Elveszett a kártyám", answer_hu="Tiltsa le a kártyáját.")

    assert set(faq_search.search("számla")) == {bill_entry, due}
    for form in ("számlám", "számlámat", "számlámmal", "számlák"):
        assert set(faq_search.search(form)) == {bill_entry, due}, form
    assert list(faq_search.search("kártyával")) == [card]


def test_polish_word_forms_find_each_other(make_entry, bill_entry):
    invoice = make_entry(
        "invoice", question_pl="Kiedy dostanę fakturę?", answer_pl="Wysyłamy faktury piątego dnia miesiąca."
    )

    for form in ("faktura", "faktury", "fakturę", "fakturze", "fakturą"):
        assert list(faq_search.search(form)) == [invoice], form


def test_english_word_forms_find_each_other(payment_entry, bill_entry):
    assert list(faq_search.search("paid")) == [payment_entry]
    assert list(faq_search.search("debited")) == [payment_entry]


def test_search_column_keeps_the_dictionary_forms_of_its_words(make_entry):
    entry = make_entry("invoice", question_pl="Kiedy dostanę fakturę?", question_hu="Hol a számlám?")

    assert " faktura " in entry.search_questions
    assert " szamla " in entry.search_questions


def test_migration_adds_the_dictionary_forms_to_existing_entries(bill_entry):
    FaqEntry.objects.update(search_questions=" miert magasabb a szamlam ", search_answers="")
    migration = importlib.import_module("helpdesk.migrations.0032_faq_search_word_forms")

    migration.recompute_search_text(apps, schema_editor=None)

    bill_entry.refresh_from_db()
    assert " szamla " in bill_entry.search_questions
    assert " one off charge or roaming " in bill_entry.search_answers


def test_prefix_matches_the_start_of_a_word_only(bill_entry):
    assert list(faq_search.search("szokas")) == [bill_entry]
    assert list(faq_search.search("okasos")) == []


def test_more_matched_words_rank_first_then_question_over_answer(make_entry):
    in_answer = make_entry("in-answer", question_en="Contracts", answer_en="About roaming charges abroad")
    in_question = make_entry("in-question", question_en="Roaming in Europe", answer_en="Free")
    both_words = make_entry("both", question_en="Roaming charges", answer_en="Prices")
    # Both words beat one word; with both words, in the question beats in the answer.
    assert list(faq_search.search("roaming charges")) == [both_words, in_answer, in_question]


def test_unpublished_entries_are_never_found_or_shown(client, make_entry):
    make_entry("draft", published=False, question_en="Secret roaming plan", answer_en="Soon")
    assert list(faq_search.search("roaming")) == []
    assert client.get("/faq/draft/").status_code == 404
    assert "Secret roaming plan" not in client.get("/faq/").text
    assert "Secret roaming plan" not in client.get("/faq/?q=roaming").text


def test_stop_words_alone_find_nothing(bill_entry):
    assert list(faq_search.search("how do I the")) == []


def test_search_page_lists_results_in_the_visitors_language(client, bill_entry):
    response = client.get("/faq/?q=szamla", HTTP_ACCEPT_LANGUAGE="hu")
    assert response.status_code == 200
    assert "Miért magasabb a számlám a szokásosnál?" in response.text
    assert 'href="/faq/bill-higher/"' in response.text


def test_search_is_one_query(bill_entry, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(faq_search.search("szamla roaming platnosc"))


def test_entry_in_the_visitors_language_has_no_note(client, bill_entry):
    page = client.get("/faq/bill-higher/", HTTP_ACCEPT_LANGUAGE="pl").text
    assert "Dlaczego mój rachunek jest wyższy?" in page
    assert 'data-testid="fallback-note"' not in page


def test_entry_missing_the_language_falls_back_with_a_note(client, payment_entry):
    page = client.get("/faq/payment-method/", HTTP_ACCEPT_LANGUAGE="hu").text
    assert "How do I change how I pay?" in page
    assert 'data-testid="fallback-note"' in page
    assert '<article class="col-lg-8" lang="en"' in page


def test_fallback_prefers_english_then_the_others(make_entry):
    only_polish = make_entry("pl-only", question_en="", answer_en="", question_pl="Pytanie", answer_pl="Odp")
    shown = only_polish.shown("hu")
    assert (shown.question, shown.language, shown.is_fallback) == ("Pytanie", "pl", True)


def test_each_visit_counts_a_view_but_staff_reading_does_not(client, bill_entry, agent):
    client.get("/faq/bill-higher/")
    client.get("/faq/bill-higher/")
    bill_entry.refresh_from_db()
    assert bill_entry.view_count == 2
    client.force_login(agent)
    client.get("/faq/bill-higher/")
    bill_entry.refresh_from_db()
    assert bill_entry.view_count == 2


def test_a_visitor_votes_once_per_entry(client, bill_entry, payment_entry):
    first = client.post("/faq/bill-higher/helpful/", {"helpful": "yes"})
    assert first.status_code == 302
    assert first["Location"] == "/faq/bill-higher/?voted=1#helpful"
    again = client.post("/faq/bill-higher/helpful/", {"helpful": "no"}, follow=True)
    assert "You have already told us about this answer." in again.text
    client.post("/faq/payment-method/helpful/", {"helpful": "no"})

    bill_entry.refresh_from_db()
    payment_entry.refresh_from_db()
    assert (bill_entry.helpful_yes, bill_entry.helpful_no) == (1, 0)
    assert (payment_entry.helpful_yes, payment_entry.helpful_no) == (0, 1)
    assert FaqVote.objects.count() == 2


def test_another_visitor_votes_too(client, bill_entry):
    client.post("/faq/bill-higher/helpful/", {"helpful": "yes"})
    client.cookies.clear()
    client.post("/faq/bill-higher/helpful/", {"helpful": "yes"})
    bill_entry.refresh_from_db()
    assert bill_entry.helpful_yes == 2


def test_vote_needs_post_and_a_valid_answer(client, bill_entry):
    assert client.get("/faq/bill-higher/helpful/").status_code == 405
    assert client.post("/faq/bill-higher/helpful/", {"helpful": "maybe"}).status_code == 404
    assert FaqVote.objects.count() == 0


def test_the_cookie_is_not_stored_only_its_hash(client, bill_entry):
    client.post("/faq/bill-higher/helpful/", {"helpful": "yes"})
    cookie = client.cookies["helpdesk_visitor"].value
    vote = FaqVote.objects.get()
    assert vote.visitor != cookie
    assert len(vote.visitor) == 64


def test_entry_page_suggests_the_most_read_of_its_category(client, make_entry):
    entry = make_entry("main")
    for views, slug in [(1, "seldom"), (9, "often")]:
        other = make_entry(slug, question_en=f"Read {slug}?")
        other.view_count = views
        other.save(update_fields=["view_count"])
    make_entry("draft", published=False, question_en="Draft?")
    related = client.get(entry.get_absolute_url()).text.split('data-testid="related"')[1]
    assert related.index("Read often?") < related.index("Read seldom?")
    assert "Draft?" not in related
    assert "Question main" not in related


def test_search_results_show_the_start_of_the_answer(client, bill_entry):
    assert (
        "Egyszeri díj vagy külföldi használat."
        in client.get("/faq/?q=szamla", HTTP_ACCEPT_LANGUAGE="hu").text
    )


def test_list_groups_entries_by_category_and_filters_one(client, bill_entry):
    page = client.get("/faq/", HTTP_ACCEPT_LANGUAGE="hu").text
    assert "Számlák" in page
    assert "Miért magasabb a számlám a szokásosnál?" in page
    assert client.get("/faq/?category=other").text.count("list-group-item") == 0


@pytest.mark.parametrize("size", [3, 30])
def test_faq_pages_issue_a_fixed_number_of_queries(client, make_entry, django_assert_num_queries, size):
    for number in range(size):
        make_entry(f"entry-{number}", question_hu=f"Számla {number}", answer_hu="Válasz")
    # Categories with their entries (2); the search (1); the entry, its view count, related (3).
    with django_assert_num_queries(2):
        client.get("/faq/")
    with django_assert_num_queries(1):
        client.get("/faq/?q=szamla")
    with django_assert_num_queries(3):
        client.get("/faq/entry-1/")
    assert FaqEntry.objects.count() == size


def test_search_uses_the_trigram_indexes_on_postgresql(bill_entry):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        # The test table is tiny, so the planner would rightly read it whole; forbid that to see
        # that the indexes can answer the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # All entries (the staff list's search): no other index competes with the trigram ones.
        sql, params = faq_search.search("szamla", entries=FaqEntry.objects.all()).query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "faq_search_questions_trgm" in plan
    assert "faq_search_answers_trgm" in plan
