"""The customer's preferences on their page: the language of our messages, and what the other apps
keep (surveys, incident updates). An agent changes them at the customer's request, and the page
records who changed what, when, and how the customer asked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import SurveyOptOut
from helpdesk.models import PreferenceChange


@pytest.fixture
def katalin(make_ticket):
    return make_ticket(email="katalin@example.hu", language="hu").customer


def page(customer) -> str:
    return f"/agent/customers/{customer.pk}/"


def preferences_url(customer) -> str:
    return f"/agent/customers/{customer.pk}/preferences/"


def test_the_page_shows_the_customers_preferences(client, agent, katalin):
    SurveyOptOut.record(katalin, via=SurveyOptOut.Via.PAGE)
    client.force_login(agent)

    response = client.get(page(katalin))

    form = response.context["preferences_form"]
    assert form["language"].value() == "hu"
    assert form["no_surveys"].value() is True
    assert "stop_incident_updates" in form.fields
    assert 'data-testid="customer-preferences"' in response.text


def test_an_agent_changes_them_at_the_customers_request_and_it_is_recorded(client, agent, katalin):
    client.force_login(agent)

    response = client.post(
        preferences_url(katalin),
        {"language": "pl", "no_surveys": "on", "request": "Asked on the phone today"},
        follow=True,
    )

    katalin.refresh_from_db()
    assert katalin.language == "pl"
    assert SurveyOptOut.objects.get(customer=katalin).via == SurveyOptOut.Via.AGENT
    change = PreferenceChange.objects.get()
    assert (change.customer, change.by, change.request) == (katalin, agent, "Asked on the phone today")
    assert change.changes == [
        {"preference": "language", "value": "pl"},
        {"preference": "no_surveys", "value": True},
    ]
    listed = response.text.split('data-testid="preference-changes"')[1]
    assert "Language: Polish; opted out of surveys" in listed
    assert "Anna" in listed
    assert "Asked on the phone today" in listed


def test_a_customer_opts_back_into_surveys(client, agent, katalin):
    SurveyOptOut.record(katalin, via=SurveyOptOut.Via.ONE_CLICK)
    client.force_login(agent)

    client.post(preferences_url(katalin), {"language": "hu", "request": "Email of 3 March"})

    assert not SurveyOptOut.objects.filter(customer=katalin).exists()
    assert PreferenceChange.objects.get().changes == [{"preference": "no_surveys", "value": False}]


def test_nothing_changed_records_nothing(client, agent, katalin):
    client.force_login(agent)

    response = client.post(
        preferences_url(katalin), {"language": "hu", "request": "Asked to check"}, follow=True
    )

    assert not PreferenceChange.objects.exists()
    assert "Nothing changed" in response.text


def test_a_change_without_the_customers_request_is_refused_keeping_what_was_typed(client, agent, katalin):
    client.force_login(agent)

    response = client.post(preferences_url(katalin), {"language": "pl", "no_surveys": "on", "request": ""})

    assert response.status_code == 400
    form = response.context["preferences_form"]
    assert form["language"].value() == "pl"
    assert form["no_surveys"].value() is True
    assert "Say how the customer asked for the change." in response.text
    katalin.refresh_from_db()
    assert katalin.language == "hu"
    assert not PreferenceChange.objects.exists()


def test_an_unknown_language_is_refused_without_an_error_page(client, agent, katalin):
    client.force_login(agent)

    response = client.post(preferences_url(katalin), {"language": "xx", "request": "On the phone"})

    assert response.status_code == 400
    assert response.context["preferences_form"]["request"].value() == "On the phone"


def test_only_agents_change_preferences(client, outsider, katalin):
    data = {"language": "pl", "request": "On the phone"}

    anonymous = client.post(preferences_url(katalin), data)
    client.force_login(outsider)
    refused = client.post(preferences_url(katalin), data)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert refused.status_code == 403
    katalin.refresh_from_db()
    assert katalin.language == "hu"


def test_preferences_are_changed_by_post_only(client, agent, katalin):
    client.force_login(agent)

    assert client.get(preferences_url(katalin)).status_code == 405


def test_the_page_costs_the_same_queries_with_one_or_eight_changes(client, agent, katalin):
    client.force_login(agent)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(page(katalin))
        return len(captured)

    client.post(preferences_url(katalin), {"language": "pl", "request": "On the phone"})
    one = page_queries()
    for language in ["hu", "en", "pl", "hu", "en", "pl", "hu"]:
        client.post(preferences_url(katalin), {"language": language, "request": "On the phone"})
    eight = page_queries()

    assert PreferenceChange.objects.count() == 8
    assert one == eight
