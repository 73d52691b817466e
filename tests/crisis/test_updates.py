"""Reviewed public updates: any agent drafts, a second person with the Managers role publishes."""

import pytest

from crisis.models import IncidentEvent, IncidentUpdate
from helpdesk.models import InvalidTransition
from tests.crisis.conftest import UPDATE


def test_agent_drafts_and_a_manager_publishes(client, draft, manager):
    client.force_login(manager)

    response = client.post(f"/crisis/updates/{draft.pk}/approve/")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == IncidentUpdate.State.PUBLISHED
    assert draft.reviewed_by == manager
    assert draft.incident.events.filter(kind=IncidentEvent.Kind.UPDATE_PUBLISHED).count() == 2


def test_author_cannot_approve_their_own_update(client, incident, manager):
    own = IncidentUpdate.draft(incident, by=manager, texts=UPDATE)
    client.force_login(manager)

    client.post(f"/crisis/updates/{own.pk}/approve/")

    own.refresh_from_db()
    assert own.state == IncidentUpdate.State.DRAFT
    with pytest.raises(InvalidTransition):
        own.publish(by=manager)


def test_agents_cannot_approve(client, draft, other_agent):
    client.force_login(other_agent)

    assert client.post(f"/crisis/updates/{draft.pk}/approve/").status_code == 403
    with pytest.raises(InvalidTransition):
        draft.publish(by=other_agent)
    draft.refresh_from_db()
    assert draft.state == IncidentUpdate.State.DRAFT


def test_approving_twice_publishes_once(draft, manager, other_manager):
    draft.publish(by=manager)

    with pytest.raises(InvalidTransition):
        draft.publish(by=other_manager)
    assert draft.incident.events.filter(kind=IncidentEvent.Kind.UPDATE_PUBLISHED).count() == 2


def test_approve_is_post_only(client, draft, manager):
    client.force_login(manager)

    assert client.get(f"/crisis/updates/{draft.pk}/approve/").status_code == 405


def test_a_manager_sends_a_draft_back_with_a_note(client, draft, manager):
    client.force_login(manager)

    client.post(f"/crisis/updates/{draft.pk}/reject/", {"note": "Do not promise a time."})

    draft.refresh_from_db()
    assert draft.state == IncidentUpdate.State.REJECTED
    assert draft.review_note == "Do not promise a time."
    with pytest.raises(InvalidTransition):
        draft.publish(by=manager)


def test_agent_drafts_through_the_form_with_a_preview(client, incident, agent):
    client.force_login(agent)
    data = {f"text_{language}": text for language, text in UPDATE.items()}

    preview = client.post(f"/crisis/incidents/{incident.pk}/updates/new/", {**data, "preview": "1"})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'data-testid="previews"' in page
    assert UPDATE["hu"] in page
    assert UPDATE["pl"] in page
    assert not IncidentUpdate.objects.filter(state="draft").exists()

    saved = client.post(f"/crisis/incidents/{incident.pk}/updates/new/", {**data, "save": "1"})
    update = IncidentUpdate.objects.get(state="draft")
    assert saved.url == f"/crisis/updates/{update.pk}/"
    assert update.author == agent
    assert update.text_pl == UPDATE["pl"]


def test_a_rejected_draft_form_keeps_what_was_typed(client, incident, agent):
    client.force_login(agent)

    response = client.post(
        f"/crisis/incidents/{incident.pk}/updates/new/", {"text_en": "Half written", "save": "1"}
    )

    assert response.status_code == 200
    assert "Half written" in response.content.decode()
    assert not IncidentUpdate.objects.filter(state="draft").exists()


def test_the_author_sees_that_a_second_person_must_approve(client, draft, agent):
    client.force_login(agent)

    page = client.get(f"/crisis/updates/{draft.pk}/").content.decode()

    assert 'data-testid="needs-second-person"' in page
    assert 'data-testid="approve"' not in page


def test_a_manager_sees_the_approve_button(client, draft, manager):
    client.force_login(manager)

    assert 'data-testid="approve"' in client.get(f"/crisis/updates/{draft.pk}/").content.decode()


def test_publishing_enqueues_the_sending_and_returns(
    client, draft, manager, django_capture_on_commit_callbacks
):
    from django_q.models import OrmQ

    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/crisis/updates/{draft.pk}/approve/")

    assert OrmQ.objects.count() == 1
    assert OrmQ.objects.get().task["func"] == "crisis.tasks.send_update"
