"""Saved views: an agent keeps a filter of the queue page under a name; a manager shares one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.models import Queue, SavedView


@pytest.fixture
def general(queue, agent):
    queue.members.add(agent)
    return queue


def links(response) -> dict[str, str]:
    """The saved views on the queue page: name -> the filter it opens."""
    found = re.findall(r'data-testid="saved-view">\s*<a href="/agent/\?([^"]*)">([^<]+)</a>', response.text)
    return {name: query.replace("&amp;", "&") for query, name in found}


def test_agent_saves_the_current_filter_under_a_name(client, agent, general):
    client.force_login(agent)

    response = client.post(
        "/agent/views/", {"name": "Waiting bills", "query": "q=bill&status=waiting&page=3&unknown=1"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/agent/?q=bill&status=waiting"
    assert links(client.get("/agent/")) == {"Waiting bills": "q=bill&status=waiting"}
    opened = client.get("/agent/?q=bill&status=waiting")
    assert 'value="bill"' in opened.text


def test_saving_again_under_the_same_name_takes_the_new_filter(client, agent, general):
    client.force_login(agent)
    client.post("/agent/views/", {"name": "Mine", "query": "assigned=me"})
    client.post("/agent/views/", {"name": "Mine", "query": "assigned=me&channel=email"})

    assert SavedView.objects.get().query == "channel=email&assigned=me"


def test_a_view_without_a_name_is_not_saved_and_the_filter_stays(client, agent, general):
    client.force_login(agent)

    response = client.post("/agent/views/", {"name": "  ", "query": "q=router"}, follow=True)

    assert "Give the view a name" in response.text
    assert response.redirect_chain[0][0] == "/agent/?q=router"
    assert not SavedView.objects.exists()


def test_a_view_is_its_owners_alone_until_a_manager_shares_it(client, agent, other_agent, manager, general):
    client.force_login(manager)
    client.post("/agent/views/", {"name": "Breached today", "query": "status=open"})
    view = SavedView.objects.get()
    client.force_login(agent)
    assert links(client.get("/agent/")) == {}

    client.force_login(manager)
    response = client.post(f"/agent/views/{view.pk}/share/", {"queue": general.pk}, follow=True)
    assert "shared with the agents of General" in response.text

    client.force_login(agent)
    page = client.get("/agent/")
    assert links(page) == {"Breached today": "status=open"}
    assert "shared by Marek with General" in page.text
    assert f"/agent/views/{view.pk}/delete/" not in page.text  # not theirs to delete


def test_a_shared_view_reaches_only_the_agents_of_that_queue(client, agent, other_agent, manager, general):
    elsewhere = Queue.objects.create(
        name="Business", slug="business", calendar=general.calendar, manager=manager
    )
    elsewhere.members.add(other_agent)
    view = SavedView.objects.create(name="Urgent", owner=manager, query="q=urgent", shared_with=general)

    client.force_login(other_agent)
    assert links(client.get("/agent/")) == {}
    client.force_login(agent)
    assert links(client.get("/agent/")) == {view.name: "q=urgent"}


def test_only_managers_share_and_only_their_own_views(client, agent, manager, second_manager, general):
    own = SavedView.objects.create(name="Mine", owner=agent, query="assigned=me")
    theirs = SavedView.objects.create(name="Theirs", owner=second_manager, query="")

    client.force_login(agent)
    assert client.post(f"/agent/views/{own.pk}/share/", {"queue": general.pk}).status_code == 403
    client.force_login(manager)
    assert client.post(f"/agent/views/{theirs.pk}/share/", {"queue": general.pk}).status_code == 404
    assert SavedView.objects.filter(shared_with__isnull=False).count() == 0


def test_a_manager_shares_only_with_a_queue_they_manage(client, manager, second_manager, general):
    other = Queue.objects.create(
        name="Business", slug="business", calendar=general.calendar, manager=second_manager
    )
    view = SavedView.objects.create(name="Mine", owner=manager, query="")
    client.force_login(manager)

    response = client.post(f"/agent/views/{view.pk}/share/", {"queue": other.pk}, follow=True)

    assert "Choose one of the queues you manage." in response.text
    view.refresh_from_db()
    assert view.shared_with is None


def test_the_owner_deletes_a_view_and_nobody_else_can(client, agent, other_agent, general):
    view = SavedView.objects.create(name="Mine", owner=agent, query="")

    client.force_login(other_agent)
    assert client.post(f"/agent/views/{view.pk}/delete/").status_code == 404
    client.force_login(agent)
    assert client.get(f"/agent/views/{view.pk}/delete/").status_code == 405
    assert client.post(f"/agent/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.exists()


def test_the_queue_page_costs_the_same_with_more_views(client, manager, general):
    client.force_login(manager)
    SavedView.objects.create(name="One", owner=manager, query="q=a")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/agent/").status_code == 200
        return len(captured)

    client.get("/agent/")  # the first visit creates the agent's profile
    few = queries()
    for number in range(5):
        SavedView.objects.create(
            name=f"Mine {number}", owner=manager, query=f"q={number}", shared_with=general
        )
    assert queries() == few
