"""The retention policy: what the dry run lists is exactly what the run removes, nothing of an open
request is touched whatever its age, and a second run finds nothing left."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django_q.models import Schedule

from helpdesk.channels import chat as chat_channel
from helpdesk.models import Attachment, InboundEmail, Ticket, TicketEntry
from helpdesk.personal_data import retention
from tests.helpdesk.files.conftest import PDF, incoming, media  # noqa: F401 (the files' own folder)

LONG_AGO = dt.datetime(2022, 3, 1, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)


def inbound_email(ticket, *, key, **fields):
    return InboundEmail.objects.create(
        dedupe_key=key,
        source="INBOX",
        from_address="katalin@example.hu",
        subject=ticket.subject if ticket else "Hello",
        raw=b"From: katalin@example.hu\r\nSubject: Charged twice\r\n\r\nMy bill.",
        outcome=InboundEmail.Outcome.CREATED if ticket else InboundEmail.Outcome.QUARANTINED,
        ticket=ticket,
        **fields,
    )


@pytest.fixture
def requests_of_long_ago(make_ticket, agent, queue):
    """Requests that came in four years before NOW: one closed, one still open, a chat closed."""
    with time_machine.travel(LONG_AGO, tick=False):
        closed = make_ticket(
            channel="email", source_ip="203.0.113.7", attachments=[incoming("bill.pdf", PDF)]
        )
        inbound_email(closed, key="<closed@example.hu>")
        closed.resolve(by=agent)
        still_open = make_ticket(
            channel="email", source_ip="203.0.113.8", attachments=[incoming("meter.pdf", PDF)]
        )
        inbound_email(still_open, key="<open@example.hu>")
        chat = chat_channel.start_chat(
            queue=queue, name="Emma", email="emma@example.com", message="My card was refused", source_ip=None
        )
        chat.join(agent)
        chat.post_agent_message(by=agent, body="Let me look at your card, Emma.")
        chat.end(reason="agent", by=agent)
        chat.ticket.resolve(by=agent)
        discarded = inbound_email(None, key="<spam@example.hu>", review=InboundEmail.Review.PENDING)
        discarded.discard(by=agent, note="Advertising")
        pending = inbound_email(None, key="<unsure@example.hu>", review=InboundEmail.Review.PENDING)
    return {
        "closed": closed,
        "open": still_open,
        "chat": chat.ticket,
        "discarded": discarded,
        "pending": pending,
    }


def run(*options) -> str:
    out = StringIO()
    call_command("retention", *options, stdout=out)
    return out.getvalue()


def test_the_run_removes_exactly_what_the_dry_run_listed_and_nothing_of_an_open_request(
    requests_of_long_ago,
    media,  # noqa: F811
    settings,
):
    # Four years on, within five: the files and chat lines go, the requests are not anonymised
    # yet (tests/personal_data/test_retention_of_closed_requests.py).
    settings.RETENTION_CLOSED_TICKET_YEARS = 5
    tickets = requests_of_long_ago
    open_file = Attachment.objects.get(entry__ticket=tickets["open"])
    with time_machine.travel(NOW, tick=False):
        listed = retention.due()
        dry_run = run("--dry-run")
        assert all(
            not raw_removed for raw_removed in InboundEmail.objects.values_list("raw_removed_at", flat=True)
        )

        removed = retention.enforce()

    assert {kind: set(ids) for kind, ids in removed.items()} == {
        kind: set(ids) for kind, ids in listed.items()
    }
    closed_file = Attachment.objects.get(entry__ticket=tickets["closed"])
    chat_lines = TicketEntry.objects.filter(ticket=tickets["chat"], kind__in=["message", "reply"])
    assert {kind: len(ids) for kind, ids in listed.items()} == {
        "raw_email": 1,
        "quarantined_email": 1,
        "source_ip": 1,
        "attachment": 1,
        "chat_line": 2,
        "access_record": 0,
        "closed_ticket": 0,
    }
    assert set(removed["attachment"]) == {closed_file.pk}
    assert set(removed["chat_line"]) == set(chat_lines.values_list("pk", flat=True))
    assert "raw_email: would remove 1" in dry_run
    assert "chat_line: would remove 2" in dry_run

    # The closed request: the address forgotten, the file gone from storage but named on the
    # timeline, the raw email dropped; the chat's words cleared, its lines kept.
    tickets["closed"].refresh_from_db()
    assert tickets["closed"].source_ip is None
    assert closed_file.removed_at is not None
    assert not closed_file.file
    assert closed_file.filename == "bill.pdf"
    assert list(media.rglob("bill*.pdf")) == []
    assert bytes(InboundEmail.objects.get(dedupe_key="<closed@example.hu>").raw) == b""
    assert set(chat_lines.values_list("body", flat=True)) == {""}
    discarded = InboundEmail.objects.get(pk=tickets["discarded"].pk)
    assert (bytes(discarded.raw), discarded.from_address, discarded.review_note) == (b"", "", "Advertising")

    # The open request keeps everything, four years on.
    tickets["open"].refresh_from_db()
    assert tickets["open"].source_ip == "203.0.113.8"
    open_file.refresh_from_db()
    assert open_file.removed_at is None
    assert open_file.file.storage.exists(open_file.file.name)
    assert bytes(InboundEmail.objects.get(dedupe_key="<open@example.hu>").raw) != b""
    assert bytes(InboundEmail.objects.get(pk=tickets["pending"].pk).raw) != b""


def test_a_second_run_finds_nothing_left(requests_of_long_ago, media):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        run()

        second = run()

    assert second.count(": removed 0 ") == len(retention.RULES)


def test_data_younger_than_its_period_is_kept(make_ticket, agent, media):  # noqa: F811
    with time_machine.travel(NOW - dt.timedelta(days=40), tick=False):
        ticket = make_ticket(source_ip="203.0.113.9", attachments=[incoming("bill.pdf", PDF)])
        inbound_email(ticket, key="<recent@example.hu>")
        ticket.resolve(by=agent)

    with time_machine.travel(NOW, tick=False):
        listed = retention.due()

    # Forty days: the address and the raw email (thirty days) go; the file (a year) stays.
    assert listed["source_ip"] == [ticket.pk]
    assert len(listed["raw_email"]) == 1
    assert listed["attachment"] == []


def test_the_periods_are_settings(make_ticket, agent, settings):
    settings.RETENTION_SOURCE_IP_DAYS = 60
    with time_machine.travel(NOW - dt.timedelta(days=40), tick=False):
        ticket = make_ticket(source_ip="203.0.113.9")
        ticket.resolve(by=agent)

    with time_machine.travel(NOW, tick=False):
        assert retention.due()["source_ip"] == []


def test_a_request_reopened_after_the_dry_run_keeps_its_data(make_ticket, agent):
    with time_machine.travel(LONG_AGO, tick=False):
        ticket = make_ticket(source_ip="203.0.113.9")
        ticket.resolve(by=agent)
    listed = retention.due()["source_ip"]
    ticket.reopen(by=agent)

    # The row read in the batch is refused by the method: the request is open again.
    assert listed == [ticket.pk]
    assert Ticket.objects.get(pk=ticket.pk).forget_source_ip() is False
    assert retention.enforce()["source_ip"] == []
    assert Ticket.objects.get(pk=ticket.pk).source_ip == "203.0.113.9"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_remove_each_row_once(make_ticket, agent):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connections

    with time_machine.travel(LONG_AGO, tick=False):
        for number in range(6):
            make_ticket(source_ip=f"203.0.113.{number + 1}").resolve(by=agent)
    barrier = Barrier(2)

    def one_run():
        barrier.wait()
        try:
            return retention.enforce()["source_ip"]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: one_run(), range(2))

    assert sorted(first + second) == sorted(Ticket.objects.values_list("pk", flat=True))
    assert not set(first) & set(second)


def test_the_worker_runs_it_daily(db):
    schedule = Schedule.objects.get(func="helpdesk.tasks.enforce_retention")

    assert (schedule.schedule_type, schedule.repeats) == (Schedule.DAILY, -1)


def test_the_timeline_still_says_what_was_there(client, agent, requests_of_long_ago, media, settings):  # noqa: F811
    settings.RETENTION_CLOSED_TICKET_YEARS = 5  # the requests themselves are not anonymised yet
    tickets = requests_of_long_ago
    with time_machine.travel(NOW, tick=False):
        retention.enforce()
    client.force_login(agent)
    removed_file = Attachment.objects.get(entry__ticket=tickets["closed"])

    workspace = client.get(f"/agent/tickets/{tickets['closed'].reference}/").content.decode()
    chat = client.get(f"/agent/tickets/{tickets['chat'].reference}/").content.decode()

    assert "bill.pdf" in workspace
    assert 'data-testid="attachment-removed"' in workspace
    assert chat.count('data-testid="text-removed"') == 2
    assert "Let me look at your card" not in chat
    assert client.get(f"/agent/files/{removed_file.pk}/").status_code == 404
