"""The agent's presence on a request said by the ticket page's open stream: the stream that
follows "ticket:<id>" shows its agent to colleagues from when it opens, keeps them there with its
keep-alives (writing a reply or not, as the page last said), and once it ends they go stale as
a closed page's do. Only an agent's stream, checked as any staff stream, records anyone."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from helpdesk import live, presence
from tests.helpdesk.live.streams import Stream

pytestmark = pytest.mark.usefixtures("short_streams")


@pytest.fixture
def ticket(make_ticket):
    return make_ticket()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def presence_url(ticket) -> str:
    return reverse("helpdesk:ticket-presence", args=[ticket.reference])


def open_stream(client, *channels) -> Stream:
    return Stream(client.get(reverse("helpdesk:live-staff"), {"channel": channels}))


def read_for(stream: Stream, seconds: float) -> None:
    """Let the stream run (its keep-alives included) for a while, as an open page does."""
    until = time.monotonic() + seconds
    for _chunk in stream.chunks:
        if time.monotonic() >= until:
            return


def seen_by(client, ticket) -> str:
    return client.post(presence_url(ticket)).text


def test_an_agent_whose_ticket_page_holds_its_stream_is_shown_to_a_colleague(agent, other_agent, ticket):
    anna, bence = signed_in(agent), signed_in(other_agent)

    stream = open_stream(anna, f"ticket:{ticket.pk}", f"agent:{agent.pk}")
    assert stream.next_message()["event"] == "ready"

    assert "Anna is viewing" in seen_by(bence, ticket)
    stream.close()


def test_the_open_stream_keeps_the_agent_here_and_writing_past_half_a_minute(
    agent, other_agent, ticket, time_machine, monkeypatch
):
    monkeypatch.setattr(presence, "STILL_HERE_EVERY", timedelta(seconds=0.3))  # 10 s on a site
    time_machine.move_to("2026-03-02 08:00:00+00:00", tick=False)
    anna, bence = signed_in(agent), signed_in(other_agent)
    anna.post(presence_url(ticket), {"replying": "1"})  # the page says it at once when it changes
    stream = open_stream(anna, f"ticket:{ticket.pk}")
    stream.next_message()  # ready

    time_machine.move_to("2026-03-02 08:00:25+00:00", tick=False)
    read_for(stream, 1)  # the page makes no request: its stream's keep-alives say "still here"
    time_machine.move_to("2026-03-02 08:00:50+00:00", tick=False)  # her page's own look is stale now

    assert "Anna is writing a reply" in seen_by(bence, ticket)
    stream.close()


def test_an_agent_whose_stream_has_ended_is_forgotten_after_half_a_minute(
    agent, other_agent, ticket, time_machine, settings
):
    settings.LIVE_STREAM_MAX_SECONDS = 0.3
    time_machine.move_to("2026-03-02 08:00:00+00:00", tick=False)
    anna, bence = signed_in(agent), signed_in(other_agent)
    b"".join(open_stream(anna, f"ticket:{ticket.pk}").chunks)  # opened, then over (the page closed)
    assert "Anna is viewing" in seen_by(bence, ticket)

    time_machine.move_to("2026-03-02 08:00:31+00:00", tick=False)

    assert "Anna" not in seen_by(bence, ticket)


def test_an_agent_arriving_by_their_stream_is_pushed_to_the_open_pages_once(
    agent, other_agent, ticket, django_capture_on_commit_callbacks
):
    anna = signed_in(agent)
    subscription = live.hub().subscribe([f"ticket:{ticket.pk}"])
    try:
        with django_capture_on_commit_callbacks(execute=True):
            arriving = open_stream(anna, f"ticket:{ticket.pk}")
        told = [subscription.get(timeout=5)]
        arriving.next_message()  # ready
        with django_capture_on_commit_callbacks(execute=True):
            again = open_stream(anna, f"ticket:{ticket.pk}")  # the page reconnecting: no news
        again.next_message()
        told.append(subscription.get(timeout=0.5))
    finally:
        live.hub().unsubscribe(subscription)

    assert [event and event.name for event in told] == ["presence", None]
    arriving.close()
    again.close()


def test_a_stream_that_follows_no_request_says_nobody_is_there(agent, other_agent, ticket):
    anna, bence = signed_in(agent), signed_in(other_agent)

    stream = open_stream(anna, f"agent:{agent.pk}")  # another page of hers: her notifications
    stream.next_message()
    read_for(stream, 0.3)

    assert "Anna" not in seen_by(bence, ticket)
    stream.close()


def test_only_an_agent_who_may_follow_the_request_is_recorded(client, outsider, manager, other_agent, ticket):
    channel = f"ticket:{ticket.pk}"

    assert client.get(reverse("helpdesk:live-staff"), {"channel": channel}).status_code == 403
    assert open_refused(signed_in(outsider), channel) == 403
    # A request that does not exist, named beside a real one: refused whole, nothing recorded.
    assert open_refused(signed_in(manager), channel, "ticket:999999") == 403

    seen = seen_by(signed_in(other_agent), ticket)
    assert "Vera" not in seen
    assert "Marek" not in seen


def open_refused(client, *channels) -> int:
    return client.get(reverse("helpdesk:live-staff"), {"channel": channels}).status_code
