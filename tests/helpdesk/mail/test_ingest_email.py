"""Inbound email: every message is recorded, replies thread, machines are never answered."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from helpdesk.mail.inbound import ingest_message
from helpdesk.mail.parse import parse
from helpdesk.models import InboundEmail, Notification, Ticket, TicketEntry

CORPUS = Path(__file__).resolve().parents[2] / "email_corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())
SHARED_CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpora" / "email"
DOMAIN = "helpdesk.example"
MOJIBAKE = ("Ã©", "Ã¡", "Ã³", "Å‚", "Å›", "Ä…", "Ä™", "Å‘", "Å±", "\ufffd")


@pytest.fixture(autouse=True)
def _mail_settings(settings, tmp_path):
    settings.DEFAULT_FROM_EMAIL = f"Ügyfélszolgálat <help@{DOMAIN}>"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def known_tickets(make_ticket, polish_queue):
    """Two tickets the corpus answers, with fixed references and our notifications' Message-IDs."""
    hungarian = make_ticket(email="katalin.nagy@example.hu", name="Nagy Katalin", channel="email")
    polish = make_ticket(email="marek.nowak@example.pl", name="Marek Nowak", language="pl")
    Ticket.objects.filter(pk=hungarian.pk).update(reference="K7MX-4R9D")
    Ticket.objects.filter(pk=polish.pk).update(reference="W3PQ-7HXC")
    for ticket, message_id in [(hungarian, "<5f1e9a0c.K7MX-4R9D@"), (polish, "<9c4d7e21.W3PQ-7HXC@")]:
        ticket.refresh_from_db()
        Notification.objects.create(
            ticket=ticket,
            customer=ticket.customer,
            kind=Notification.Kind.ACKNOWLEDGEMENT,
            to_email=ticket.customer.email,
            language=ticket.language,
            subject=f"[#{ticket.reference}] Megkaptuk",
            body_text="…",
            message_id=f"{message_id}{DOMAIN}>",
            status=Notification.Status.SENT,
        )
    return hungarian, polish


def ingest(*paths):
    out = io.StringIO()
    call_command("ingest_email", *map(str, paths), stdout=out)
    lines = out.getvalue().splitlines()
    return {line.split(": ", 1)[0].removeprefix(f"{CORPUS}/"): line.split(": ", 1)[1] for line in lines}


def test_every_corpus_message_gets_its_expected_outcome(known_tickets):
    results = ingest(CORPUS)

    assert set(results) == set(EXPECTED)
    for label, expected in EXPECTED.items():
        line = results[label]
        assert line.split(" ", 1)[0] == expected["outcome"], (label, line)
        if "reference" in expected:
            assert expected["reference"] in line, (label, line)
        if "reason" in expected:
            assert expected["reason"] in line, (label, line)


def _created_ticket(label):
    inbound = InboundEmail.objects.get(source=str(CORPUS / label), outcome__in=["created", "threaded"])
    return inbound.ticket


def test_corpus_texts_subjects_and_attachments_come_out_readable(known_tickets):
    ingest(CORPUS)

    for label, expected in EXPECTED.items():
        if expected["outcome"] not in ("created", "threaded"):
            continue
        ticket = _created_ticket(label)
        message_id = InboundEmail.objects.get(source=str(CORPUS / label)).message_id
        entries = ticket.entries.filter(kind="message")
        entry = entries.get(message_id=message_id) if message_id else entries.get()
        for snippet in expected.get("text", []):
            assert snippet in entry.body, (label, entry.body)
        for snippet in expected.get("not_text", []):
            assert snippet not in entry.body, (label, entry.body)
        for snippet in expected.get("quoted", []):
            assert snippet in entry.quoted_text, (label, entry.quoted_text)
        assert not any(bad in entry.body for bad in MOJIBAKE), (label, entry.body)
        if "subject" in expected:
            assert ticket.subject == expected["subject"], label
        for snippet in expected.get("subject_contains", []):
            assert snippet in ticket.subject, (label, ticket.subject)
        if "from_name" in expected:
            assert ticket.customer.name == expected["from_name"], label
        if "language" in expected and expected["outcome"] == "created":
            assert ticket.language == expected["language"], label
        if "attachments" in expected:
            assert sorted(entry.attachments.values_list("filename", flat=True)) == sorted(
                expected["attachments"]
            )
        for content_id in expected.get("inline", []):
            assert entry.attachments.filter(content_id=content_id).exists(), label
        if "refused" in expected:
            assert [item["filename"] for item in entry.data["refused_attachments"]] == expected["refused"]
        if "same_ticket_as" in expected:
            assert ticket == _created_ticket(expected["same_ticket_as"])


def test_reingesting_the_corpus_creates_nothing_new(known_tickets):
    ingest(CORPUS)
    counts = (Ticket.objects.count(), TicketEntry.objects.count(), InboundEmail.objects.count())

    again = ingest(CORPUS)

    assert set(again.values()) == {"duplicate"}
    assert (Ticket.objects.count(), TicketEntry.objects.count(), InboundEmail.objects.count()) == counts


