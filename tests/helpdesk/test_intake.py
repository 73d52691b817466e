"""intake.receive: the one way in, whatever the channel."""

import pytest
from django.core.exceptions import ValidationError

from helpdesk import intake
from helpdesk.models import Customer, Notification, Ticket, TicketEntry
from helpdesk.references import REFERENCE_ALPHABET, normalise_reference


def test_a_request_becomes_a_ticket_with_a_readable_reference_and_a_secret_token(make_ticket):
    ticket = make_ticket()

    assert ticket.status == Ticket.Status.NEW
    letters = ticket.reference.replace("-", "")
    assert len(letters) == 8
    assert set(letters) <= set(REFERENCE_ALPHABET)
    assert not set(letters) & set("0O1IL5S8B2Z")
    assert len(ticket.status_token) >= 43  # 256 bits, URL-safe base64
    assert normalise_reference(ticket.reference.lower().replace("-", " ")) == ticket.reference


def test_the_timeline_starts_with_created_and_the_customers_words(make_ticket):
    ticket = make_ticket(channel="email", message_id="<abc@example.hu>")

    created, message = ticket.entries.all()
    assert (created.kind, created.event, created.channel) == ("event", "created", "email")
    assert message.kind == TicketEntry.Kind.MESSAGE
    assert message.body == "My November bill was taken twice from my account."
    assert message.message_id == "<abc@example.hu>"
    assert message.is_public


def test_same_email_in_any_case_is_the_same_customer(make_ticket):
    first = make_ticket(email="Katalin@Example.HU")
    second = make_ticket(email="katalin@example.hu", name="")
    assert first.customer == second.customer
    assert Customer.objects.count() == 1


def test_a_caller_known_by_phone_is_found_in_any_spelling(make_ticket, agent):
    first = make_ticket(channel="phone", email="", phone="06 30 123 4567", by=agent)
    second = make_ticket(channel="phone", email="", phone="+36-30-123-4567", by=agent)
    assert first.customer == second.customer
    assert first.customer.phone == "+36301234567"


def test_the_language_chosen_on_a_request_becomes_the_customers_language(make_ticket):
    make_ticket(language="hu")
    ticket = make_ticket(language="pl")
    assert ticket.customer.language == "pl"
    assert ticket.language == "pl"


def test_category_routes_by_language(make_ticket, category, polish_queue):
    category.routes.create(language="pl", queue=polish_queue)

    assert make_ticket(category=category, language="hu").queue == category.queue
    assert make_ticket(category=category, language="pl", email="piotr@example.pl").queue == polish_queue


def test_without_a_category_the_default_queue_takes_it(make_ticket, queue):
    assert make_ticket(category=None).queue == queue


def test_complaint_category_marks_the_ticket_and_sets_its_priority(make_ticket, complaint_category):
    ticket = make_ticket(category=complaint_category)
    assert ticket.is_complaint
    assert ticket.priority == complaint_category.default_priority


def test_a_call_solved_on_the_spot_is_created_resolved(make_ticket, agent):
    ticket = make_ticket(channel="phone", by=agent, solved_on_first_contact=True)
    assert ticket.status == Ticket.Status.RESOLVED
    assert ticket.solved_on_first_contact
    assert ticket.entries.filter(kind="message", author=agent).exists()


def test_subject_falls_back_to_the_first_line_of_the_text(make_ticket):
    ticket = make_ticket(subject="", body="\n  Internet down since 7am  \nwhole street")
    assert ticket.subject == "Internet down since 7am"


def test_sla_due_times_come_from_the_queue_calendar(make_ticket):
    ticket = make_ticket()
    assert ticket.first_response_due_at is not None
    assert ticket.resolution_due_at > ticket.first_response_due_at


def test_acknowledgement_is_written_to_the_outbox_in_the_customers_language(make_ticket):
    ticket = make_ticket(acknowledge=True, language="pl", email="piotr@example.pl", name="Piotr")

    notification = Notification.objects.get()
    assert notification.kind == "acknowledgement"
    assert notification.to_email == "piotr@example.pl"
    assert notification.language == "pl"
    assert notification.subject.startswith(f"[#{ticket.reference}] ")
    assert ticket.reference in notification.body_text
    assert f"/status/{ticket.status_token}/" in notification.body_text
    assert notification.status == Notification.Status.PENDING


def test_first_acknowledgement_to_a_new_address_quotes_nothing_they_typed(make_ticket):
    make_ticket(acknowledge=True, subject="Buy cheap pills at spam.example", body="spam spam")
    notification = Notification.objects.get()
    assert "spam" not in notification.subject + notification.body_text + notification.body_html


def test_acknowledgements_to_one_address_are_capped_per_hour(make_ticket, settings):
    settings.ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR = 3
    for _ in range(5):
        make_ticket(acknowledge=True)
    assert Notification.objects.count() == 3
    assert Ticket.objects.count() == 5


def test_a_refused_attachment_refuses_the_request_and_keeps_nothing(make_ticket):
    with pytest.raises(ValidationError, match="cannot accept"):
        make_ticket(attachments=[intake.IncomingAttachment("virus.exe", "application/x-msdownload", b"MZ")])
    assert Ticket.objects.count() == 0


def test_attachments_are_stored_with_their_size_and_type(make_ticket, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = make_ticket(
        attachments=[intake.IncomingAttachment("bill.pdf", "application/pdf", b"%PDF-1.4 ...")]
    )
    attachment = ticket.entries.get(kind="message").attachments.get()
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "bill.pdf",
        "application/pdf",
        12,
    )
    assert attachment.file.read() == b"%PDF-1.4 ..."


def test_an_agent_can_name_the_customer_directly(make_ticket, agent):
    known = make_ticket(channel="phone", email="", phone="+36301234567", by=agent).customer
    namesake = make_ticket(channel="phone", email="other@example.hu", phone="", by=agent).customer

    ticket = make_ticket(channel="phone", customer=namesake, email="", phone="+36301234567", by=agent)

    assert ticket.customer == namesake
    assert known.tickets.count() == 1
    namesake.refresh_from_db()
    assert namesake.phone == "+36301234567"  # a detail learnt on the call
