"""An agent attaches files to a reply, within the customers' limits; they go out with the email
and show on the status page."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helpdesk.mail import delivery
from helpdesk.models import Attachment, Notification, TicketEntry
from tests.helpdesk.files.conftest import PDF, picture


@pytest.fixture(autouse=True)
def _office_hours(time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), tick=False)


def upload(name, content, declared="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=declared)


def reply_with(client, ticket, *files, body="Dear Katalin, the corrected bill is attached."):
    seen = client.get(f"/agent/tickets/{ticket.reference}/").context["reply_form"].initial["seen_up_to"]
    return client.post(
        f"/agent/tickets/{ticket.reference}/reply/",
        {"body": body, "seen_up_to": seen, "attachments": list(files)},
    )


def test_files_attached_to_a_reply_go_out_with_the_email_and_show_on_the_status_page(
    client, agent, make_ticket, mailoutbox
):
    ticket = make_ticket()
    client.force_login(agent)

    response = reply_with(client, ticket, upload("corrected-bill.pdf", PDF), upload("IMG_0042", picture()))

    assert response.status_code == 302
    entry = ticket.entries.get(kind=TicketEntry.Kind.REPLY)
    assert sorted(entry.attachments.values_list("filename", "content_type")) == [
        ("IMG_0042.png", "image/png"),
        ("corrected-bill.pdf", "application/pdf"),
    ]
    email = Notification.objects.get(kind=Notification.Kind.REPLY)
    assert delivery.deliver(email.pk) == "sent"
    sent = mailoutbox[0]
    assert [(name, kind) for name, _content, kind in sent.attachments] == [
        ("corrected-bill.pdf", "application/pdf"),
        ("IMG_0042.png", "image/png"),
    ]
    assert sent.attachments[0][1] == PDF
    status_page = client.get(f"/status/{ticket.status_token}/").text
    assert "corrected-bill.pdf" in status_page
    assert f"/status/{ticket.status_token}/files/" in status_page


def test_a_reply_without_files_sends_an_email_without_attachments(client, agent, make_ticket, mailoutbox):
    ticket = make_ticket()
    client.force_login(agent)

    reply_with(client, ticket)
    delivery.deliver(Notification.objects.get(kind=Notification.Kind.REPLY).pk)

    assert mailoutbox[0].attachments == []


def test_a_reply_with_a_refused_file_sends_nothing_and_keeps_the_draft(client, agent, make_ticket):
    ticket = make_ticket()
    client.force_login(agent)

    response = reply_with(
        client,
        ticket,
        upload("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html"),
        body="Draft with a web page",
    )

    assert response.status_code == 200
    assert "page.html is a kind of file we cannot accept." in response.text
    assert "Draft with a web page" in response.text
    assert 'data-testid="files-dropped"' in response.text
    assert not ticket.entries.filter(kind=TicketEntry.Kind.REPLY).exists()
    assert not Notification.objects.filter(kind=Notification.Kind.REPLY).exists()


def test_a_reply_takes_no_more_files_than_a_customers_message(client, agent, make_ticket, settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    ticket = make_ticket()
    client.force_login(agent)

    response = reply_with(client, ticket, *(upload(f"scan-{n}.pdf", PDF) for n in range(3)))

    assert response.status_code == 200
    assert "Please attach at most 2 files." in response.text
    assert not Attachment.objects.filter(entry__kind=TicketEntry.Kind.REPLY).exists()


def test_a_reply_takes_no_larger_file_than_a_customers_message(client, agent, make_ticket, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    ticket = make_ticket()
    client.force_login(agent)

    response = reply_with(client, ticket, upload("big.pdf", PDF + b"\n" * 200))

    assert response.status_code == 200
    assert "big.pdf is larger than 100" in response.text
    assert not ticket.entries.filter(kind=TicketEntry.Kind.REPLY).exists()


def test_a_reply_held_back_by_a_colleagues_answer_keeps_the_text_and_asks_for_the_files_again(
    client, agent, other_agent, make_ticket
):
    ticket = make_ticket()
    client.force_login(agent)
    seen = client.get(f"/agent/tickets/{ticket.reference}/").context["reply_form"].initial["seen_up_to"]
    ticket.reply(by=other_agent, body="Bence here: refund on its way.", seen_up_to=None)

    response = client.post(
        f"/agent/tickets/{ticket.reference}/reply/",
        {"body": "Anna's draft with the bill", "seen_up_to": seen, "attachments": [upload("bill.pdf", PDF)]},
    )

    assert response.status_code == 409
    assert "Anna&#x27;s draft with the bill" in response.text
    assert 'data-testid="files-dropped"' in response.text
    assert not Attachment.objects.filter(entry__kind=TicketEntry.Kind.REPLY).exists()


def test_files_past_what_one_email_may_carry_stay_on_the_status_page_only(
    client, agent, make_ticket, mailoutbox, settings
):
    settings.EMAIL_ATTACHMENTS_MAX_BYTES = len(PDF) + 10
    ticket = make_ticket()
    client.force_login(agent)

    reply_with(client, ticket, upload("bill.pdf", PDF), upload("meter.png", picture()))
    assert delivery.deliver(Notification.objects.get(kind=Notification.Kind.REPLY).pk) == "sent"

    assert [name for name, _content, _kind in mailoutbox[0].attachments] == ["bill.pdf"]
    status_page = client.get(f"/status/{ticket.status_token}/").text
    assert "bill.pdf" in status_page
    assert "meter.png" in status_page
