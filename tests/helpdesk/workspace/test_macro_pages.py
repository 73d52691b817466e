"""Managers write canned responses and macros on the staff pages (no admin needed); agents read
the list and start replies from the active ones."""

import pytest

from helpdesk.models import CannedResponse, Priority


@pytest.fixture
def refund_macro(db):
    return CannedResponse.objects.create(
        title="Refund done",
        language="en",
        body="We have refunded the second payment of {reference}.",
        then_status="resolved",
        set_priority=Priority.HIGH,
        add_tags="refund",
    )


def macro_fields(**changes):
    return {
        "title": "Router restarted",
        "language": "hu",
        "category": "",
        "body": "Újraindítottuk a routerét ({reference}).",
        "then_status": "waiting",
        "set_priority": "",
        "add_tags": "router, Restart",
        "position": "0",
        **changes,
    }


def test_a_manager_writes_a_macro_that_agents_then_see_in_the_workspace(client, manager, agent, make_ticket):
    client.force_login(manager)

    response = client.post("/manage/macros/new/", macro_fields())

    assert response.status_code == 302
    macro = CannedResponse.objects.get(title="Router restarted")
    assert (macro.language, macro.then_status, macro.tag_names, macro.is_active) == (
        "hu",
        "waiting",
        ["router", "restart"],
        True,
    )
    assert "saved" in client.get("/agent/macros/").text
    client.force_login(agent)
    ticket = make_ticket(language="hu")
    offered = client.get(f"/agent/tickets/{ticket.reference}/").context["canned_responses"]
    assert macro in [response for response, _text in offered]


def test_a_manager_edits_a_macro_and_a_refused_form_keeps_what_was_typed(client, manager, refund_macro):
    client.force_login(manager)
    typed = "Dear {customer_nmae}, we refunded {reference}."

    refused = client.post(
        f"/manage/macros/{refund_macro.pk}/",
        macro_fields(title="Refund done", language="en", body=typed, add_tags="x" * 41),
    )

    assert refused.status_code == 200
    assert "{customer_nmae}" in str(refused.context["form"].errors["body"])
    assert refused.context["form"].errors["add_tags"]
    assert refused.context["form"]["body"].value() == typed
    refund_macro.refresh_from_db()
    assert refund_macro.body == "We have refunded the second payment of {reference}."

    saved = client.post(
        f"/manage/macros/{refund_macro.pk}/",
        macro_fields(
            title="Refund done", language="en", body="Refunded: {reference}.", then_status="resolved"
        ),
    )

    assert saved.status_code == 302
    refund_macro.refresh_from_db()
    assert (refund_macro.body, refund_macro.set_priority) == ("Refunded: {reference}.", None)


def test_a_deactivated_macro_is_no_longer_offered_and_can_come_back(
    client, manager, agent, refund_macro, make_ticket
):
    ticket = make_ticket()
    client.force_login(manager)

    first = client.post(f"/manage/macros/{refund_macro.pk}/deactivate/")
    repeat = client.post(f"/manage/macros/{refund_macro.pk}/deactivate/")  # changes nothing

    assert first.status_code == repeat.status_code == 302
    refund_macro.refresh_from_db()
    assert not refund_macro.is_active
    client.force_login(agent)
    workspace = client.get(f"/agent/tickets/{ticket.reference}/")
    assert workspace.status_code == 200
    assert refund_macro not in [response for response, _text in workspace.context["canned_responses"]]

    client.force_login(manager)
    client.post(f"/manage/macros/{refund_macro.pk}/reactivate/")
    refund_macro.refresh_from_db()
    assert refund_macro.is_active


def test_agents_see_the_macros_but_cannot_change_them(client, agent, refund_macro):
    client.force_login(agent)

    page = client.get("/agent/macros/")

    assert page.status_code == 200
    assert "Refund done" in page.text
    assert "Resolve · priority High · tags: refund" in page.text
    assert f"/manage/macros/{refund_macro.pk}/" not in page.text
    assert 'href="/agent/macros/"' in client.get("/agent/").text  # in the agents' navigation
    assert client.get("/manage/macros/new/").status_code == 403
    assert client.post("/manage/macros/new/", macro_fields()).status_code == 403
    assert client.post(f"/manage/macros/{refund_macro.pk}/", macro_fields()).status_code == 403
    assert client.post(f"/manage/macros/{refund_macro.pk}/deactivate/").status_code == 403
    refund_macro.refresh_from_db()
    assert (refund_macro.title, refund_macro.is_active) == ("Refund done", True)
    assert not CannedResponse.objects.filter(title="Router restarted").exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, db):
    response = client.get("/agent/macros/")
    assert response.status_code == 302  # to the sign-in page


@pytest.mark.parametrize("size", [1, 9])
def test_the_macro_list_reads_the_same_queries_whatever_their_number(
    client, manager, category, django_assert_num_queries, size
):
    for number in range(size):
        CannedResponse.objects.create(
            title=f"Answer {number}", language="pl", body="Dziękujemy.", category=category, add_tags="a, b"
        )
    client.force_login(manager)

    # The session, the manager, the responses with their categories.
    with django_assert_num_queries(3):
        response = client.get("/agent/macros/")

    assert response.text.count("data-macro=") == size
