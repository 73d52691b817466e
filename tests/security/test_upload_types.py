"""Uploaded files are recognised from their content, never from what the sender declares.

The review's reproduction: `x.html` declared as text/plain and `setup.exe` declared as
application/pdf were stored with their own extension. Every channel that takes files (the web
form, the status page's message box, inbound email) goes through one check; the API takes no
files at all.
"""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import Resolver404, resolve

from helpdesk.attachments import check_attachment
from helpdesk.models import ApiIntegration, Attachment, Ticket, TicketEntry

BUDAPEST = ZoneInfo("Europe/Budapest")

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000155e0d4a70000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"

FORM = {
    "name": "Katalin Szabó",
    "email": "katalin@example.hu",
    "language": "en",
    "subject": "Charged twice",
    "description": "My November bill was taken twice from my account.",
}


def office_document(first_folder: str) -> bytes:
    """A minimal Office Open XML container: the parts Word or Excel write first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{first_folder}/document.xml", "<document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", PROGRAM)
    return buffer.getvalue()


def upload(name: str, content: bytes, declared: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=declared)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(datetime(2026, 11, 23, 11, 0, tzinfo=BUDAPEST), tick=False):
        yield


def send_form(client, *files):
    return client.post("/tickets/new/", {**FORM, "attachments": list(files)}, REMOTE_ADDR="203.0.113.7")


def stored(ticket: Ticket) -> list[tuple[str, str]]:
    return sorted(Attachment.objects.filter(entry__ticket=ticket).values_list("filename", "content_type"))


# --- the web form -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("x.html", HTML, "text/plain"),
        ("setup.exe", PROGRAM, "application/pdf"),
        ("invoice.pdf", PROGRAM, "application/pdf"),
        ("notes.txt", b"Hello\x00\x01\x02 binary", "text/plain"),
        (
            "report.docx",
            plain_zip(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("files.zip", plain_zip(), "application/zip"),
    ],
    ids=["html-as-text", "exe-as-pdf", "exe-named-pdf", "binary-as-text", "zip-named-docx", "zip"],
)
def test_the_web_form_refuses_a_file_whose_content_is_not_an_allowed_kind(
    client, category, name, content, declared
):
    response = send_form(client, upload(name, content, declared))

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert f"{name} is a kind of file we cannot accept." in response.text
    assert 'value="Charged twice"' in response.text
    assert "My November bill was taken twice" in response.text


def test_the_web_form_keeps_real_pdfs_and_pictures_with_the_type_of_their_content(client, category):
    response = send_form(
        client,
        upload("bill.pdf", PDF, "application/pdf"),
        upload("meter.png", PNG, "image/png"),
        # What a phone sends: no extension, a generic type; the content says it is a JPEG.
        upload("IMG_2031", JPEG, "application/octet-stream"),
    )

    assert response.status_code == 302
    assert stored(Ticket.objects.get()) == [
        ("IMG_2031.jpg", "image/jpeg"),
        ("bill.pdf", "application/pdf"),
        ("meter.png", "image/png"),
    ]


def test_the_stored_extension_comes_from_the_content_not_from_the_name(client, category, media):
    response = send_form(
        client,
        upload("scan.html", PDF, "text/html"),
        upload("photo.jpeg", JPEG, "image/jpeg"),
    )

    assert response.status_code == 302
    attachments = Attachment.objects.order_by("filename")
    assert [(a.filename, a.content_type) for a in attachments] == [
        ("photo.jpeg", "image/jpeg"),  # a usual extension of that kind is kept
        ("scan.pdf", "application/pdf"),
    ]
    assert attachments[1].file.name.endswith("/scan.pdf")
    assert (media / attachments[1].file.name).read_bytes() == PDF


def test_office_documents_are_recognised_inside_their_zip_container(client, category):
    response = send_form(
        client,
        upload("offer.docx", office_document("word"), "application/octet-stream"),
        upload("meter readings.xlsx", office_document("xl"), "application/octet-stream"),
    )

    assert response.status_code == 302
    assert stored(Ticket.objects.get()) == [
        ("meter readings.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("offer.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ]


def test_plain_text_and_csv_are_kept_as_plain_text(client, category):
    response = send_form(
        client,
        upload("notes.txt", "Számla: 12 400 Ft, kétszer levonva.\n".encode(), "text/plain"),
        upload("readings.csv", "data;óra\n2026-11-01;1234\n".encode("cp1250"), "text/csv"),
    )

    assert response.status_code == 302
    assert stored(Ticket.objects.get()) == [("notes.txt", "text/plain"), ("readings.txt", "text/plain")]


# --- the status page's message box --------------------------------------------------------------


def test_the_status_page_refuses_the_disguised_files_and_keeps_the_message(client, make_ticket):
    ticket = make_ticket(language="en")

    response = client.post(
        f"/status/{ticket.status_token}/reply/",
        {
            "body": "Here is the statement.",
            "attachments": [
                upload("x.html", HTML, "text/plain"),
                upload("setup.exe", PROGRAM, "application/pdf"),
            ],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "x.html is a kind of file we cannot accept." in response.text
    assert "setup.exe is a kind of file we cannot accept." in response.text
    assert "Here is the statement." in response.text
    assert ticket.entries.filter(kind=TicketEntry.Kind.MESSAGE).count() == 1
    assert not Attachment.objects.exists()


def test_the_status_page_keeps_a_real_picture(client, make_ticket):
    ticket = make_ticket(language="en")

    response = client.post(
        f"/status/{ticket.status_token}/reply/",
        {"body": "The meter.", "attachments": [upload("meter", PNG, "application/octet-stream")]},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert stored(ticket) == [("meter.png", "image/png")]


# --- inbound email ------------------------------------------------------------------------------


def test_an_email_keeps_its_real_pdf_and_leaves_the_disguised_files_out(settings, tmp_path, queue):
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <help@helpdesk.example>"
    message = tmp_path / "disguised.eml"
    message.write_bytes(
        b"From: John Carter <john.carter@example.com>\r\n"
        b"To: help@helpdesk.example\r\n"
        b"Subject: My documents\r\n"
        b"Message-ID: <disguised@mail.example.com>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe bill and the tool I used.\r\n"
        b"--b\r\nContent-Type: text/plain\r\n"
        b'Content-Disposition: attachment; filename="x.html"\r\n\r\n' + HTML + b"\r\n"
        b"--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="setup.exe"\r\n\r\n'
        b"TVqQAAMAAAAEAAAA//8AAA==\r\n"
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="bill"\r\n\r\n' + PDF + b"\r\n"
        b"--b--\r\n"
    )

    call_command("ingest_email", str(message), stdout=io.StringIO())

    ticket = Ticket.objects.get()
    entry = ticket.entries.get(kind=TicketEntry.Kind.MESSAGE)
    assert entry.body.startswith("The bill and the tool I used.")
    assert stored(ticket) == [("bill.pdf", "application/pdf")]
    assert [item["filename"] for item in entry.data["refused_attachments"]] == ["x.html", "setup.exe"]


# --- the API ------------------------------------------------------------------------------------


def test_the_api_takes_no_files(client, queue):
    _integration, token = ApiIntegration.objects.create_with_token(name="Web shop")
    response = client.post(
        "/api/tickets/",
        {
            "email": "katalin@example.hu",
            "description": "The vase arrived in pieces.",
            "attachments": [{"filename": "x.html", "content_type": "text/plain", "content": "PGh0bWw+"}],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 201
    assert not Attachment.objects.exists()


# --- the check itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"  <html><body>hi</body></html>",
        b"\xef\xbb\xbf<svg onload=alert(1)>",
        b"Dear team,\n<script>alert(1)</script>",
        b"<?xml version='1.0'?><x/>",
    ],
    ids=["html", "svg-after-bom", "script-in-first-lines", "xml"],
)
def test_text_with_markup_at_its_start_is_not_plain_text(content):
    with pytest.raises(ValidationError, match="cannot accept"):
        check_attachment("notes.txt", "text/plain", content)


def test_a_forwarded_email_is_kept_as_a_message_whatever_its_charset():
    forwarded = (
        b"From: a@example.com\r\nSubject: Bill\r\nContent-Type: text/html; charset=iso-2022-jp\r\n\r\n"
        b"<p>\x1b$B$3$s$K$A$O\x1b(B</p>\r\n"
    )

    assert check_attachment("Bill", "message/rfc822", forwarded) == ("Bill.eml", "message/rfc822")
    # The same bytes declared as anything else are not plain text: they start as no page should.
    with pytest.raises(ValidationError):
        check_attachment("Bill.txt", "text/plain", b"<p>" + forwarded)


# --- serving the files --------------------------------------------------------------------------


def test_stored_files_are_never_served_by_the_site(client, category, settings):
    send_form(client, upload("bill.pdf", PDF, "application/pdf"))
    path = settings.MEDIA_URL + Attachment.objects.get().file.name

    with pytest.raises(Resolver404):
        resolve("/" + path)
    assert client.get("/" + path).status_code == 404
