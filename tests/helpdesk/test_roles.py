"""Staff roles: the Agents and Managers groups, and every staff page checks them."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.models import StaffProfile
from helpdesk.roles import is_agent, is_manager
from helpdesk.staff_backend import StaffBackend


@pytest.mark.django_db
def test_migration_creates_the_two_role_groups_with_their_permissions():
    agents = set(Group.objects.get(name="Agents").permissions.values_list("codename", flat=True))
    managers = set(Group.objects.get(name="Managers").permissions.values_list("codename", flat=True))

    assert "work_tickets" in agents
    assert "manage_service" not in agents
    assert {"work_tickets", "manage_service"} <= managers
    assert "change_user" not in managers  # staff are kept on the staff page, not in the admin
    assert agents <= managers  # a manager is also an agent


def test_a_manager_is_also_an_agent(agent, manager, outsider):
    assert (is_agent(agent), is_manager(agent)) == (True, False)
    assert (is_agent(manager), is_manager(manager)) == (True, True)
    assert (is_agent(outsider), is_manager(outsider)) == (False, False)


def test_an_inactive_agent_has_no_role(agent):
    agent.is_active = False
    assert not is_agent(agent)


def test_workspace_sends_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get("/agent/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/agent/"


def test_workspace_refuses_a_login_without_a_staff_role(client, outsider):
    client.force_login(outsider)
    assert client.get("/agent/").status_code == 403


def test_agent_signs_in_with_the_staff_login_and_lands_in_the_workspace(client, agent):
    response = client.post(
        "/accounts/login/", {"username": "anna", "password": "correct horse battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/agent/"
    assert "Hello, Anna" in response.text


def test_wrong_password_keeps_the_username_and_says_why(client, agent):
    response = client.post("/accounts/login/", {"username": "anna", "password": "wrong"})
    assert response.status_code == 200
    assert 'value="anna"' in response.text
    assert "Please enter a correct username and password" in response.text


def test_sign_out_is_a_post(client, agent):
    client.force_login(agent)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/agent/").status_code == 302


# --- the user's roles and profile come with the user (helpdesk.staff_backend) ----------------


def test_a_signed_in_users_roles_and_profile_are_read_with_the_user(agent, manager, outsider):
    backend = StaffBackend()
    StaffProfile.objects.for_user(agent).set_away()

    with CaptureQueriesContext(connection) as queries:
        users = [backend.get_user(user.pk) for user in (agent, manager, outsider)]
        roles = [(is_agent(user), is_manager(user)) for user in users]
        availability = StaffProfile.objects.for_user(users[0]).availability

    assert roles == [(True, False), (True, True), (False, False)]
    assert availability == "away"
    assert len(queries) == 3  # one per user, roles and profile included


def test_a_role_taken_away_counts_from_the_next_request(client, agent):
    client.force_login(agent)
    assert client.get("/agent/").status_code == 200

    agent.groups.clear()

    assert client.get("/agent/").status_code == 403


def test_a_profile_is_made_for_a_signed_in_user_who_has_none(client, agent):
    StaffProfile.objects.filter(user=agent).delete()
    client.force_login(agent)

    assert client.get("/agent/").status_code == 200
    assert StaffProfile.objects.filter(user=agent).count() == 1


def test_a_deactivated_user_is_signed_out(client, agent):
    client.force_login(agent)
    type(agent).objects.filter(pk=agent.pk).update(is_active=False)

    assert StaffBackend().get_user(agent.pk) is None
    assert client.get("/agent/").status_code == 302
