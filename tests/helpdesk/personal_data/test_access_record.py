"""A record of who looked: opening a request or a customer's page, searching customers or
requests, and every export leave a row (who, what, when), which managers read for a customer and
for a staff member; agents may not."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.models import AccessRecord
from helpdesk.personal_data import retention
from helpdesk.personal_data.access import Kind, record_access


@pytest.fixture
def katalin_request(make_ticket):
    return make_ticket(subject="Charged twice")


def kinds(records) -> list[str]:
    return [record.kind for record in records]


def test_the_views_searches_and_exports_made_are_on_the_record(client, agent, manager, katalin_request):
    customer = katalin_request.customer
    client.force_login(agent)
    client.get(f"/agent/tickets/{katalin_request.reference}/")
    client.get(f"/agent/customers/{customer.pk}/")
    client.get("/agent/calls/customers/?q=Katalin")
    client.get(f"/agent/customers/{customer.pk}/merge/?q=szabo")
    client.get("/agent/?q=twice")
    client.get("/agent/?q=twice", headers={"HX-Request": "true"})  # the list refreshing itself
    client.force_login(manager)
    assert client.get("/manage/charts/satisfaction-channel.csv").status_code == 200
    assert client.get("/crisis/compensation/audit.csv").status_code == 200

    for_customer = client.get(f"/manage/customers/{customer.pk}/access/")
    by_agent = client.get(f"/manage/staff/{agent.pk}/access/")
    by_manager = client.get(f"/manage/staff/{manager.pk}/access/")

    assert kinds(AccessRecord.objects.filter(staff=agent).order_by("pk")) == [
        Kind.OPENED_TICKET,
        Kind.OPENED_CUSTOMER,
        Kind.SEARCHED_CUSTOMERS,
        Kind.SEARCHED_CUSTOMERS,
        Kind.SEARCHED_TICKETS,
    ]
    assert list(
        AccessRecord.objects.filter(staff=agent, kind=Kind.SEARCHED_CUSTOMERS)
        .order_by("pk")
        .values_list("detail", flat=True)
    ) == ["Katalin", "szabo"]
    assert for_customer.context["page"].object_list
    assert kinds(for_customer.context["page"]) == [
        Kind.OPENED_CUSTOMER,
        Kind.OPENED_TICKET,
    ]
    assert katalin_request.reference in for_customer.text
    assert kinds(by_agent.context["page"])[0] == Kind.SEARCHED_TICKETS  # newest first
    assert "twice" in by_agent.text
    assert kinds(by_manager.context["page"]) == [Kind.EXPORTED, Kind.EXPORTED]
    assert "satisfaction-channel" in by_manager.text
    assert "compensation-audit.csv" in by_manager.text


def test_a_post_to_the_customer_page_is_no_new_look(client, agent, katalin_request):
    client.force_login(agent)
    customer = katalin_request.customer

    client.post(f"/agent/customers/{customer.pk}/", {"note": ""})

    assert not AccessRecord.objects.filter(kind=Kind.OPENED_CUSTOMER).exists()


def test_managers_find_the_record_from_the_customer_page_and_the_staff_page(
    client, agent, manager, katalin_request
):
    client.force_login(manager)

    customer_page = client.get(f"/agent/customers/{katalin_request.customer.pk}/").text
    staff_page = client.get("/manage/staff/").text

    assert f'href="/manage/customers/{katalin_request.customer.pk}/access/"' in customer_page
    assert f'href="/manage/staff/{agent.pk}/access/"' in staff_page


def test_agents_neither_read_the_record_nor_see_its_link(client, agent, katalin_request):
    client.force_login(agent)
    customer = katalin_request.customer

    assert client.get(f"/manage/customers/{customer.pk}/access/").status_code == 403
    assert client.get(f"/manage/staff/{agent.pk}/access/").status_code == 403
    assert "/access/" not in client.get(f"/agent/customers/{customer.pk}/").text


def test_anonymous_visitors_are_sent_to_sign_in(client, agent, katalin_request):
    for url in (
        f"/manage/customers/{katalin_request.customer.pk}/access/",
        f"/manage/staff/{agent.pk}/access/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_only_staff_have_a_record_page(client, manager, outsider):
    client.force_login(manager)

    assert client.get(f"/manage/staff/{outsider.pk}/access/").status_code == 404
    assert client.get("/manage/customers/999999/access/").status_code == 404


def test_dates_are_in_the_readers_format(client, manager, agent, katalin_request):
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC), tick=False):
        record_access(agent, Kind.OPENED_TICKET, ticket=katalin_request)
    client.force_login(manager)

    page = client.get(f"/manage/staff/{agent.pk}/access/", headers={"Accept-Language": "hu"}).text

    assert "2026.11.23. 09:00" in page


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_record_pages_cost_the_same_queries_with_3_or_60_rows(client, agent, manager, make_ticket):
    tickets = [make_ticket(subject=f"Request {n}") for n in range(3)]
    customer = tickets[0].customer
    urls = [f"/manage/customers/{customer.pk}/access/", f"/manage/staff/{agent.pk}/access/"]
    for ticket in tickets:
        record_access(agent, Kind.OPENED_TICKET, ticket=ticket)
    client.force_login(manager)
    client.get(urls[0])
    small = [count_queries(client, url) for url in urls]

    for n in range(57):
        record_access(agent, Kind.OPENED_TICKET, ticket=tickets[n % 3])
    large = [count_queries(client, url) for url in urls]

    assert small == large


def test_the_record_is_kept_for_its_own_period(agent, katalin_request, settings):
    settings.RETENTION_ACCESS_RECORD_DAYS = 730
    with time_machine.travel(dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        record_access(agent, Kind.OPENED_TICKET, ticket=katalin_request)
    with time_machine.travel(dt.datetime(2025, 6, 10, 9, tzinfo=dt.UTC), tick=False):
        kept = AccessRecord.objects.create(staff=agent, kind=Kind.SEARCHED_CUSTOMERS, detail="Katalin")

    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        removed = retention.enforce()["access_record"]

    assert len(removed) == 1
    assert list(AccessRecord.objects.all()) == [kept]


def test_a_merged_customer_keeps_the_record_of_the_duplicate(client, agent, make_ticket):
    kept = make_ticket(email="katalin@example.hu").customer
    duplicate = make_ticket(email="kata.szabo@example.com").customer
    record_access(agent, Kind.OPENED_CUSTOMER, customer=duplicate)

    kept.merge_in(duplicate, by=agent)

    assert AccessRecord.objects.get().customer == kept


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_the_record_page_speaks_the_readers_language(client, manager, agent, katalin_request, language):
    record_access(agent, Kind.OPENED_TICKET, ticket=katalin_request)
    client.force_login(manager)

    response = client.get(f"/manage/staff/{agent.pk}/access/", headers={"Accept-Language": language})

    assert response.status_code == 200


def test_a_managers_download_of_a_customers_data_is_on_their_record(client, manager, katalin_request):
    customer = katalin_request.customer
    client.force_login(manager)

    assert client.get(f"/agent/customers/{customer.pk}/export/").status_code == 200

    exported = AccessRecord.objects.get(staff=manager, kind=Kind.EXPORTED)
    assert exported.customer_id == customer.pk
    assert client.get(f"/manage/customers/{customer.pk}/access/").context["page"].object_list[0] == exported
