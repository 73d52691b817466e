"""An agent logs a phone call: finds or adds the caller, writes down what they said, saves."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from helpdesk.models import Customer, Notification, Priority, Ticket, TicketEntry

CALL = {
    "body": "Says the router has been blinking red since the storm.\nAlready restarted it twice.",
    "subject": "",
    "priority": "",
}


@pytest.fixture
def caller(make_ticket):
    """Katalin, known by email and phone, with two open requests and one resolved."""
    make_ticket(phone="+36301234567")
    make_ticket(subject="Second")
    make_ticket(subject="Done").resolve(by=None)
    return Customer.objects.get(email="katalin@example.hu")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/agent/calls/new/", "/agent/calls/customers/?q=kat"])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", ["/agent/calls/new/", "/agent/calls/customers/?q=kat"])
def test_staff_without_the_agent_role_are_refused(client, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_an_outsider_cannot_log_a_call(client, outsider, caller):
    client.force_login(outsider)
    assert client.post("/agent/calls/new/", {**CALL, "customer": caller.pk}).status_code == 403
    assert Ticket.objects.filter(channel="phone").count() == 0


def test_wrong_methods_are_refused(agent_client, db):
    assert agent_client.put("/agent/calls/new/").status_code == 405
    assert agent_client.post("/agent/calls/customers/", {"q": "kat"}).status_code == 405


def test_agents_find_log_a_call_in_their_navigation(agent_client):
    page = agent_client.get("/agent/").text
    assert 'href="/agent/calls/new/"' in page
    assert "Log a call" in page


# --- live search -----------------------------------------------------------------------------


def found(response) -> list[int]:
    """The customers offered in a search result, in order."""
    return [int(pk) for pk in re.findall(r'name="customer" value="(\d+)"', response.text)]


def test_the_form_searches_as_the_agent_types(agent_client, category):
    page = agent_client.get("/agent/calls/new/").text
    assert 'hx-get="/agent/calls/customers/"' in page
    assert 'hx-trigger="input changed delay:250ms, search"' in page
    assert 'hx-target="#caller-results"' in page


@pytest.mark.parametrize(
    "typed", ["06 30 123", "+36 30 123 45", "katalin@exa", "szabó", "KATALIN", "szabo", "SZABÓ", "30/123"]
)
def test_a_caller_is_found_by_phone_email_or_name(agent_client, caller, typed):
    response = agent_client.get("/agent/calls/customers/", {"q": typed})

    assert response.status_code == 200
    assert "<html" not in response.text  # a fragment for htmx, not a page
    assert found(response) == [caller.pk]
    assert f'name="customer" value="{caller.pk}"' in response.text
    assert "2 open requests" in response.text


def test_nobody_found_invites_adding_the_caller(agent_client, caller):
    response = agent_client.get("/agent/calls/customers/", {"q": "Zbigniew"})
    assert "Nobody found." in response.text


def test_one_letter_searches_nothing(agent_client, caller):
    assert found(agent_client.get("/agent/calls/customers/", {"q": "k"})) == []


def test_the_search_costs_the_same_queries_however_many_callers_match(
    agent_client, make_ticket, django_assert_num_queries
):
    make_ticket(email="kovacs.anna@example.hu", name="Kovács Anna")

    # session, the user with their roles, the record of who looked, the search with its
    # open-request counts
    with django_assert_num_queries(4):
        agent_client.get("/agent/calls/customers/", {"q": "kovács"})

    for number in range(5):
        make_ticket(email=f"kovacs{number}@example.hu", name=f"Kovács {number}")
    with django_assert_num_queries(4):
        response = agent_client.get("/agent/calls/customers/", {"q": "kovács"})
    assert len(found(response)) == 6


# --- logging the call ------------------------------------------------------------------------


def test_a_call_from_a_known_customer_becomes_their_phone_ticket(agent_client, agent, caller, category):
    response = agent_client.post(
        "/agent/calls/new/",
        {**CALL, "customer": caller.pk, "category": category.pk, "priority": Priority.HIGH},
    )

    ticket = Ticket.objects.get(channel="phone")
    assert response.status_code == 302
    assert response["Location"] == f"/agent/tickets/{ticket.reference}/"
    assert (ticket.customer, ticket.category, ticket.priority) == (caller, category, Priority.HIGH)
    assert ticket.status == Ticket.Status.NEW
    assert ticket.subject == "Says the router has been blinking red since the storm."
    message = ticket.entries.get(kind=TicketEntry.Kind.MESSAGE)
    assert (message.author, message.channel, message.is_public) == (agent, "phone", True)
    assert message.body == CALL["body"]
    assert Customer.objects.count() == 1
    page = agent_client.get(response["Location"]).text
    assert f"Call logged as {ticket.reference}." in page


def test_the_agent_who_logs_a_call_owns_it_unless_they_choose_otherwise(
    agent_client, agent, other_agent, caller
):
    form = agent_client.get("/agent/calls/new/").text
    assert re.search(rf'<option value="{agent.pk}" selected>', form)

    agent_client.post("/agent/calls/new/", {**CALL, "customer": caller.pk, "assignee": agent.pk})
    agent_client.post("/agent/calls/new/", {**CALL, "customer": caller.pk, "assignee": other_agent.pk})
    agent_client.post("/agent/calls/new/", {**CALL, "customer": caller.pk, "assignee": ""})

    mine, handed_on, to_the_queue = Ticket.objects.filter(channel="phone").order_by("pk")
    assert (mine.assignee, handed_on.assignee, to_the_queue.assignee) == (agent, other_agent, None)
    assert mine.entries.filter(event=TicketEntry.Event.ASSIGNED, author=agent).exists()


def test_a_calls_subject_is_the_first_line_of_the_note_shortened_on_a_word(agent_client, caller):
    body = (
        "Says the router has been blinking red since the storm last night and nothing works at all.\n"
        "Already restarted it twice."
    )
    agent_client.post("/agent/calls/new/", {**CALL, "customer": caller.pk, "body": body})

    ticket = Ticket.objects.get(channel="phone")
    assert ticket.subject == "Says the router has been blinking red since the storm last night and nothing…"
    assert len(ticket.subject) <= 80


def test_a_new_caller_is_added_with_the_ticket(agent_client, queue):
    response = agent_client.post(
        "/agent/calls/new/", {**CALL, "name": "Piotr Nowak", "phone": "+48 601 234 567", "language": "pl"}
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.customer.name, ticket.customer.phone, ticket.customer.language) == (
        "Piotr Nowak",
        "+48601234567",
        "pl",
    )
    assert Notification.objects.count() == 0  # no email known: nobody to acknowledge


def test_a_call_solved_on_the_spot_is_created_resolved_and_counted_as_first_contact(agent_client, caller):
    response = agent_client.post("/agent/calls/new/", {**CALL, "customer": caller.pk, "solved": "on"})

    ticket = Ticket.objects.get(channel="phone")
    assert ticket.status == Ticket.Status.RESOLVED
    assert ticket.solved_on_first_contact
    assert "solved on first contact" in agent_client.get(response["Location"]).text
    acknowledgement = Notification.objects.get(ticket=ticket)
    with translation.override(caller.language):
        solved = gettext(
            "Thank you for contacting us. We were glad to solve your request during our conversation; "
            "this message is for your records."
        )
        in_line = gettext(
            "Thank you for contacting us. Your request has arrived and is in line for an answer."
        )
    assert solved in acknowledgement.body_text
    assert in_line not in acknowledgement.body_text


def test_without_a_caller_the_form_comes_back_with_what_was_typed(agent_client, queue):
    response = agent_client.post("/agent/calls/new/", {**CALL, "name": "Nobody Known"})

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "Choose the caller from the search" in response.text
    assert "blinking red since the storm." in response.text
    assert 'value="Nobody Known"' in response.text


def test_an_unreadable_phone_number_of_a_new_caller_is_explained(agent_client, queue):
    response = agent_client.post("/agent/calls/new/", {**CALL, "name": "Piotr Nowak", "phone": "ask Anna"})

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "This is not a phone number we can read." in response.text
    assert "Choose the caller from the search" not in response.text


def test_the_chosen_caller_stays_chosen_after_a_mistake(agent_client, caller):
    response = agent_client.post("/agent/calls/new/", {**CALL, "customer": caller.pk, "body": ""})

    assert Ticket.objects.filter(channel="phone").count() == 0
    assert f'name="customer" value="{caller.pk}" checked' in response.text


# --- the acknowledgement ---------------------------------------------------------------------


def hungarian(text):
    with translation.override("hu"):
        return gettext(text)


def test_the_acknowledgement_repeats_what_the_agent_noted_in_the_customers_language(agent_client, queue):
    # A caller we never heard from: the agent's own notes are quoted, nothing anyone else typed.
    agent_client.post(
        "/agent/calls/new/",
        {**CALL, "name": "Kiss Éva", "email": "eva@example.hu", "phone": "06 20 555 1234", "language": "hu"},
    )

    ticket = Ticket.objects.get()
    acknowledgement = Notification.objects.get(ticket=ticket)
    assert (acknowledgement.language, acknowledgement.to_email) == ("hu", "eva@example.hu")
    for body in (acknowledgement.body_text, acknowledgement.body_html):
        assert hungarian("What we noted from our conversation:") in body
        assert "Already restarted it twice." in body
        assert ticket.reference in body
    assert "Says the router has been blinking red since the storm." in acknowledgement.body_text
    welcome = hungarian("Thank you for contacting us. Your request has arrived and is in line for an answer.")
    assert welcome in acknowledgement.body_text
    assert "blinking red since the storm.<br>Already restarted" in acknowledgement.body_html


def test_a_web_request_acknowledgement_never_gets_conversation_notes(make_ticket, caller):
    ticket = make_ticket(acknowledge=True)
    acknowledgement = Notification.objects.get(ticket=ticket)
    assert "What we noted from our conversation" not in acknowledgement.body_text
    assert hungarian("What we noted from our conversation:") not in acknowledgement.body_text


# --- what the customer sees ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Your call, as noted by Anna"),
        ("hu", "Az Ön hívása, ahogy Anna feljegyezte"),
        ("pl", "Pana/Pani rozmowa telefoniczna, zanotowana przez: Anna"),
    ],
)
def test_the_status_page_shows_the_agents_note_of_the_call_as_such(agent_client, caller, language, label):
    agent_client.post("/agent/calls/new/", {**CALL, "customer": caller.pk})
    ticket = Ticket.objects.get(channel="phone")
    agent_client.logout()

    page = agent_client.get(f"/status/{ticket.status_link_token()}/", HTTP_ACCEPT_LANGUAGE=language).text

    message = page.split('data-kind="message"')[1].split("</article>")[0]
    assert label in message
    assert "Says the router has been blinking red" in message
    with translation.override(language):
        assert gettext("You wrote") not in message
