"""A crisis update's sending by push: the update's page hears of each batch sent and of the end,
so its progress bar moves without polling."""

import pytest
from django.test import Client
from django.urls import reverse

from crisis import sending
from crisis.models import IncidentUpdate
from tests.crisis.conftest import UPDATE
from tests.crisis.test_customer_pages import report
from tests.helpdesk.live.streams import Stream


@pytest.fixture(autouse=True)
def short_streams(settings):
    settings.LIVE_PUSH = True
    settings.LIVE_STREAM_MAX_SECONDS = 3
    settings.LIVE_KEEPALIVE_SECONDS = 0.2


def test_the_sending_tells_the_updates_page_of_its_progress_and_its_end(
    client, incident, agent, manager, django_capture_on_commit_callbacks
):
    report(client, incident)
    update = IncidentUpdate.draft(incident, by=agent, texts=UPDATE)
    update.publish(by=manager)
    staff = Client()
    staff.force_login(manager)
    page = staff.get(reverse("crisis:update-progress", args=[update.pk])).content.decode()
    assert f'data-live-channel="{sending.progress_channel(update.pk)}"' in page
    stream = Stream(
        staff.get(reverse("helpdesk:live-staff"), {"channel": sending.progress_channel(update.pk)})
    )
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        sending.send(update.pk)

    names = [stream.next_event()["name"] for _ in range(2)]
    assert names == ["progress", "done"]
    stream.close()
