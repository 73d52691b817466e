"""A real browser: a customer answers a follow-up survey on a phone; a manager reads the dashboard."""

from itertools import pairwise

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import Survey

pytestmark = pytest.mark.browser


@pytest.fixture
def sent_survey(make_ticket, agent):
    ticket = make_ticket(subject="Charged twice")
    ticket.resolve(by=agent, note="Refunded the second charge.")
    survey = Survey.objects.create(
        ticket=ticket, customer=ticket.customer, language="hu", status="sent", sent_at=timezone.now()
    )
    survey.draw_link()  # as the invitation does; survey.token is the emailed link's
    return survey


def test_customer_answers_the_survey_on_a_phone(page_in, sent_survey, assert_accessible):
    page = page_in("hu")
    # The link of rating 4 in the email: preselected, nothing recorded yet.
    page.goto(f"/survey/{sent_survey.token}/?rating=4")
    expect(page.locator("html")).to_have_attribute("lang", "hu")
    expect(page.locator("#id_rating_3")).to_be_checked()
    assert_accessible(page)
    sent_survey.refresh_from_db()
    assert sent_survey.status == Survey.Status.SENT

    page.locator("label[for=id_rating_4]").click()  # five
    page.locator("label[for=id_solved_0]").click()  # yes
    page.locator("#id_comment").fill("Gyors és kedves segítség.")
    page.get_by_test_id("survey-form").locator("button[type=submit]").click()

    expect(page.get_by_test_id("survey-done")).to_be_visible()
    assert_accessible(page)
    sent_survey.refresh_from_db()
    assert (sent_survey.status, sent_survey.rating, sent_survey.solved) == ("answered", 5, True)
    assert sent_survey.comment == "Gyors és kedves segítség."


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_survey_page_is_accessible_in_every_language(page_in, sent_survey, assert_accessible, language):
    page = page_in(language)
    page.goto(f"/survey/{sent_survey.token}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The invalid submit shows the errors: they must be accessible too.
    page.get_by_test_id("survey-form").locator("button[type=submit]").click()
    expect(page.locator(".alert-danger")).to_be_visible()
    assert_accessible(page)


def test_manager_opens_the_dashboard_and_sees_the_charts(page, manager, sent_survey, assert_accessible):
    sent_survey.answer(rating=4, solved=True)

    page.goto("/manage/")
    page.get_by_label("Username").fill("marek")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url("/manage/")
    charts = page.locator("svg[role=img]")
    expect(charts).to_have_count(8)
    chart = page.get_by_test_id("chart-satisfaction-week")
    expect(chart.locator("rect[fill]").first).to_be_visible()
    expect(chart.get_by_role("link", name="CSV")).to_have_attribute(
        "href", "/manage/charts/satisfaction-week.csv?weeks=12"
    )
    expect(page.get_by_test_id("key-figures")).to_contain_text("4.0")
    assert_accessible(page)


QUEUE_NAMES = ["Complaints", "Rozliczenia (PL)", "Számlázás (HU)", "Technical support"]


def test_the_dashboard_shows_queue_names_whole(page, manager, queue, make_ticket, agent):
    from helpdesk.models import Ticket
    from tests.factories import queue_with_default_sla

    queues = [queue] + [
        queue_with_default_sla(name=name, slug=f"q{n}", calendar=queue.calendar, manager=manager)
        for n, name in enumerate(QUEUE_NAMES)
    ]
    for n, each in enumerate(queues):
        ticket = make_ticket(email=f"customer{n}@example.hu")
        Ticket.objects.filter(pk=ticket.pk).update(queue=each)
        ticket.refresh_from_db()
        ticket.resolve(by=agent)
        Survey.objects.create(
            ticket=ticket,
            customer=ticket.customer,
            queue=each,
            language="hu",
            status="sent",
            sent_at=timezone.now(),
        ).answer(rating=4, solved=True)

    page.goto("/manage/")
    page.get_by_label("Username").fill("marek")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    labels = page.get_by_test_id("chart-satisfaction-queue").locator("text.axis-label")
    expect(labels).to_have_count(5)
    shown = labels.evaluate_all(
        "els => els.map(el => [...el.querySelectorAll('tspan')].map(t => t.textContent).join(' '))"
    )
    assert shown == sorted(["General", *QUEUE_NAMES])
    boxes = labels.evaluate_all(
        "els => els.map(el => { const r = el.getBoundingClientRect(); return [r.left, r.right]; })"
    )
    for (_left, right), (next_left, _right) in pairwise(boxes):
        assert right <= next_left  # side by side, not over each other
    expect(labels.filter(has_text="Rozliczenia").locator("title")).to_have_text("Rozliczenia (PL)")
