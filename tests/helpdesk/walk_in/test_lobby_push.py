"""The lobby screen by push: a visit called reaches the open screen's stream; the screen, public,
follows only its own branch."""

import pytest
from django.urls import reverse

from helpdesk.walk_in import visits
from tests.helpdesk.live.streams import Stream


@pytest.fixture(autouse=True)
def short_streams(settings):
    settings.LIVE_PUSH = True
    settings.LIVE_STREAM_MAX_SECONDS = 3
    settings.LIVE_KEEPALIVE_SECONDS = 0.2


def test_a_visitor_called_reaches_the_open_lobby_screen(
    client, branch, check_in, desk, agent, django_capture_on_commit_callbacks
):
    check_in()
    stream = Stream(client.get(reverse("helpdesk:live-lobby", args=[branch.slug])))
    stream.next_message()  # ready

    with django_capture_on_commit_callbacks(execute=True):
        visits.call_next(desk, agent=agent)

    event = stream.next_event()
    assert (event["channel"], event["name"]) == (f"lobby:{branch.pk}", "changed")
    stream.close()


def test_the_lobby_screen_opens_its_stream_and_redraws_on_each_change(client, branch):
    page = client.get(reverse("helpdesk:lobby", args=[branch.slug])).content.decode()

    assert f'data-live-stream="{reverse("helpdesk:live-lobby", args=[branch.slug])}"' in page
    assert f'data-live-channel="lobby:{branch.pk}"' in page
    assert 'hx-trigger="every 2s, live"' in page


def test_an_unknown_or_closed_lobby_follows_nothing(client, branch):
    assert client.get(reverse("helpdesk:live-lobby", args=["nowhere"])).status_code == 404
    branch.is_active = False
    branch.save(update_fields=["is_active"])
    assert client.get(reverse("helpdesk:live-lobby", args=[branch.slug])).status_code == 404
