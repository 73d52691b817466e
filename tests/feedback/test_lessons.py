"""Lessons learned: asked when a complaint is resolved, shared for a week, searchable, FAQ-able."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import Lesson
from helpdesk.models import Ticket

pytestmark = pytest.mark.django_db

LESSON = {
    "title": "Check the second meter before re-billing",
    "cause": "The meter was read twice after the swap.",
    "lesson": "After a meter swap, compare both readings before issuing a bill.",
    "language": "en",
}


@pytest.fixture
def complaint(make_ticket, complaint_category, agent, time_machine):
    ticket = make_ticket(category=complaint_category, subject="Billed twice after the meter swap")
    ticket.resolve(by=agent)
    return ticket


def prompt(client, ticket) -> str:
    return client.get(f"/agent/tickets/{ticket.reference}/lesson/prompt/").content.decode()


def test_resolving_a_complaint_asks_for_cause_and_lesson(client, agent, complaint):
    client.force_login(agent)
    # The workspace loads the question in its own request, so its own queries stay fixed.
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert f'hx-get="/agent/tickets/{complaint.reference}/lesson/prompt/"' in page
    question = prompt(client, complaint)
    assert 'data-testid="lesson-prompt"' in question
    assert "This complaint is resolved" in question


def test_other_resolved_tickets_offer_it_folded(client, agent, make_ticket):
    ticket = make_ticket()
    ticket.resolve(by=agent)
    client.force_login(agent)
    question = prompt(client, ticket)
    assert "Record a lesson (optional)" in question
    assert "This complaint is resolved" not in question


def test_an_agent_marked_complaint_counts_too(client, agent, make_ticket):
    ticket = make_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(is_complaint=True)
    ticket.refresh_from_db()
    ticket.resolve(by=agent)
    client.force_login(agent)
    assert "This complaint is resolved" in prompt(client, ticket)


def test_no_prompt_while_open_or_once_written(client, agent, make_ticket, complaint):
    client.force_login(agent)
    assert prompt(client, make_ticket()) == ""
    Lesson.record(complaint, by=agent, share=False, **LESSON)
    assert prompt(client, complaint) == ""


def test_agent_records_and_shares_a_lesson(client, agent, other_agent, complaint):
    client.force_login(agent)
    response = client.post(f"/agent/tickets/{complaint.reference}/lesson/", {**LESSON, "share": "on"})

    assert response.status_code == 302
    lesson = Lesson.objects.get(ticket=complaint)
    assert lesson.author == agent
    assert lesson.is_shared
    assert complaint.entries.filter(kind="note", body__contains=LESSON["title"]).exists()

    # Every agent sees it on their pages this week.
    client.force_login(other_agent)
    assert 'hx-get="/agent/lessons/recent/"' in client.get("/agent/").content.decode()
    recent = client.get("/agent/lessons/recent/").content.decode()
    assert 'data-testid="shared-lessons"' in recent
    assert LESSON["title"] in recent


def test_shared_lesson_leaves_the_agent_pages_after_a_week_but_stays_searchable(
    client, agent, complaint, time_machine
):
    Lesson.record(complaint, by=agent, share=True, **LESSON)
    time_machine.move_to(timezone.now() + timedelta(days=8), tick=False)
    client.force_login(agent)
    assert client.get("/agent/lessons/recent/").content.decode() == ""
    found = client.get("/agent/lessons/", {"q": "meter swap"}).content.decode()
    assert LESSON["title"] in found
    assert LESSON["title"] not in client.get("/agent/lessons/", {"q": "router"}).content.decode()


def test_a_lesson_not_shared_is_seen_by_its_author_and_managers_only(
    client, agent, other_agent, manager, complaint
):
    lesson = Lesson.record(complaint, by=agent, share=False, **LESSON)
    for user, sees in [(agent, True), (other_agent, False), (manager, True)]:
        client.force_login(user)
        assert (LESSON["title"] in client.get("/agent/lessons/").content.decode()) is sees
    client.force_login(other_agent)
    assert client.post(f"/agent/lessons/{lesson.pk}/share/").status_code == 404
    client.force_login(agent)
    client.post(f"/agent/lessons/{lesson.pk}/share/")
    lesson.refresh_from_db()
    assert lesson.shared_by == agent


def test_incomplete_lesson_keeps_what_was_typed(client, agent, complaint):
    client.force_login(agent)
    response = client.post(f"/agent/tickets/{complaint.reference}/lesson/", {"title": "Half a thought"})
    assert response.status_code == 400
    assert "Half a thought" in response.content.decode()
    assert not Lesson.objects.exists()


def test_lesson_waits_for_the_resolution(client, agent, make_ticket):
    ticket = make_ticket()
    client.force_login(agent)
    response = client.post(f"/agent/tickets/{ticket.reference}/lesson/", LESSON)
    assert response.status_code == 302  # back to the ticket, with the reason as a message
    assert not Lesson.objects.exists()


def test_lessons_need_an_agent(client, outsider, complaint):
    assert client.get("/agent/lessons/").status_code == 302
    client.force_login(outsider)
    assert client.get("/agent/lessons/").status_code == 403
    assert client.get("/agent/lessons/recent/").status_code == 403
    assert client.get(f"/agent/tickets/{complaint.reference}/lesson/prompt/").status_code == 403
    assert client.post(f"/agent/tickets/{complaint.reference}/lesson/", LESSON).status_code == 403


def test_a_manager_turns_a_lesson_into_an_unpublished_faq_entry_in_one_step(
    client, manager, agent, complaint
):
    from helpdesk.models import FaqCategory, FaqEntry

    FaqCategory.objects.create(slug="billing", name_en="Billing", name_hu="Számlázás", name_pl="Rachunki")
    lesson = Lesson.record(complaint, by=agent, share=True, **LESSON)
    client.force_login(manager)
    assert "Turn into an FAQ entry" in client.get("/agent/lessons/").content.decode()

    response = client.post(f"/manage/lessons/{lesson.pk}/faq/")

    entry = FaqEntry.objects.get()
    assert response.url == f"/agent/faq/{entry.pk}/"
    assert entry.question_en == LESSON["title"]
    assert entry.answer_en == LESSON["lesson"]
    assert not entry.is_published  # the FAQ's own review still applies
    lesson.refresh_from_db()
    assert lesson.faq_entry_id == entry.pk
    client.post(f"/manage/lessons/{lesson.pk}/faq/")
    assert FaqEntry.objects.count() == 1  # a second press makes no second entry


def test_only_managers_turn_lessons_into_faq_entries(client, agent, complaint):
    from helpdesk.models import FaqEntry

    lesson = Lesson.record(complaint, by=agent, share=True, **LESSON)
    client.force_login(agent)

    assert "Turn into an FAQ entry" not in client.get("/agent/lessons/").content.decode()
    assert client.post(f"/manage/lessons/{lesson.pk}/faq/").status_code == 403
    assert not FaqEntry.objects.exists()


LESSONS_BY_LANGUAGE = {
    "en": LESSON,
    "hu": {
        "title": "Számlázás előtt nézze meg a második mérőt",
        "cause": "A mérőcsere után kétszer olvasták le a mérőt.",
        "lesson": "Mérőcsere után a számla előtt vessük össze a két leolvasást.",
    },
    "pl": {
        "title": "Przed wystawieniem faktury sprawdź drugi licznik",
        "cause": "Po wymianie licznika odczytano go dwa razy.",
        "lesson": "Po wymianie licznika porównaj oba odczyty przed wystawieniem faktury.",
    },
}


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_a_lesson_becomes_an_faq_draft_in_the_language_it_was_written_in(
    client, agent, manager, make_ticket, complaint_category, language
):
    from helpdesk.models import FaqCategory, FaqEntry

    FaqCategory.objects.create(slug="billing", name_en="Billing", name_hu="Számlázás", name_pl="Rachunki")
    # The request came in another language than the lesson is written in.
    ticket = make_ticket(category=complaint_category, language="pl" if language == "hu" else "hu")
    ticket.resolve(by=agent)
    written = LESSONS_BY_LANGUAGE[language]
    client.force_login(agent)
    client.post(
        f"/agent/tickets/{ticket.reference}/lesson/", {**written, "language": language, "share": "on"}
    )
    lesson = Lesson.objects.get(ticket=ticket)

    client.force_login(manager)
    client.post(f"/manage/lessons/{lesson.pk}/faq/")

    entry = FaqEntry.objects.get()
    assert getattr(entry, f"question_{language}") == written["title"]
    assert getattr(entry, f"answer_{language}") == written["lesson"]
    for other in {"en", "hu", "pl"} - {language}:
        assert getattr(entry, f"question_{other}") == ""
        assert getattr(entry, f"answer_{other}") == ""


def test_the_lesson_form_offers_the_agents_own_language_first(client, agent, complaint):
    client.force_login(agent)
    client.cookies["django_language"] = "pl"
    form = prompt(client, complaint)
    assert '<option value="pl" selected>' in form
