"""Agents open a ticket's files from the workspace; the customer opens their own from the status
page, where the status link is the key. Tried as an attacker would: another request's link, no
link, a guessed number, a file whose content is a web page."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.models import Attachment, TicketEntry
from tests.helpdesk.files.conftest import PDF, TEXT, incoming, picture

FILE_LINK = re.compile(r'href="(/(?:agent|status/[^/"]+)/files/\d+/)"')


@pytest.fixture
def bill_ticket(make_ticket):
    return make_ticket(
        attachments=[incoming("bill.pdf", PDF), incoming("meter.png", picture()), incoming("notes.txt", TEXT)]
    )


def links(page) -> list[str]:
    return FILE_LINK.findall(page.text)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_agent_opens_each_file_of_a_ticket_from_the_workspace(client, agent, bill_ticket):
    client.force_login(agent)

    urls = links(client.get(f"/agent/tickets/{bill_ticket.reference}/"))
    pdf, png, text = (client.get(url) for url in urls)

    assert len(urls) == 3
    assert (pdf["Content-Type"], pdf["Content-Disposition"]) == (
        "application/pdf",
        'inline; filename="bill.pdf"',
    )
    assert body(pdf) == PDF
    assert (png["Content-Type"], png["Content-Disposition"]) == ("image/png", 'inline; filename="meter.png"')
    # Text is no picture: a download, whatever a browser would make of it.
    assert text["Content-Type"] == "application/octet-stream"
    assert text["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert body(text) == TEXT
    for response in (pdf, png, text):
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_customer_opens_their_own_files_from_the_status_page(client, bill_ticket):
    urls = links(client.get(f"/status/{bill_ticket.status_token}/"))

    responses = [client.get(url) for url in urls]

    assert len(urls) == 3
    assert all(url.startswith(f"/status/{bill_ticket.status_token}/files/") for url in urls)
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert body(responses[0]) == PDF
    # The link is the key: it leaves no trace in a Referer header or a shared cache.
    assert responses[0]["Referrer-Policy"] == "no-referrer"
    assert "no-store" in responses[0]["Cache-Control"]


def test_another_requests_status_link_does_not_open_a_file(client, make_ticket, bill_ticket):
    other = make_ticket(email="mallory@example.hu", attachments=[incoming("mine.pdf", PDF)])
    victims_file = Attachment.objects.get(filename="bill.pdf")

    response = client.get(f"/status/{other.status_token}/files/{victims_file.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/status/not-a-real-token/files/{pk}/", "/status/{token}x/files/{pk}/"])
def test_a_made_up_status_link_does_not_open_a_file(client, bill_ticket, path):
    attachment = Attachment.objects.get(filename="bill.pdf")

    response = client.get(path.format(pk=attachment.pk, token=bill_ticket.status_token))

    assert response.status_code == 404


def test_a_guessed_number_with_ones_own_link_opens_nothing_else(client, make_ticket, bill_ticket, agent):
    mine = make_ticket(email="mallory@example.hu", attachments=[incoming("mine.pdf", PDF)])
    note = mine.record(TicketEntry.Kind.NOTE, by=agent, body="Internal: the scan of the contract")
    internal = Attachment.objects.create(
        entry=note, filename="contract.pdf", content_type="application/pdf", size=1
    )
    internal.file.save("contract.pdf", ContentFile(PDF))
    highest = Attachment.objects.order_by("-pk").first().pk

    found = [
        client.get(f"/status/{mine.status_token}/files/{pk}/").status_code for pk in range(1, highest + 3)
    ]

    # Only the customer's own file opens: not another request's, not an internal note's.
    assert found.count(200) == 1
    assert client.get(f"/status/{mine.status_token}/files/{internal.pk}/").status_code == 404


def test_without_a_sign_in_the_agents_link_asks_to_sign_in(client, bill_ticket):
    attachment = Attachment.objects.get(filename="bill.pdf")

    response = client.get(f"/agent/files/{attachment.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signed_in_account_without_a_staff_role_cannot_open_a_file(client, outsider, bill_ticket):
    client.force_login(outsider)

    response = client.get(f"/agent/files/{Attachment.objects.get(filename='bill.pdf').pk}/")

    assert response.status_code == 403


def test_a_missing_file_or_number_is_a_404_not_an_error(client, agent, bill_ticket):
    attachment = Attachment.objects.get(filename="bill.pdf")
    default_storage.delete(attachment.file.name)
    client.force_login(agent)

    assert client.get(f"/agent/files/{attachment.pk}/").status_code == 404
    assert client.get("/agent/files/999999/").status_code == 404
    assert client.get(f"/agent/files/{attachment.pk}/thumbnail/").status_code == 404


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    ],
    ids=["html", "svg"],
)
def test_a_web_page_among_the_files_is_downloaded_never_shown(client, agent, bill_ticket, content):
    # Never stored by our channels; a row pointing at one (an import, a restored backup) is
    # still served by what its content is, not by the type on the row.
    attachment = Attachment.objects.get(filename="meter.png")
    attachment.file.save("meter.png", ContentFile(content))
    client.force_login(agent)

    response = client.get(f"/agent/files/{attachment.pk}/")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_files_are_read_through_the_storage_api_wherever_it_keeps_them(client, agent, settings, make_ticket):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    ticket = make_ticket(attachments=[incoming("bill.pdf", PDF)])
    client.force_login(agent)

    response = client.get(links(client.get(f"/agent/tickets/{ticket.reference}/"))[0])

    assert body(response) == PDF


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_entries(ticket, agent, count, *, files):
    """Replies and customer messages, `files` of them carrying a picture and a PDF each."""
    for index in range(count):
        kind = TicketEntry.Kind.REPLY if index % 2 else TicketEntry.Kind.MESSAGE
        entry = ticket.record(kind, by=agent if index % 2 else None, body=f"Entry {index}", is_public=True)
        if index < files:
            for name in (f"photo-{index}.png", f"scan-{index}.pdf"):
                attachment = Attachment(entry=entry, filename=name, content_type="image/png", size=10)
                attachment.file.name = f"attachments/{name}"
                attachment.thumbnail.name = f"thumbnails/{name}" if name.endswith(".png") else ""
                attachment.save()


def test_the_workspace_and_status_page_cost_the_same_queries_with_2_or_20_files(client, agent, make_ticket):
    ticket = make_ticket()
    client.force_login(agent)
    workspace, status = f"/agent/tickets/{ticket.reference}/", f"/status/{ticket.status_token}/"
    add_entries(ticket, agent, 4, files=1)
    client.get(workspace), client.get(status)  # the caches of a running site are warm
    small = [count_queries(client, workspace), count_queries(client, status)]

    add_entries(ticket, agent, 46, files=9)
    large = [count_queries(client, workspace), count_queries(client, status)]
    page = client.get(workspace).text

    assert small == large
    assert page.count('data-testid="attachment"') == 20
    assert page.count('data-testid="thumbnail"') == 10
