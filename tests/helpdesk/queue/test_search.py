"""The agents' search finds a word typed with or without its accents, in any case."""

import pytest

from tests.helpdesk.queue.test_page import count_queries, references


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def search(client, text: str) -> set[str]:
    response = client.get("/agent/", {"q": text})
    assert response.status_code == 200
    return set(references(response))


@pytest.fixture
def invoices(make_ticket):
    """Four requests about an invoice ("számla"): two say it in the subject, two in the message,
    one of them typed without accents; and one about something else."""
    return {
        make_ticket(subject="Hibás számla", email="a@example.hu").reference,
        make_ticket(subject="SZÁMLA kétszer", email="b@example.hu").reference,
        make_ticket(
            subject="Kérdés", body="A múlt havi számla összege rossz.", email="c@example.hu"
        ).reference,
        make_ticket(subject="Kérdés", body="Nem jott meg a szamla.", email="d@example.hu").reference,
    }, make_ticket(subject="Router offline", body="No internet.", email="e@example.hu").reference


def test_a_word_typed_without_accents_finds_it_written_with_them(agent_client, invoices):
    about_the_invoice, _other = invoices

    assert search(agent_client, "szamla") == about_the_invoice
    assert search(agent_client, "számla") == about_the_invoice
    assert search(agent_client, "SZAMLA") == about_the_invoice
    assert search(agent_client, "Számla") == about_the_invoice


def test_a_customers_name_is_found_without_its_accents(agent_client, make_ticket):
    adam = make_ticket(name="Kovács Ádám", email="k.a@example.hu").reference
    agnieszka = make_ticket(name="Agnieszka Wiśniewska", email="aga@example.pl").reference
    make_ticket(name="Nagy Éva", email="eva@example.hu")

    assert search(agent_client, "adam") == {adam}
    assert search(agent_client, "ÁDÁM") == {adam}
    assert search(agent_client, "kovacs adam") == {adam}
    assert search(agent_client, "wisniewska") == {agnieszka}
    assert search(agent_client, "Wiśniewska") == {agnieszka}


def test_an_email_address_is_found_in_any_case(agent_client, make_ticket):
    found = make_ticket(name="", email="Zoltan.Toth@Example.HU").reference
    make_ticket(email="someone@example.hu")

    assert search(agent_client, "zoltan.toth@example.hu") == {found}
    assert search(agent_client, "ZOLTÁN.TÓTH") == {found}


@pytest.mark.parametrize("typed", ["+36 30 123 4567", "06301234567", "30/123-4567", "0036 30 123 45 67"])
def test_a_phone_number_is_found_however_it_is_written(agent_client, make_ticket, typed):
    caller = make_ticket(channel="phone", name="Fekete Gábor", email="", phone="06 30 123 4567").reference
    make_ticket(channel="phone", name="Fehér Ilona", email="", phone="+36 20 765 4321")

    assert search(agent_client, typed) == {caller}


def test_a_reference_is_found_in_any_case_and_without_its_dash(agent_client, make_ticket):
    ticket = make_ticket(email="a@example.hu")
    make_ticket(email="b@example.hu")

    assert search(agent_client, ticket.reference.lower().replace("-", "")) == {ticket.reference}


def test_an_accent_free_search_costs_the_queries_of_any_other(agent_client, invoices, make_ticket):
    agent_client.get("/agent/")  # the cached opening hours read once
    plain = count_queries(agent_client, "/agent/", data={"q": "router"})
    for number in range(20):
        make_ticket(subject=f"Számla {number}", email=f"more{number}@example.hu")
    make_ticket(subject="Visszahívást kérek", email="caller@example.hu", phone="+36 30 123 4567")

    # Each search finds requests, as "router" does: an empty page has no tags to read.
    assert count_queries(agent_client, "/agent/", data={"q": "szamla"}) == plain
    assert count_queries(agent_client, "/agent/", data={"q": "06301234567"}) == plain


# A customer's name and address are searched in a folded copy the database keeps: a detail
# learnt on a call and a merge change what finds their requests at once.


def test_a_name_learnt_on_a_call_finds_the_callers_earlier_requests(agent_client, make_ticket):
    earlier = make_ticket(channel="phone", name="", email="", phone="+36 30 765 4321").reference
    assert search(agent_client, "kertesz") == set()

    response = agent_client.post(
        "/agent/calls/new/",
        {"body": "Calls again about the meter.", "name": "Kertész Zsófia", "phone": "06 30 765 4321"},
    )

    assert response.status_code == 302
    assert earlier in search(agent_client, "kertesz zsofia")
    assert len(search(agent_client, "kertesz")) == 2


def test_after_a_merge_the_requests_are_found_by_the_kept_details_not_the_duplicates(
    agent_client, agent, make_ticket
):
    by_phone = make_ticket(
        channel="phone", name="Zofia Wiśniewska", email="", phone="+48 601 234 567", by=agent
    )
    by_web = make_ticket(name="Zosia W.", email="zosia@example.pl")
    assert search(agent_client, "zosia") == {by_web.reference}
    assert search(agent_client, "wisniewska") == {by_phone.reference}

    response = agent_client.post(
        f"/agent/customers/{by_phone.customer_id}/merge/", {"duplicate": by_web.customer_id}
    )

    assert response.status_code == 302
    both = {by_phone.reference, by_web.reference}
    assert search(agent_client, "wisniewska") == both
    # The kept record took the duplicate's address, which it lacked, and kept its own name.
    assert search(agent_client, "zosia@example.pl") == both
    assert search(agent_client, "zosia w.") == set()