def test_a_bounce_is_recorded_on_our_notification_and_the_ticket(known_tickets):
    _hungarian, polish = known_tickets

    ingest(CORPUS / "26_bounce_dsn_of_our_notification.eml")

    notification = Notification.objects.get(message_id=f"<9c4d7e21.W3PQ-7HXC@{DOMAIN}>")
    assert notification.status == Notification.Status.BOUNCED
    assert "User unknown" in notification.bounce_reason
    assert polish.entries.filter(event=TicketEntry.Event.NOT_DELIVERED, is_public=False).exists()


def test_machine_mail_is_never_acknowledged(known_tickets):
    before = Notification.objects.count()

    for name in [
        "20_autoreply_hu_out_of_office.eml",
        "23_mailing_list.eml",
        "25_noreply_sender.eml",
        "26_bounce_dsn_of_our_notification.eml",
        "28_dsn_delayed_warning.eml",
        "29_read_receipt_mdn_hu.eml",
    ]:
        ingest(CORPUS / name)

    assert Notification.objects.count() == before
    assert Ticket.objects.count() == 2


def test_a_new_request_is_acknowledged_once_and_a_reply_reopens_its_ticket(known_tickets):
    hungarian, _polish = known_tickets
    hungarian.resolve(by=None)

    ingest(CORPUS / "01_hu_utf8_quoted_printable.eml", CORPUS / "16_reply_by_subject_reference.eml")

    new = Ticket.objects.exclude(pk__in=[t.pk for t in known_tickets]).get()
    assert (new.channel, new.language) == ("email", "hu")
    assert new.notifications.get().kind == Notification.Kind.ACKNOWLEDGEMENT
    hungarian.refresh_from_db()
    assert hungarian.status == Ticket.Status.OPEN
    assert not hungarian.notifications.exclude(message_id__startswith="<5f1e9a0c").exists()


def test_quarantined_mail_waits_for_review_with_its_raw_bytes(db):
    raw = (CORPUS / "30_broken_no_sender.eml").read_bytes()

    result = ingest_message(raw, source="test")

    inbound = InboundEmail.objects.quarantined().get()
    assert result.outcome == "quarantined"
    assert bytes(inbound.raw) == raw
    assert inbound.reason == "no usable sender address"


def test_ingest_email_reads_stdin_maildir_and_names_mbox_indexes(queue, tmp_path, monkeypatch):
    maildir = tmp_path / "Maildir"
    for folder in ("cur", "new", "tmp"):
        (maildir / folder).mkdir(parents=True)
    (maildir / "new" / "1700000000.M1.host").write_bytes((CORPUS / "07_en_html_only.eml").read_bytes())
    stdin = io.TextIOWrapper(io.BytesIO((CORPUS / "02_hu_iso8859-2_8bit.eml").read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)

    results = ingest(maildir, "-", CORPUS / "37_two_messages.mbox")

    assert [line.split(" ")[0] for line in results.values()] == ["created", "created", "created", "threaded"]
    assert list(results)[1:] == ["-", "37_two_messages.mbox[0]", "37_two_messages.mbox[1]"]


def test_ingest_email_refuses_a_missing_path(db):
    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest_email", "/nowhere/inbox.mbox")


@pytest.mark.skipif(
    not SHARED_CORPUS.is_dir(), reason="the shared real-world email corpus is not beside this checkout"
)
def test_every_real_world_message_gets_a_sensible_outcome(queue):
    manifest = {item["file"]: item for item in json.loads((SHARED_CORPUS / "manifest.json").read_text())}
    for name, item in manifest.items():
        raw = (SHARED_CORPUS / name).read_bytes()
        result = ingest_message(raw, source=name)
        note = item.get("note", "")

        assert result.outcome in {"created", "threaded", "duplicate", "ignored", "bounce", "quarantined"}
        if note.startswith("BOUNCE") or "DSN failure" in note:
            assert result.outcome == "bounce", (name, result)
        if "AUTO-REPLY" in note or "MDN" in note or "read receipt" in note:
            assert result.outcome == "ignored", (name, result)
        if result.outcome == "created":
            entry = Ticket.objects.get(reference=result.reference).entries.get(kind="message")
            assert entry.body.strip() or entry.attachments.exists(), name
            assert not any(bad in entry.body for bad in MOJIBAKE[:-1]), (name, entry.body[:200])
            if note.startswith(("POLISH", "HUNGARIAN")):
                readable = [entry.body, entry.ticket.subject, entry.ticket.customer.name]
                readable += entry.attachments.values_list("filename", flat=True)
                assert any(letter in " ".join(readable) for letter in "ąęłńśźżőűáé"), (name, readable)
        if result.outcome == "quarantined":
            assert InboundEmail.objects.get(
                dedupe_key=InboundEmail.dedupe_key_for(parse(raw).message_id, raw)
            ).reason
