"""The staff page: managers add agents, set roles, deactivate and reactivate accounts and send
links to choose a password; every change is on the record below."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from helpdesk import staff_accounts
from helpdesk.models import Notification, StaffChange, StaffProfile
from helpdesk.roles import AGENTS, MANAGERS
from tests.conftest import STAFF_PASSWORD
from tests.factories import UserFactory

User = get_user_model()

NEW_AGENT = {
    "username": "csilla",
    "first_name": "Csilla",
    "last_name": "Tóth",
    "email": "csilla@helpdesk.example",
}


@pytest.fixture
def superuser(roles):
    return User.objects.create_superuser("root", "root@helpdesk.example", STAFF_PASSWORD, first_name="Rita")


def role_names(user):
    return set(user.groups.values_list("name", flat=True))


def link_in(notification):
    return re.search(r"http://\S+", notification.body_text).group(0).removeprefix("http://127.0.0.1:8000")


# --- the page --------------------------------------------------------------------------------


def test_manager_sees_the_staff_with_their_roles(client, manager, agent, other_agent, outsider):
    client.force_login(manager)

    response = client.get("/manage/staff/")

    assert response.status_code == 200
    listed = re.findall(r'data-staff="([^"]+)"', response.text)
    assert listed == ["anna", "bence", "marek"]  # no account without a staff role
    assert "Add an agent" in response.text


@pytest.mark.parametrize("persona", ["agent", "outsider"])
def test_only_managers_open_the_staff_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/manage/staff/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/manage/staff/")
    assert response["Location"] == "/accounts/login/?next=/manage/staff/"


@pytest.mark.parametrize("action", ["role", "deactivate", "reactivate", "password-link"])
def test_changes_are_posts_and_for_managers_only(client, agent, other_agent, action):
    client.force_login(agent)
    url = f"/manage/staff/{other_agent.pk}/{action}/"

    assert client.post(url, {"role": "manager"}).status_code == 403
    assert StaffChange.objects.count() == 0


@pytest.mark.parametrize("action", ["role", "deactivate", "reactivate", "password-link"])
def test_a_get_changes_nothing(client, manager, agent, action):
    client.force_login(manager)
    assert client.get(f"/manage/staff/{agent.pk}/{action}/").status_code == 405
    assert client.get("/manage/staff/add/").status_code == 405


def test_an_account_without_a_staff_role_is_not_found(client, manager, outsider):
    client.force_login(manager)
    assert client.post(f"/manage/staff/{outsider.pk}/password-link/").status_code == 404


# --- adding an agent ----------------------------------------------------------------------------


def test_manager_adds_an_agent_who_chooses_a_password_through_the_emailed_link(client, manager):
    client.force_login(manager)

    response = client.post("/manage/staff/add/", NEW_AGENT, follow=True)

    assert "Csilla was added as an agent" in response.text
    csilla = User.objects.get(username="csilla")
    assert role_names(csilla) == {AGENTS}
    assert not csilla.has_usable_password()
    assert (csilla.is_staff, csilla.is_superuser) == (False, False)
    change = StaffChange.objects.get()
    assert (change.kind, change.by, change.whom, change.role_to) == ("added", manager, csilla, "agent")
    mail = Notification.objects.get(kind=Notification.Kind.PASSWORD_LINK)
    assert mail.to_email == "csilla@helpdesk.example"
    assert mail.status == Notification.Status.PENDING  # the worker sends it
    assert "Your username is csilla" in mail.body_text

    client.logout()
    form = client.get(link_in(mail), follow=True)
    saved = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new secret 42", "new_password2": "a long new secret 42"},
        follow=True,
    )

    assert "Your password is saved" in saved.text
    signed_in = client.post("/accounts/login/", {"username": "csilla", "password": "a long new secret 42"})
    assert signed_in.status_code == 302
    assert client.get("/agent/").status_code == 200


def test_a_rejected_new_agent_keeps_what_was_typed(client, manager, agent):
    client.force_login(manager)

    response = client.post("/manage/staff/add/", {**NEW_AGENT, "username": "anna"})

    assert response.status_code == 200
    assert "A user with that username already exists." in response.text
    assert 'value="csilla@helpdesk.example"' in response.text
    assert StaffChange.objects.count() == 0


def test_an_address_already_in_use_is_refused(client, manager, agent):
    client.force_login(manager)

    response = client.post("/manage/staff/add/", {**NEW_AGENT, "email": "ANNA@helpdesk.example"})

    assert "Another account already uses this address." in response.text
    assert not User.objects.filter(username="csilla").exists()


def test_the_link_works_once(client, manager):
    client.force_login(manager)
    client.post("/manage/staff/add/", NEW_AGENT)
    link = link_in(Notification.objects.get())
    client.logout()
    form = client.get(link, follow=True)
    new_password = {"new_password1": "a long new secret 42", "new_password2": "a long new secret 42"}
    client.post(form.redirect_chain[-1][0], new_password)

    again = client.get(link, follow=True)

    assert "This link no longer works" in again.text


def test_the_link_page_speaks_the_visitors_language(client, manager, settings):
    client.force_login(manager)
    client.post("/manage/staff/add/", NEW_AGENT)
    link = link_in(Notification.objects.get())
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    page = client.get(link, follow=True)

    assert page.status_code == 200
    assert 'lang="pl"' in page.text
    assert "Choose your password" not in page.text


# --- roles ------------------------------------------------------------------------------------


def test_manager_makes_an_agent_a_manager(client, manager, agent):
    client.force_login(manager)

    response = client.post(f"/manage/staff/{agent.pk}/role/", {"role": "manager"}, follow=True)

    assert "Anna is now a manager." in response.text
    agent.refresh_from_db()
    assert role_names(agent) == {AGENTS, MANAGERS}
    assert agent.is_staff  # managers configure the service in the admin
    assert not agent.is_superuser
    change = StaffChange.objects.get()
    assert (change.kind, change.by, change.whom) == ("role_changed", manager, agent)
    assert (change.role_from, change.role_to) == ("agent", "manager")


def test_setting_the_role_someone_has_records_nothing(client, manager, agent):
    client.force_login(manager)

    response = client.post(f"/manage/staff/{agent.pk}/role/", {"role": "agent"}, follow=True)

    assert "Anna already had that role." in response.text
    assert StaffChange.objects.count() == 0


def test_an_unknown_role_is_refused(client, manager, agent):
    client.force_login(manager)

    response = client.post(f"/manage/staff/{agent.pk}/role/", {"role": "superuser"}, follow=True)

    assert "Choose a role." in response.text
    assert role_names(agent) == {AGENTS}


def test_a_manager_cannot_change_their_own_role(client, manager):
    client.force_login(manager)

    response = client.post(f"/manage/staff/{manager.pk}/role/", {"role": "agent"}, follow=True)

    assert "Your own account is changed by someone else" in response.text
    assert role_names(manager) == {AGENTS, MANAGERS}
    assert StaffChange.objects.count() == 0


def test_a_manager_cannot_change_another_managers_role(client, manager, second_manager):
    client.force_login(manager)

    response = client.post(f"/manage/staff/{second_manager.pk}/role/", {"role": "agent"}, follow=True)

    assert "Another manager&#x27;s account is changed by an administrator." in response.text
    assert role_names(second_manager) == {AGENTS, MANAGERS}


def test_a_superuser_makes_a_manager_an_agent_again(client, superuser, second_manager):
    client.force_login(superuser)

    client.post(f"/manage/staff/{second_manager.pk}/role/", {"role": "agent"})

    second_manager.refresh_from_db()
    assert role_names(second_manager) == {AGENTS}
    assert not second_manager.is_staff
    assert StaffChange.objects.get().role_to == "agent"


def test_an_account_a_manager_added_is_made_a_manager_by_someone_else(client, manager, second_manager):
    client.force_login(manager)
    client.post("/manage/staff/add/", NEW_AGENT)
    csilla = User.objects.get(username="csilla")

    refused = client.post(f"/manage/staff/{csilla.pk}/role/", {"role": "manager"}, follow=True)
    client.force_login(second_manager)
    client.post(f"/manage/staff/{csilla.pk}/role/", {"role": "manager"})

    assert "Someone other than the manager who added an account makes it a manager." in refused.text
    assert role_names(csilla) == {AGENTS, MANAGERS}
    assert StaffChange.objects.get(kind="role_changed").by == second_manager


# --- deactivating and reactivating -------------------------------------------------------------


def test_manager_deactivates_an_agent_who_is_signed_out(client, manager, agent):
    agent_client = type(client)()
    agent_client.force_login(agent)
    client.force_login(manager)

    response = client.post(f"/manage/staff/{agent.pk}/deactivate/", follow=True)

    assert "Anna can no longer sign in." in response.text
    agent.refresh_from_db()
    assert not agent.is_active
    assert role_names(agent) == {AGENTS}  # kept for a reactivation
    assert agent_client.get("/agent/").status_code == 302
    assert StaffChange.objects.get().kind == "deactivated"


def test_deactivating_twice_records_once(client, manager, agent):
    client.force_login(manager)
    client.post(f"/manage/staff/{agent.pk}/deactivate/")

    response = client.post(f"/manage/staff/{agent.pk}/deactivate/", follow=True)

    assert "Anna is already deactivated." in response.text
    assert StaffChange.objects.count() == 1


def test_manager_reactivates_an_agent(client, manager, agent):
    User.objects.filter(pk=agent.pk).update(is_active=False)
    client.force_login(manager)

    response = client.post(f"/manage/staff/{agent.pk}/reactivate/", follow=True)

    assert "Anna can sign in again." in response.text
    agent.refresh_from_db()
    assert agent.is_active
    assert StaffChange.objects.get().kind == "reactivated"


def test_a_manager_cannot_deactivate_themselves(client, manager):
    client.force_login(manager)

    client.post(f"/manage/staff/{manager.pk}/deactivate/")

    manager.refresh_from_db()
    assert manager.is_active


def test_a_superuser_deactivates_a_manager(client, superuser, second_manager):
    client.force_login(superuser)

    client.post(f"/manage/staff/{second_manager.pk}/deactivate/")

    second_manager.refresh_from_db()
    assert not second_manager.is_active


def test_nobody_changes_a_superuser_on_the_staff_page(client, superuser, roles):
    other = User.objects.create_superuser("root2", "root2@helpdesk.example", STAFF_PASSWORD)
    client.force_login(superuser)

    response = client.post(f"/manage/staff/{other.pk}/deactivate/", follow=True)

    assert "changed in the administration, by another administrator" in response.text
    other.refresh_from_db()
    assert other.is_active


# --- password links ---------------------------------------------------------------------------


def test_manager_sends_an_agent_a_password_link_in_the_agents_language(client, manager, agent):
    StaffProfile.objects.for_user(agent).remember_language("hu")
    client.force_login(manager)

    response = client.post(f"/manage/staff/{agent.pk}/password-link/", follow=True)

    assert "A link to choose a new password is on its way to Anna." in response.text
    agent.refresh_from_db()
    assert agent.check_password(STAFF_PASSWORD)  # nothing set: the agent chooses it
    mail = Notification.objects.get()
    assert (mail.kind, mail.to_email, mail.language) == ("password_link", agent.email, "hu")
    assert "Choose a new password" not in mail.subject
    assert "/accounts/password/" in mail.body_text
    assert '<html lang="hu">' in mail.body_html
    assert StaffChange.objects.get().kind == "reset_link_sent"


def test_no_link_to_a_deactivated_account(client, manager, agent):
    User.objects.filter(pk=agent.pk).update(is_active=False)
    client.force_login(manager)

    response = client.post(f"/manage/staff/{agent.pk}/password-link/", follow=True)

    assert "Reactivate the account before sending a password link." in response.text
    assert not Notification.objects.exists()


# --- the record of changes ----------------------------------------------------------------------


def test_the_changes_are_shown_newest_first(client, manager, agent, other_agent):
    client.force_login(manager)
    client.post(f"/manage/staff/{agent.pk}/deactivate/")
    client.post(f"/manage/staff/{other_agent.pk}/role/", {"role": "manager"})

    response = client.get("/manage/staff/")

    assert re.findall(r'data-change="([^"]+)"', response.text) == ["role_changed", "deactivated"]
    assert "Agent → Manager" in response.text


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_reads_the_same_queries_whatever_the_number_of_staff_and_changes(
    client, manager, django_assert_num_queries, size
):
    agents = Group.objects.get(name=AGENTS)
    for number in range(size):
        user = UserFactory(username=f"agent{number}", first_name=f"Agent {number}")
        user.groups.add(agents)
        StaffChange.objects.create(kind=StaffChange.Kind.ADDED, by=manager, whom=user, role_to="agent")
        StaffChange.objects.create(kind=StaffChange.Kind.DEACTIVATED, by=manager, whom=user)
    client.force_login(manager)

    with django_assert_num_queries(4):
        response = client.get("/manage/staff/")

    assert len(re.findall(r'data-change="', response.text)) == 2 * size


# --- the change is made on the account as it is now ---------------------------------------------


def test_a_change_reads_the_account_again_before_making_it(manager, agent, superuser):
    """The page showed Anna as an agent; an administrator made her a manager since: a manager's
    deactivation, sent from the page as it was, is refused."""
    as_shown = staff_accounts.staff_members().get(pk=agent.pk)
    staff_accounts.set_role(by=superuser, whom=as_shown, role="manager")

    with pytest.raises(staff_accounts.StaffChangeRefused):
        staff_accounts.deactivate(by=manager, whom=as_shown)

    agent.refresh_from_db()
    assert agent.is_active
    assert list(StaffChange.objects.values_list("kind", flat=True)) == ["role_changed"]
