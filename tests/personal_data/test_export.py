"""The data export: one zip with a JSON document of everything held about the person, and their files."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from helpdesk.models import Customer, Ticket
from helpdesk.personal_data.export import DOCUMENT, export_archive
from tests.personal_data.conftest import EMAIL, IP, NAME, PHONE


def unpacked(content: bytes) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop(DOCUMENT)), files


def test_the_export_holds_every_kind_of_data_and_her_files(every_channel):
    document, files = unpacked(export_archive(every_channel.customer).content)

    customer = document["customer"]
    assert (customer["name"], customer["email"], customer["phone"]) == (NAME, EMAIL, PHONE)
    requests = {request["channel"]: request for request in document["requests"]}
    assert set(requests) == {"email", "web", "phone", "chat", "walk_in"}
    assert requests["web"]["sent_from_ip_address"] == IP
    notes = [line for line in requests["phone"]["timeline"] if line["kind"] == "note"]
    assert notes[0]["internal"] is True
    assert NAME in notes[0]["text"]
    assert any(NAME in line["text"] for line in requests["chat"]["chat_transcript"]["lines"])
    assert requests["walk_in"]["walk_in_visit"]["number"] == "A-001"
    assert document["surveys"][0]["comment"].startswith("Please call")
    assert document["incident_update_subscriptions"][0]["email"] == EMAIL
    assert document["compensation"][0]["amount"] == "3000.00"
    assert document["messages_sent"]
    [file_name] = next(line for line in requests["email"]["timeline"] if line["files"])["files"]
    assert files[file_name] == b"Meter 12345 kWh, Zsofia"


def test_a_manager_downloads_it_from_the_customer_page(client, every_channel, manager):
    client.force_login(manager)
    page = client.get(reverse("helpdesk:customer-detail", args=[every_channel.customer.pk]))
    link = reverse("helpdesk:customer-export", args=[every_channel.customer.pk])
    assert link in page.content.decode()

    response = client.get(link)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document, _files = unpacked(b"".join(response.streaming_content))
    assert document["customer"]["email"] == EMAIL


def test_an_agent_cannot_download_it(client, every_channel, agent):
    client.force_login(agent)

    assert (
        client.get(reverse("helpdesk:customer-export", args=[every_channel.customer.pk])).status_code == 403
    )


def test_the_command_writes_the_archive_and_prints_its_path(every_channel, tmp_path):
    out = io.StringIO()
    call_command("export_customer", EMAIL.upper(), directory=str(tmp_path), stdout=out)

    [line] = out.getvalue().splitlines()
    path = Path(line.rsplit(" ", 1)[1])
    assert path.parent == tmp_path
    document, _files = unpacked(path.read_bytes())
    assert document["customer"]["name"] == NAME


def test_the_commands_refuse_an_unknown_address(db):
    with pytest.raises(CommandError, match="No customer"):
        call_command("export_customer", "nobody@example.com")
    with pytest.raises(CommandError, match="No customer"):
        call_command("erase_customer", "nobody@example.com", yes=True)


def test_the_erase_command_asks_first(every_channel, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda question: "n")

    with pytest.raises(CommandError, match="Nothing erased"):
        call_command("erase_customer", EMAIL)

    assert Customer.objects.get(pk=every_channel.customer.pk).erased_at is None


def test_both_commands_work_on_the_demo_data(db, settings, tmp_path):
    settings.MEDIA_ROOT, settings.DEBUG = tmp_path, True
    call_command("seed_demo", stdout=io.StringIO())
    customer = Customer.objects.exclude(email="").filter(tickets__isnull=False).order_by("pk").first()
    tickets = Ticket.objects.filter(customer=customer).count()

    exported = io.StringIO()
    call_command("export_customer", customer.email, directory=str(tmp_path), stdout=exported)
    erased = io.StringIO()
    call_command("erase_customer", customer.email, yes=True, stdout=erased)

    assert len(exported.getvalue().splitlines()) == 1
    [line] = erased.getvalue().splitlines()
    assert line.startswith(f"Erased the personal data of customer #{customer.pk}: ")
    assert f"requests: {tickets}" in line
    assert Customer.objects.get(pk=customer.pk).erased_at is not None
