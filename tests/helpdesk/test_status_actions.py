"""What the customer does on their status page: write to us with files, close the request,
ask for a new link."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from helpdesk.models import Customer, Notification, Ticket, TicketEntry

BUDAPEST = ZoneInfo("Europe/Budapest")
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=BUDAPEST)


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def ticket(make_ticket):
    return make_ticket(email="katalin@example.hu", language="en")


def pdf(name="bill.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4" + b"x" * size, content_type="application/pdf")


def write(client, ticket, body, **files):
    return client.post(
        f"/status/{ticket.status_token}/reply/", {"body": body, **files}, HTTP_ACCEPT_LANGUAGE="en"
    )


def emailed_token(notification) -> str:
    return re.search(r"/status/([^/\s]+)/", notification.body_text).group(1)


def page(client, ticket):
    return client.get(f"/status/{ticket.status_token}/", HTTP_ACCEPT_LANGUAGE="en")


# --- writing to us ----------------------------------------------------------------------------


def test_the_customer_writes_with_an_attachment_and_it_joins_the_timeline(client, ticket):
    response = write(client, ticket, "  Here is the bank statement.  ", attachments=[pdf("statement.pdf")])

    assert response.status_code == 302
    assert response["Location"] == f"/status/{ticket.status_token}/"
    message = ticket.entries.filter(kind=TicketEntry.Kind.MESSAGE).last()
    assert (message.body, message.is_public, message.channel, message.author) == (
        "Here is the bank statement.",
        True,
        "web",
        None,
    )
    stored = message.attachments.get()
    assert (stored.filename, stored.content_type) == ("statement.pdf", "application/pdf")
    assert stored.file.read().startswith(b"%PDF-1.4")
    after = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").text
    assert "Thank you, your message is with us." in after
    assert "Here is the bank statement." in after
    assert "statement.pdf" in after


def test_an_answer_to_a_waiting_request_brings_it_back_to_the_agent(client, ticket, agent):
    ticket.assign(agent, by=agent)
    ticket.reply(by=agent, body="Which account was charged?", then=Ticket.Status.WAITING)
    assert "We are waiting for your answer" in page(client, ticket).text

    write(client, ticket, "The one ending in 1234.")

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.waiting_since is None


def test_writing_again_reopens_a_closed_request(client, ticket, agent):
    ticket.resolve(by=agent)
    text = page(client, ticket).text
    assert "Not solved after all? Write to us again" in text
    assert "Submit a new request" in text
    assert "Close my request" not in text

    write(client, ticket, "It happened again this month.")

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.resolved_at is None


def test_a_refused_file_is_explained_and_the_text_stays(client, ticket, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    program = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/x-msdownload")
    before = ticket.entries.count()

    response = write(client, ticket, "See the files.", attachments=[pdf(size=5000), program])

    assert response.status_code == 200
    assert "bill.pdf is larger than 1000" in response.text
    assert "setup.exe is a kind of file we cannot accept." in response.text
    assert "See the files.</textarea>" in response.text
    assert 'data-testid="files-dropped"' in response.text
    assert 'data-testid="reply-problem"' in response.text
    assert response["Referrer-Policy"] == "no-referrer"
    assert ticket.entries.count() == before


def test_an_empty_message_is_refused(client, ticket):
    before = ticket.entries.count()

    response = write(client, ticket, "   ")

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert ticket.entries.count() == before


def test_a_merged_request_sends_the_customer_to_the_one_it_joined(client, make_ticket, ticket, agent):
    duplicate = make_ticket(email="katalin@example.hu", language="en", subject="Charged twice again")
    duplicate.merge_into(ticket, by=agent)
    before = duplicate.entries.count()

    text = page(client, duplicate).text
    response = write(client, duplicate, "Hello?")

    # The way over is a link drawn for the other request when the customer follows it.
    assert f'action="/status/{duplicate.status_token}/merged/"' in text
    followed = client.post(f"/status/{duplicate.status_token}/merged/")
    assert ticket.reference in client.get(followed["Location"], HTTP_ACCEPT_LANGUAGE="en").text
    assert client.get(f"/status/{duplicate.status_token}/merged/").status_code == 405
    assert client.post("/status/not-a-link/merged/").status_code == 404
    assert 'data-testid="reply-box"' not in text
    assert "Close my request" not in text
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == Ticket.Status.CLOSED
    assert duplicate.entries.count() == before


def test_writing_is_post_only_with_the_csrf_token_and_a_real_link(ticket):
    strict = Client(enforce_csrf_checks=True)

    assert strict.get(f"/status/{ticket.status_token}/reply/").status_code == 405
    assert strict.post(f"/status/{ticket.status_token}/reply/", {"body": "x"}).status_code == 403
    assert Client().post("/status/not-a-real-token/reply/", {"body": "x"}).status_code == 404


# --- closing ------------------------------------------------------------------------------------


def test_closing_asks_first_then_resolves_in_the_customers_name(client, ticket):
    assert f'href="/status/{ticket.status_token}/close/"' in page(client, ticket).text
    confirm = client.get(f"/status/{ticket.status_token}/close/", HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200
    assert "Yes, close my request" in confirm.text
    assert confirm["Referrer-Policy"] == "no-referrer"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW  # looking at the question changes nothing

    response = client.post(f"/status/{ticket.status_token}/close/")

    ticket.refresh_from_db()
    assert response.status_code == 302
    assert ticket.status == Ticket.Status.RESOLVED
    event = ticket.entries.filter(event=TicketEntry.Event.STATUS_CHANGED).last()
    assert (event.author, event.data) == (None, {"from": "new", "to": "resolved", "by_customer": True})
    after = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").text
    assert "Your request is closed. Thank you for letting us know." in after
    assert "You closed this request." in after
    assert "Not solved after all? Write to us again" in after


def test_closing_twice_says_it_is_already_closed(client, ticket):
    client.post(f"/status/{ticket.status_token}/close/")

    again = client.post(f"/status/{ticket.status_token}/close/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "This request is already closed." in again.text
    assert ticket.entries.filter(event=TicketEntry.Event.STATUS_CHANGED).count() == 1
    confirm = client.get(f"/status/{ticket.status_token}/close/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Yes, close my request" not in confirm.text


def test_closing_needs_the_csrf_token(ticket):
    assert Client(enforce_csrf_checks=True).post(f"/status/{ticket.status_token}/close/").status_code == 403
    ticket.refresh_from_db()
    assert ticket.is_open


# --- a new link ---------------------------------------------------------------------------------


def test_a_new_link_replaces_the_old_one_and_is_emailed(client, ticket, django_capture_on_commit_callbacks):
    old_token = ticket.status_token

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/status/{old_token}/new-link/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == "/status/new-link-sent/"
    mail = Notification.objects.get()
    assert (mail.kind, mail.to_email, mail.language) == ("status_links", "katalin@example.hu", "en")
    new_token = emailed_token(mail)
    assert new_token != old_token
    assert client.get(f"/status/{old_token}/").status_code == 404
    assert client.get(f"/status/{new_token}/").status_code == 200
    assert old_token not in mail.body_text
    event = ticket.entries.get(event=TicketEntry.Event.LINK_RENEWED)
    assert not event.is_public


def test_the_answer_tells_the_holder_of_the_old_link_nothing_new(client, ticket):
    response = client.post(f"/status/{ticket.status_token}/new-link/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    ticket.refresh_from_db()
    assert response.status_code == 200
    assert "We have emailed a new link" in response.text
    for secret in (ticket.status_token, "katalin@example.hu", ticket.reference, ticket.subject):
        assert secret not in response.text
    assert response["Referrer-Policy"] == "no-referrer"


def test_new_links_are_limited_per_hour(client, ticket):
    token = ticket.status_token
    for _renewal in range(3):
        client.post(f"/status/{token}/new-link/")
        token = emailed_token(Notification.objects.latest("pk"))

    response = client.post(f"/status/{token}/new-link/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "We have sent several new links within the last hour." in response.text
    assert Notification.objects.count() == 3
    assert client.get(f"/status/{token}/").status_code == 200  # the newest link still works


def test_without_an_email_address_there_is_no_new_link_to_send(client, make_ticket):
    ticket = make_ticket(email="", phone="+36301234567", language="en")
    assert "Send me a new link" not in page(client, ticket).text
    token = ticket.status_token

    response = client.post(f"/status/{token}/new-link/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "We have no email address to send a new link to." in response.text
    assert page(client, ticket).status_code == 200  # the link still works
    assert Customer.objects.get().email == ""


def test_a_new_link_needs_the_csrf_token(ticket):
    token = ticket.status_token

    assert Client(enforce_csrf_checks=True).post(f"/status/{token}/new-link/").status_code == 403
    assert Client().get(f"/status/{token}/new-link/").status_code == 405
    assert Client().get(f"/status/{token}/").status_code == 200  # the link still works
