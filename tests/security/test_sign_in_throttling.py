"""Staff sign-in: many wrong passwords pause signing in for the account and for the client address,
until the pause runs out or a manager lifts it; both are recorded."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.utils import timezone

from helpdesk.models import LockoutLift
from tests.conftest import STAFF_PASSWORD

IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def this_morning(db):
    """The time at a whole minute, so the page names the pause's end to the minute."""
    with time_machine.travel(timezone.now().replace(second=0, microsecond=0), tick=False) as traveller:
        yield traveller


def sign_in(client, username, password, ip=IP, language="en"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, agent):
    for _attempt in range(30):
        sign_in(client, "anna", "not the password")

    response = sign_in(client, "anna", STAFF_PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)
    assert "Signing in is paused" in response.text
    assert "ask a manager" in response.text
    assert 'href="/"' in response.text  # the site's layout, with its way home


@pytest.mark.parametrize(
    ("language", "words"), [("hu", "a bejelentkezés szünetel"), ("pl", "logowanie jest wstrzymane")]
)
def test_the_pause_is_explained_in_the_visitor_s_language(client, agent, language, words):
    for _attempt in range(30):
        sign_in(client, "anna", "not the password", language=language)

    response = sign_in(client, "anna", STAFF_PASSWORD, language=language)

    assert response.status_code == 429
    assert words in response.text.lower()


def test_the_pause_counts_per_account_whatever_the_address(client, agent, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for number in range(5):
        sign_in(client, "anna", "not the password", ip=f"198.51.100.{number}")

    assert sign_in(client, "anna", STAFF_PASSWORD, ip="192.0.2.1").status_code == 429
    assert not signed_in(client)


def test_the_pause_counts_per_address_whatever_the_account(client, agent, other_agent, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for number in range(5):
        sign_in(client, f"guess{number}", "not the password")

    assert sign_in(client, "bence", STAFF_PASSWORD).status_code == 429
    assert sign_in(client, "bence", STAFF_PASSWORD, ip="192.0.2.1").status_code == 302
    assert signed_in(client)


def test_a_mistake_or_two_does_not_pause_anyone(client, agent):
    sign_in(client, "anna", "not the password")
    sign_in(client, "anna", "not the password either")

    assert sign_in(client, "anna", STAFF_PASSWORD).status_code == 302


def test_the_pause_ends_by_itself_after_the_time_it_names(client, agent, settings, this_morning):
    settings.AXES_FAILURE_LIMIT = 5
    for _attempt in range(5):
        sign_in(client, "anna", "not the password")
    refused = sign_in(client, "anna", STAFF_PASSWORD)
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    assert refused.status_code == 429
    assert f"after {until:%H:%M}" in refused.text
    assert refused["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))

    this_morning.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))

    assert sign_in(client, "anna", STAFF_PASSWORD).status_code == 302


# --- recorded, and lifted by a manager -----------------------------------------------------------


@pytest.fixture
def manager_client(manager):
    staff = Client()
    staff.force_login(manager)
    return staff


def test_the_lockout_is_recorded(client, agent):
    for _attempt in range(30):
        sign_in(client, "anna", "not the password")
    sign_in(client, "anna", STAFF_PASSWORD)

    assert AccessFailureLog.objects.filter(username="anna", ip_address=IP, locked_out=True).exists()
    assert AccessAttempt.objects.get(username="anna").failures_since_start >= 10


def test_a_manager_sees_the_lockout_and_lifts_it_then_the_right_password_signs_in(
    client, agent, manager, manager_client, this_morning
):
    for _attempt in range(30):
        sign_in(client, "anna", "not the password")
    assert sign_in(client, "anna", STAFF_PASSWORD).status_code == 429

    page = manager_client.get("/manage/sign-in-lockouts/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    lockouts = page.text.split('data-testid="lockouts"')[1].split("</table>")[0]
    assert "anna" in lockouts
    assert IP in lockouts  # the client address is paused too: all thirty came from it

    this_morning.shift(timedelta(minutes=3))
    response = manager_client.post("/manage/sign-in-lockouts/lift/", {"username": "anna"}, follow=True)

    assert "anna may sign in again." in response.text
    lift = LockoutLift.objects.get()
    assert (lift.lifted_by, lift.username, lift.ip_address) == (manager, "anna", None)
    assert lift.failures >= 10
    assert lift.lifted_at == timezone.now()
    assert "Marek let anna sign in again" in response.text
    assert sign_in(client, "anna", STAFF_PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_manager_lifts_a_paused_client_address(client, other_agent, manager_client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for number in range(5):
        sign_in(client, f"guess{number}", "not the password")

    manager_client.post("/manage/sign-in-lockouts/lift/", {"ip_address": IP})

    assert LockoutLift.objects.get().ip_address == IP
    assert sign_in(client, "bence", STAFF_PASSWORD).status_code == 302


def test_lifting_what_is_no_longer_paused_records_nothing(manager_client):
    response = manager_client.post("/manage/sign-in-lockouts/lift/", {"username": "anna"}, follow=True)

    assert "anna was no longer paused." in response.text
    assert not LockoutLift.objects.exists()


def test_lifting_needs_one_account_or_one_address(manager_client):
    response = manager_client.post(
        "/manage/sign-in-lockouts/lift/", {"username": "anna", "ip_address": IP}, follow=True
    )

    assert "Choose one account or one client address" in response.text
    assert not LockoutLift.objects.exists()


def test_only_managers_see_and_lift_lockouts_and_lifting_is_post_only(client, agent, manager_client):
    for _attempt in range(30):
        sign_in(client, "anna", "not the password")
    assert manager_client.get("/manage/sign-in-lockouts/lift/").status_code == 405

    colleague = Client()
    colleague.force_login(agent)
    assert colleague.get("/manage/sign-in-lockouts/").status_code == 403
    assert colleague.post("/manage/sign-in-lockouts/lift/", {"username": "anna"}).status_code == 403
    assert Client().get("/manage/sign-in-lockouts/")["Location"].startswith("/accounts/login/")
    assert not LockoutLift.objects.exists()
    assert sign_in(client, "anna", STAFF_PASSWORD).status_code == 429
