"""The customer's status page: where they stand, what we said, what happens next, our summary."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from helpdesk.models import AgentAlert, ApiIntegration, Attachment, NextStep, Ticket, TicketEntry
from helpdesk.queue.expectations import expected_first_response

BUDAPEST = ZoneInfo("Europe/Budapest")
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=BUDAPEST)
SUMMARY = "Your November bill was taken twice; you want the second payment refunded."


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def in_line(make_ticket):
    """Two customers ahead of Katalin, who asked in English."""
    make_ticket(email="first@example.hu")
    make_ticket(email="second@example.hu")
    return make_ticket(language="en")


def page(client, ticket, suffix=""):
    return client.get(f"/status/{ticket.status_token}/{suffix}", HTTP_ACCEPT_LANGUAGE="en")


def with_summary(ticket, state="pending"):
    Ticket.objects.filter(pk=ticket.pk).update(summary=SUMMARY, summary_state=state)
    ticket.refresh_from_db()
    return ticket


# --- where the customer stands --------------------------------------------------------------


def test_the_page_says_where_the_request_stands_and_when_to_expect_a_reply(client, in_line, english):
    response = page(client, in_line)

    assert response.status_code == 200
    assert gettext("Your request is in line for an agent.") in response.text
    assert 'data-testid="position">Your place in line: <strong class="fs-4">3</strong>' in response.text
    # Third in line at the default pace of 4 an hour: 45 minutes, shown as a wide range.
    assert "you can expect a reply today between 09:30 and 10:30." in response.text
    assert "rough estimate" in response.text
    assert "My November bill was taken twice from my account." in response.text
    assert f'hx-get="/status/{in_line.status_token}/live/"' in response.text
    assert 'hx-trigger="every 20s, live"' in response.text


def test_the_live_part_moves_up_when_someone_ahead_is_taken(client, in_line, agent, english):
    assert '<strong class="fs-4">3</strong>' in page(client, in_line, "live/").text

    Ticket.objects.in_line().in_queue_order().first().assign(agent, by=agent)
    response = page(client, in_line, "live/")

    assert response.status_code == 200
    assert "<html" not in response.text
    assert '<strong class="fs-4">2</strong>' in response.text
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_taken_by_an_agent_the_customer_hears_that_someone_is_on_it(client, in_line, agent, english):
    in_line.assign(agent, by=agent)

    response = page(client, in_line)

    assert gettext("An agent is working on your request.") in response.text
    assert 'data-testid="position"' not in response.text
    assert 'data-testid="expected-reply"' not in response.text


def test_answered_there_is_no_position_and_the_reply_is_shown(client, in_line, agent, english):
    in_line.assign(agent, by=agent)
    in_line.record(
        TicketEntry.Kind.REPLY, by=agent, body="We are refunding the second payment.", is_public=True
    )
    in_line.mark_first_response(MONDAY_MORNING)

    response = page(client, in_line)

    assert gettext("We have answered and are working on your request.") in response.text
    assert 'data-testid="position"' not in response.text
    assert "Anna replied" in response.text
    assert "We are refunding the second payment." in response.text


def test_a_resolved_request_stops_polling(client, in_line, agent, english):
    in_line.resolve(by=agent)

    response = page(client, in_line)

    assert gettext("Your request is resolved.") in response.text
    assert "hx-get" not in response.text


def test_internal_notes_and_in_house_events_never_reach_the_customer(client, in_line, agent, english):
    in_line.record(TicketEntry.Kind.NOTE, by=agent, body="Customer sounded upset; check the refund limit.")
    in_line.record_event(TicketEntry.Event.SLA_BREACHED)
    in_line.record_event(TicketEntry.Event.NOTIFIED)
    in_line.assign(agent, by=agent)

    for response in (page(client, in_line), page(client, in_line, "live/")):
        assert "refund limit" not in response.text
        assert 'data-kind="note"' not in response.text
        assert "SLA" not in response.text
        assert "notified" not in response.text.lower()
        assert "Assigned" not in response.text
    assert "We received your request." in page(client, in_line).text


def test_the_page_keeps_its_link_private(client, in_line):
    response = page(client, in_line)

    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_link_is_a_plain_404(client, in_line):
    response = client.get("/status/not-a-real-token/")

    assert response.status_code == 404
    assert in_line.reference not in response.text
    assert in_line.subject not in response.text
    assert client.get("/status/not-a-real-token/live/").status_code == 404


def test_the_page_takes_only_get(client, in_line):
    assert client.post(f"/status/{in_line.status_token}/").status_code == 405
    assert client.post(f"/status/{in_line.status_token}/live/").status_code == 405


# --- the problem summary ---------------------------------------------------------------------


def test_the_customer_confirms_the_summary(client, in_line, english):
    ticket = with_summary(in_line)
    assert SUMMARY in page(client, ticket).text

    response = client.post(f"/status/{ticket.status_token}/summary/confirm/")

    assert response.status_code == 302
    assert response["Location"] == f"/status/{ticket.status_token}/"
    ticket.refresh_from_db()
    assert ticket.summary_state == "confirmed"
    assert ticket.entries.filter(event=TicketEntry.Event.SUMMARY_CONFIRMED).count() == 1
    after = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").text
    assert "Thank you for confirming." in after
    assert "You confirmed this summary." in after
    assert "This is right" not in after


def test_confirming_twice_records_it_once(client, in_line):
    ticket = with_summary(in_line)

    client.post(f"/status/{ticket.status_token}/summary/confirm/")
    client.post(f"/status/{ticket.status_token}/summary/confirm/")

    assert ticket.entries.filter(event=TicketEntry.Event.SUMMARY_CONFIRMED).count() == 1


def test_the_customer_corrects_the_summary_in_their_own_words(client, in_line, english):
    ticket = with_summary(in_line)

    response = client.post(
        f"/status/{ticket.status_token}/summary/correct/",
        {"text": "It was the October bill, not November."},
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.summary_state == "corrected"
    assert ticket.entries.filter(event=TicketEntry.Event.SUMMARY_CORRECTED).count() == 1
    correction = ticket.entries.filter(kind=TicketEntry.Kind.MESSAGE).last()
    assert (correction.body, correction.is_public, correction.data) == (
        "It was the October bill, not November.",
        True,
        {"summary_correction": True},
    )
    after = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").text
    assert "It was the October bill, not November." in after
    assert "You asked us to correct this summary." in after


def test_a_correction_wakes_a_waiting_request_and_puts_it_back_before_its_agent(
    client, in_line, agent, english
):
    # The correction is the customer's answer: like a reply, it ends the wait on them.
    ticket = with_summary(in_line)
    ticket.assign(agent, by=agent)
    ticket.wait_on_customer(by=agent)

    client.post(f"/status/{ticket.status_token}/summary/correct/", {"text": "It was the October bill."})

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.waiting_since is None
    woken = ticket.entries.filter(event=TicketEntry.Event.STATUS_CHANGED).last()
    assert (woken.data["from"], woken.data["to"]) == ("waiting", "open")
    client.force_login(agent)
    home = client.get("/agent/", HTTP_ACCEPT_LANGUAGE="en")
    assert home.status_code == 200
    row = home.text.split(f'data-reference="{ticket.reference}"')[1].split("</tr>")[0]
    assert "waiting on the customer" not in row
    assert "paused" not in row
    told = AgentAlert.objects.filter(recipient=agent, ticket=ticket, kind=AgentAlert.Kind.CUSTOMER_REPLIED)
    assert told.count() == 1


def test_an_empty_correction_is_refused_and_a_too_long_one_keeps_what_was_typed(client, in_line, english):
    ticket = with_summary(in_line)

    empty = client.post(f"/status/{ticket.status_token}/summary/correct/", {"text": "  "})
    too_long = client.post(f"/status/{ticket.status_token}/summary/correct/", {"text": "October " * 600})

    assert empty.status_code == too_long.status_code == 200
    assert "This field is required." in empty.text
    assert ("October " * 600).strip() in too_long.text
    assert '<details class="flex-grow-1" open>' in too_long.text
    ticket.refresh_from_db()
    assert ticket.summary_state == "pending"
    assert not ticket.entries.filter(event=TicketEntry.Event.SUMMARY_CORRECTED).exists()


def test_without_a_summary_there_is_nothing_to_confirm(client, in_line, english):
    response = client.post(f"/status/{in_line.status_token}/summary/confirm/", follow=True)

    assert "There is no summary waiting to be checked." in response.text
    in_line.refresh_from_db()
    assert in_line.summary_state == ""
    assert 'data-testid="summary"' not in page(client, in_line).text


def test_summary_answers_are_post_only_and_need_the_csrf_token(in_line):
    ticket = with_summary(in_line)
    strict = Client(enforce_csrf_checks=True)

    assert strict.get(f"/status/{ticket.status_token}/summary/confirm/").status_code == 405
    assert strict.post(f"/status/{ticket.status_token}/summary/confirm/").status_code == 403
    assert strict.post(f"/status/{ticket.status_token}/summary/correct/", {"text": "x"}).status_code == 403
    assert Client().post("/status/not-a-real-token/summary/confirm/").status_code == 404
    ticket.refresh_from_db()
    assert ticket.summary_state == "pending"


# --- next steps ------------------------------------------------------------------------------


def test_next_steps_show_pending_ones_first_with_their_dates(client, in_line, agent, english):
    NextStep.objects.create(
        ticket=in_line,
        description="Check the payment with the bank",
        due_on=date(2026, 11, 20),
        done_at=MONDAY_MORNING,
    )
    NextStep.objects.create(
        ticket=in_line, description="Refund the second payment", due_on=date(2026, 11, 26)
    )
    NextStep.objects.create(ticket=in_line, description="Send the corrected bill", due_on=date(2026, 11, 24))

    text = page(client, in_line).text

    order = [
        text.index(step)
        for step in ("Send the corrected bill", "Refund the second payment", "Check the payment")
    ]
    assert order == sorted(order)
    assert "by 24 Nov 2026" in text
    assert "Done" in text


# --- a fixed number of queries ----------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_and_live_part_cost_the_same_queries_with_5_or_60_others_in_line(client, make_ticket, agent):
    ticket = with_summary(make_ticket(email="katalin@example.hu"))
    ticket.record(TicketEntry.Kind.REPLY, by=agent, body="Looking into it.", is_public=True)
    NextStep.objects.create(ticket=ticket, description="Refund", due_on=date(2026, 11, 26))
    urls = [f"/status/{ticket.status_token}/", f"/status/{ticket.status_token}/live/"]
    client.get(urls[0])  # the queue's hours are in the cache from now on, as on a running site

    for index in range(5):
        make_ticket(email=f"other{index}@example.hu")
    small = [count_queries(client, url) for url in urls]
    for index in range(5, 60):
        make_ticket(email=f"other{index}@example.hu")
    large = [count_queries(client, url) for url in urls]

    assert small == large
    # Page: ticket, position, timeline, next steps, and the panels of other apps (crisis:
    # compensation); no files attached, so none read. Live part: ticket, position. The queue's
    # opening hours and closures come from the cache after the first page.
    assert large == [5, 2]
    # Without next steps (most requests), the ticket's query says so and they are not read.
    NextStep.objects.filter(ticket=ticket).delete()
    assert count_queries(client, urls[0]) == 4


def test_the_page_costs_the_same_queries_with_3_or_60_timeline_entries_with_attachments(
    client, make_ticket, agent
):
    ticket = with_summary(make_ticket(email="katalin@example.hu"))
    NextStep.objects.create(ticket=ticket, description="Refund", due_on=date(2026, 11, 26))

    def add_entries(first, last):
        for index in range(first, last + 1):
            kind = TicketEntry.Kind.REPLY if index % 2 else TicketEntry.Kind.MESSAGE
            entry = ticket.record(
                kind, by=agent if index % 2 else None, body=f"Entry {index}", is_public=True
            )
            Attachment.objects.create(
                entry=entry,
                file=f"attachments/{index}.pdf",
                filename=f"scan-{index}.pdf",
                content_type="application/pdf",
                size=1000,
            )
            ticket.record(TicketEntry.Kind.NOTE, by=agent, body=f"Internal {index}")

    url = f"/status/{ticket.status_token}/"
    add_entries(1, 2)  # with the first message: 3 public entries
    client.get(url)  # the queue's hours are in the cache from now on, as on a running site
    small = count_queries(client, url)
    add_entries(3, 59)
    large = count_queries(client, url)

    text = client.get(url).text
    assert text.count('data-kind="reply"') + text.count('data-kind="message"') == 60
    assert "scan-59.pdf" in text
    assert "Internal" not in text
    # ticket, position, public timeline, the attachments (entries have some), next steps, and the
    # panels other apps add (crisis: compensation for this ticket); see helpdesk.hooks.
    assert small == large == 6


# --- the API tells the same ------------------------------------------------------------------


def test_the_api_gives_position_and_the_same_expected_time_as_the_page(client, make_ticket, agent):
    integration, token = ApiIntegration.objects.create_with_token(name="Web shop")
    make_ticket(email="first@example.hu")
    ticket = make_ticket(channel="api", integration=integration, language="en")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    body = client.get(f"/api/tickets/{ticket.reference}/", **auth).json()

    expectation = expected_first_response(Ticket.objects.get(pk=ticket.pk))
    assert (body["status"], body["position"]) == ("new", 2)
    assert datetime.fromisoformat(body["expected_first_response"]) == expectation.at
    with translation.override("en"):
        assert expectation.phrase in page(client, ticket).text

    ticket.assign(agent, by=agent)
    ticket.mark_first_response(MONDAY_MORNING)
    body = client.get(f"/api/tickets/{ticket.reference}/", **auth).json()

    assert (body["position"], body["expected_first_response"]) == (None, None)
