"""The public web form: a customer asks for help without an account, and bots are kept out."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from helpdesk.models import Category, Customer, Notification, Ticket

BUDAPEST = ZoneInfo("Europe/Budapest")
FORM = {
    "name": "Katalin Szabó",
    "email": "katalin@example.hu",
    "phone": "06 30 123 4567",
    "language": "en",
    "subject": "Charged twice",
    "description": "My November bill was taken twice from my account.",
}


@pytest.fixture
def monday_morning():
    """Monday 23 November 2026, 11:00 in Budapest, nobody else in line."""
    with time_machine.travel(datetime(2026, 11, 23, 11, 0, tzinfo=BUDAPEST), tick=False) as traveller:
        yield traveller


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def send(client, ip="203.0.113.7", **fields):
    return client.post("/tickets/new/", {**FORM, **fields}, REMOTE_ADDR=ip)


def pdf(name="bill.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4" + b"x" * size, content_type="application/pdf")


# --- the form ---------------------------------------------------------------------------------


def test_the_form_is_public_and_offers_active_categories_in_the_visitors_language(client, category, queue):
    Category.objects.create(
        slug="old", name_en="Old", name_hu="Régi", name_pl="Stare", queue=queue, is_active=False
    )

    response = client.get("/tickets/new/", headers={"accept-language": "hu"})

    assert response.status_code == 200
    assert 'name="viewport"' in response.text
    assert "Számlák" in response.text
    assert "Régi" not in response.text
    assert response.context["form"]["language"].value() == "hu"
    assert 'enctype="multipart/form-data"' in response.text
    assert 'autocomplete="email"' in response.text


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, category):
    page = client.get("/tickets/new/").text
    honeypot = page[page.index('aria-hidden="true"') - 200 : page.index('name="homepage"') + 100]
    assert "left:-10000px" in honeypot
    assert 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot


def test_home_page_and_customer_navigation_lead_to_the_form(client, db):
    page = client.get("/").text
    assert page.count('href="/tickets/new/"') == 2
    assert "Submit a request" in page


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_form_takes_only_get_and_post(client, category, method):
    assert getattr(client, method)("/tickets/new/").status_code == 405


# --- sending a request -----------------------------------------------------------------------


def test_a_request_becomes_a_ticket_and_the_visitor_sees_its_confirmation(client, category, monday_morning):
    response = send(client, category=category.pk, language="pl")

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith("/tickets/new/done/")
    assert (ticket.channel, ticket.category, ticket.language) == ("web", category, "pl")
    assert ticket.source_ip == "203.0.113.7"
    assert ticket.subject == "Charged twice"
    customer = Customer.objects.get()
    assert (customer.name, customer.email, customer.phone) == (
        "Katalin Szabó",
        "katalin@example.hu",
        "+36301234567",
    )
    message = ticket.entries.get(kind="message")
    assert message.body == FORM["description"]
    assert message.author is None
    notification = Notification.objects.get()
    assert (notification.kind, notification.to_email, notification.language) == (
        "acknowledgement",
        "katalin@example.hu",
        "pl",
    )

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert ticket.reference in confirmation.text
    # First in line at the default pace of 4 answers an hour: 15 minutes, shown as a range.
    assert 'Your place in line: <strong class="fs-4">1</strong>' in confirmation.text
    assert "you can expect a reply today between 11:15 and 11:30." in confirmation.text
    # The page shows the same link the confirmation email carries.
    token = response["Location"].removeprefix("/tickets/new/done/")
    assert f"http://testserver/status/{token}" in confirmation.text
    assert f"/status/{token}" in notification.body_text
    # The address is not printed: the page shows nothing from a customer record.
    assert "A confirmation email is on its way to the address you gave." in confirmation.text
    assert "katalin@example.hu" not in confirmation.text


def test_the_acknowledgement_links_to_the_address_the_site_is_served_at(client, category, settings):
    settings.SITE_URL = "http://127.0.0.1:8100"  # `PORT=8100 make run` (tests/helpdesk/test_settings.py)

    send(client, category=category.pk)

    notification = Notification.objects.get(kind="acknowledgement")
    assert "http://127.0.0.1:8100/status/" in notification.body_text
    assert ":8000" not in notification.body_text


def test_the_client_address_is_remote_addr_never_a_forwarded_header(client, category):
    client.post("/tickets/new/", FORM, REMOTE_ADDR="198.51.100.20", headers={"x-forwarded-for": "10.9.9.9"})
    assert Ticket.objects.get().source_ip == "198.51.100.20"


def test_several_attachments_are_stored_on_the_customers_message(client, category, media):
    photo = SimpleUploadedFile("meter.jpg", b"\xff\xd8\xff" + b"x" * 50, content_type="image/jpeg")

    response = send(client, attachments=[pdf(), photo])

    assert response.status_code == 302
    stored = Ticket.objects.get().entries.get(kind="message").attachments.order_by("filename")
    assert [(a.filename, a.content_type) for a in stored] == [
        ("bill.pdf", "application/pdf"),
        ("meter.jpg", "image/jpeg"),
    ]


# --- mistakes keep what was typed ------------------------------------------------------------


def test_a_missing_field_shows_the_form_again_with_everything_typed(client, category):
    response = send(client, email="", category=category.pk)

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "This field is required." in response.text
    assert 'value="Katalin Szabó"' in response.text
    assert "My November bill was taken twice from my account.</textarea>" in response.text
    assert f'<option value="{category.pk}" selected>' in response.text


def test_an_unreadable_phone_number_is_explained(client, category):
    response = send(client, phone="call me maybe")
    assert "This does not look like a phone number." in response.text
    assert Ticket.objects.count() == 0


def test_each_refused_file_gets_its_own_error_and_the_visitor_is_told_to_choose_files_again(
    client, category, settings, media
):
    settings.ATTACHMENT_MAX_BYTES = 1000
    program = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/x-msdownload")

    response = send(client, attachments=[pdf(size=5000), program, pdf("ok.pdf")])

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "bill.pdf is larger than 1000" in response.text
    assert "setup.exe is a kind of file we cannot accept." in response.text
    assert "ok.pdf" not in response.text
    assert 'data-testid="files-dropped"' in response.text
    assert 'value="Charged twice"' in response.text


def test_too_many_files_are_refused(client, category, settings, media):
    settings.ATTACHMENT_MAX_COUNT = 2
    response = send(client, attachments=[pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")])
    assert "Please attach at most 2 files." in response.text
    assert Ticket.objects.count() == 0


# --- abuse protection ------------------------------------------------------------------------


def test_a_bot_that_fills_the_honeypot_is_refused_and_nothing_is_created(client, category):
    response = send(client, homepage="http://spam.example")

    assert response.status_code == 400
    assert (Ticket.objects.count(), Customer.objects.count(), Notification.objects.count()) == (0, 0, 0)
    assert "Your request could not be sent." in response.text
    assert 'value="Katalin Szabó"' in response.text
    assert "http://spam.example" not in response.text


def test_too_many_requests_from_one_address_are_paused_for_the_hour(
    client, category, settings, monday_morning
):
    settings.WEB_FORM_LIMIT_PER_IP_PER_HOUR = 2
    assert send(client, email="a@example.hu").status_code == 302
    monday_morning.shift(timedelta(minutes=10))
    assert send(client, email="b@example.hu").status_code == 302

    monday_morning.shift(timedelta(minutes=5))
    limited = send(client, email="c@example.hu", subject="Third one")

    assert limited.status_code == 429
    assert Ticket.objects.count() == 2
    assert "we cannot take a new one right now" in limited.text
    assert "after 12:00" in limited.text  # when the first of the two leaves the hour
    assert 'value="Third one"' in limited.text
    assert send(client, ip="198.51.100.1", email="c@example.hu").status_code == 302

    monday_morning.shift(timedelta(minutes=46))
    assert send(client, email="d@example.hu").status_code == 302


def test_too_many_requests_for_one_email_are_paused_whatever_the_address(
    client, category, settings, monday_morning
):
    settings.WEB_FORM_LIMIT_PER_EMAIL_PER_HOUR = 2
    assert send(client, ip="198.51.100.1").status_code == 302
    assert send(client, ip="198.51.100.2", email="KATALIN@example.hu").status_code == 302

    limited = send(client, ip="198.51.100.3")

    assert limited.status_code == 429
    assert Ticket.objects.count() == 2
    assert 'value="katalin@example.hu"' in limited.text
    monday_morning.shift(timedelta(hours=1, seconds=1))
    assert send(client, ip="198.51.100.3").status_code == 302


def test_requests_on_other_channels_do_not_count_against_the_form(client, category, settings, make_ticket):
    settings.WEB_FORM_LIMIT_PER_EMAIL_PER_HOUR = 1
    make_ticket(channel="email", email="katalin@example.hu")
    assert send(client).status_code == 302


# --- the confirmation page -------------------------------------------------------------------


def test_the_confirmation_needs_the_secret_token(client, make_ticket):
    ticket = make_ticket()
    assert client.get("/tickets/new/done/not-the-token/").status_code == 404
    assert client.get(f"/tickets/new/done/{ticket.reference}/").status_code == 404


def test_the_confirmation_is_neither_cached_nor_leaked_to_other_sites(client, make_ticket):
    ticket = make_ticket()

    response = client.get(f"/tickets/new/done/{ticket.status_token}/")

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert "on its way" not in response.text  # no acknowledgement was written for this one


def test_the_confirmation_only_answers_get(client, make_ticket):
    assert client.post(f"/tickets/new/done/{make_ticket().status_token}/").status_code == 405
