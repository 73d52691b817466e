"""Macros: a canned response that also sets the status, the priority and tags when the reply
it started goes out."""

import re

import pytest

from helpdesk.models import CannedResponse, Priority, Ticket, TicketEntry


def url(ticket, action=""):
    return f"/agent/tickets/{ticket.reference}/{action + '/' if action else ''}"


@pytest.fixture
def refund_macro(db):
    return CannedResponse.objects.create(
        title="Refund done",
        language="en",
        body="We have refunded the second payment of {reference}.",
        then_status="resolved",
        set_priority=Priority.HIGH,
        add_tags="Refund, billing , refund",
    )


def reply(client, ticket, body, **extra):
    seen = client.get(url(ticket)).context["reply_form"].initial["seen_up_to"]
    return client.post(url(ticket, "reply"), {"body": body, "seen_up_to": seen, **extra})


def test_the_workspace_offers_a_macro_with_what_it_does(client, agent, ticket, refund_macro):
    client.force_login(agent)

    page = client.get(url(ticket)).text

    option = re.search(rf'<option [^>]*data-macro="{refund_macro.pk}"[^>]*>', page).group(0)
    assert 'data-then="resolved"' in option
    assert f"We have refunded the second payment of {ticket.reference}." in option
    assert 'name="macro"' in page


def test_sending_a_macro_reply_sets_status_priority_and_tags(client, agent, ticket, refund_macro):
    client.force_login(agent)

    response = reply(
        client,
        ticket,
        f"We have refunded the second payment of {ticket.reference}.",
        then="resolved",
        macro=refund_macro.pk,
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.priority) == ("resolved", Priority.HIGH)
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing", "refund"]
    events = list(ticket.entries.filter(kind=TicketEntry.Kind.EVENT).values_list("event", flat=True))
    assert events.count("tag_added") == 2
    assert "priority_changed" in events
    assert "status_changed" in events
    assert ticket.entries.filter(kind=TicketEntry.Kind.REPLY).count() == 1


def test_a_macro_keeps_the_tags_the_ticket_has(client, agent, ticket, refund_macro):
    ticket.add_tag("refund", by=agent)
    client.force_login(agent)

    assert reply(client, ticket, "Refunded.", macro=refund_macro.pk).status_code == 302

    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing", "refund"]
    assert Ticket.objects.get(pk=ticket.pk).status == "open"  # the agent kept the status


def test_a_macro_reply_still_holding_a_placeholder_is_refused_and_changes_nothing(
    client, agent, ticket, refund_macro
):
    client.force_login(agent)

    response = reply(
        client, ticket, "Dear {customer_name}, refunded.", then="resolved", macro=refund_macro.pk
    )

    assert response.status_code == 200
    assert "{customer_name}" in response.context["reply_form"].errors["body"][0]
    assert response.context["reply_form"]["macro"].value() == str(refund_macro.pk)  # kept
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.priority) == ("new", Priority.NORMAL)
    assert not ticket.tags.exists()


def test_a_reply_held_back_applies_nothing_of_its_macro(client, agent, other_agent, ticket, refund_macro):
    client.force_login(agent)
    seen = client.get(url(ticket)).context["reply_form"].initial["seen_up_to"]
    ticket.reply(by=other_agent, body="Bence was faster.")

    response = client.post(
        url(ticket, "reply"), {"body": "Refunded.", "seen_up_to": seen, "macro": refund_macro.pk}
    )

    assert response.status_code == 409
    assert not ticket.tags.exists()
    assert Ticket.objects.get(pk=ticket.pk).priority == Priority.NORMAL


def test_an_unknown_macro_is_refused_without_an_error_page(client, agent, ticket):
    client.force_login(agent)
    response = reply(client, ticket, "Hello.", macro="999999")
    assert response.status_code == 200
    assert response.context["reply_form"].errors["macro"]


def test_managers_edit_macros_in_the_administration(client, manager, refund_macro):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    client.force_login(manager)

    page = client.get(f"/admin/helpdesk/cannedresponse/{refund_macro.pk}/change/").text

    for field in ("then_status", "set_priority", "add_tags"):
        assert f'name="{field}"' in page


def test_an_agent_does_not_edit_macros(client, agent, refund_macro):
    client.force_login(agent)
    response = client.get(f"/admin/helpdesk/cannedresponse/{refund_macro.pk}/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
