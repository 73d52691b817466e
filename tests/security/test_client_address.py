"""Behind a reverse proxy: the client's address comes from the proxy's header only when the request
comes from a proxy the site trusts (TRUSTED_PROXIES); anyone else's header is ignored, so a forged
X-Forwarded-For neither changes the address on record nor escapes a per-address limit."""

import pytest
from axes.models import AccessAttempt

from helpdesk.models import Ticket
from tests.helpdesk.test_web_form import FORM

PROXY = "10.0.0.5"
CLIENT = "203.0.113.7"


def send_form(client, *, via, forwarded=None, email="katalin@example.hu"):
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return client.post("/tickets/new/", {**FORM, "email": email}, REMOTE_ADDR=via, headers=headers)


def recorded_address() -> str:
    return Ticket.objects.latest("pk").source_ip


@pytest.fixture
def behind_proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8::/32"]
    return settings


def test_with_no_trusted_proxy_a_forwarded_header_is_ignored(client, category):
    send_form(client, via=CLIENT, forwarded="198.51.100.99")
    assert recorded_address() == CLIENT


def test_a_forged_header_from_an_untrusted_address_is_ignored(client, category, behind_proxies):
    send_form(client, via=CLIENT, forwarded="198.51.100.99, 10.0.0.5")
    assert recorded_address() == CLIENT


def test_from_a_trusted_proxy_the_header_names_the_client(client, category, behind_proxies):
    send_form(client, via=PROXY, forwarded=CLIENT)
    assert recorded_address() == CLIENT


def test_through_several_proxies_the_right_most_untrusted_address_is_the_client(
    client, category, behind_proxies
):
    # The client forged the first entry; the outer proxy appended the client's real address and
    # the inner proxy (10.0.0.7) appended the outer one's.
    send_form(client, via=PROXY, forwarded=f"192.0.2.66, {CLIENT}, 10.0.0.7")
    assert recorded_address() == CLIENT


def test_an_ipv6_client_through_a_trusted_ipv6_proxy(client, category, behind_proxies):
    send_form(client, via="2001:db8::1", forwarded="2001:0DB9::0042")
    assert recorded_address() == "2001:db9::42"


def test_a_malformed_entry_stops_the_walk_at_the_last_proxy_that_vouched(client, category, behind_proxies):
    send_form(client, via=PROXY, forwarded="not-an-address, 10.0.0.9")
    assert recorded_address() == "10.0.0.9"


def test_a_chain_of_trusted_proxies_only_names_its_first_hop(client, category, behind_proxies):
    send_form(client, via=PROXY, forwarded="10.0.0.8, 10.0.0.9")
    assert recorded_address() == "10.0.0.8"


def test_the_header_name_is_a_setting(client, category, behind_proxies):
    behind_proxies.TRUSTED_PROXY_HEADER = "X-Real-IP"
    client.post(
        "/tickets/new/",
        FORM,
        REMOTE_ADDR=PROXY,
        headers={"x-real-ip": CLIENT, "x-forwarded-for": "198.51.100.99"},
    )
    assert recorded_address() == CLIENT


def test_a_forged_header_does_not_escape_the_per_address_limit(client, category, settings, behind_proxies):
    settings.WEB_FORM_LIMIT_PER_IP_PER_HOUR = 2
    for number in range(2):
        assert send_form(client, via=CLIENT, email=f"a{number}@example.hu").status_code == 302

    forged = send_form(client, via=CLIENT, forwarded="198.51.100.1", email="b@example.hu")

    assert forged.status_code == 429
    assert Ticket.objects.count() == 2


def test_clients_behind_one_proxy_are_limited_each_on_their_own(client, category, settings, behind_proxies):
    settings.WEB_FORM_LIMIT_PER_IP_PER_HOUR = 1
    assert send_form(client, via=PROXY, forwarded=CLIENT, email="a@example.hu").status_code == 302
    assert send_form(client, via=PROXY, forwarded=CLIENT, email="b@example.hu").status_code == 429

    neighbour = send_form(client, via=PROXY, forwarded="198.51.100.1", email="c@example.hu")

    assert neighbour.status_code == 302
    assert recorded_address() == "198.51.100.1"


def test_sign_in_throttling_counts_the_same_client_address(client, agent, behind_proxies):
    client.post(
        "/accounts/login/",
        {"username": "anna", "password": "not the password"},
        REMOTE_ADDR=CLIENT,
        headers={"x-forwarded-for": "198.51.100.99"},
    )
    client.post(
        "/accounts/login/",
        {"username": "anna", "password": "not the password"},
        REMOTE_ADDR=PROXY,
        headers={"x-forwarded-for": "198.51.100.42"},
    )

    assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.42", CLIENT]
