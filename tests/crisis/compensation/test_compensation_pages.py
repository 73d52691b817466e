"""The compensation pages: proposing from a ticket, deciding, the queue, policies and limits."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.compensation import services
from crisis.models import AuditEntry, CompensationPolicy, CompensationProposal, GrantLimit, IncidentTicket
from helpdesk.models import Notification
from tests.crisis.compensation.conftest import credit

pytestmark = pytest.mark.django_db


def propose_url(ticket):
    return f"/crisis/tickets/{ticket.reference}/compensation/new/"


def test_the_workspace_offers_compensation_for_a_linked_ticket(client, agent, affected, incident):
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{affected.reference}/").text

    assert 'data-testid="compensation-panel"' in page
    assert incident.title in page
    assert propose_url(affected) in page


def test_an_unlinked_ticket_has_no_compensation_panel(client, agent, make_ticket):
    client.force_login(agent)

    response = client.get(f"/agent/tickets/{make_ticket().reference}/")

    assert response.status_code == 200
    assert 'data-testid="compensation-panel"' not in response.text


def test_an_agent_grants_within_the_limit_from_the_ticket(client, agent, affected, incident, agent_limit):
    client.force_login(agent)
    data = {
        "incident": incident.pk,
        "kind": "bill_credit",
        "amount": "4500",
        "currency": "HUF",
        "justification": "Charged twice",
    }

    response = client.post(propose_url(affected), data)

    assert response.status_code == 302
    proposal = CompensationProposal.objects.get()
    assert proposal.state == "approved"
    assert proposal.granted_on_the_spot
    assert proposal.amount == Decimal(4500)
    assert Notification.objects.filter(ticket=affected).count() == 1


def test_a_policy_decides_the_value_not_the_agent(client, agent, affected, incident, manager):
    policy = CompensationPolicy.objects.create(
        incident=incident,
        title="Double charge refund",
        kind="bill_credit",
        amount=Decimal(2990),
        currency="HUF",
        eligibility="Everyone charged twice",
        created_by=manager,
    )
    client.force_login(agent)

    client.post(
        propose_url(affected),
        {
            "incident": incident.pk,
            "policy": policy.pk,
            "amount": "99999",
            "currency": "EUR",
            "justification": "Charged twice",
        },
    )

    proposal = CompensationProposal.objects.get()
    assert (proposal.kind, proposal.amount, proposal.currency, proposal.policy) == (
        "bill_credit",
        Decimal(2990),
        "HUF",
        policy,
    )


def test_a_rejected_form_keeps_what_was_typed(client, agent, affected, incident):
    client.force_login(agent)

    response = client.post(
        propose_url(affected),
        {
            "incident": incident.pk,
            "kind": "voucher",
            "amount": "1500",
            "justification": "Long wait on the phone",
        },
    )

    assert response.status_code == 400
    assert "Long wait on the phone" in response.text
    assert "Choose the currency" in response.text
    assert not CompensationProposal.objects.exists()


def test_the_customers_status_page_says_compensation_is_being_decided(client, affected, incident, agent):
    services.propose(ticket=affected, incident=incident, offer=credit(20000), by=agent)

    page = client.get(f"/status/{affected.status_token}/").text

    assert 'data-testid="status-compensation"' in page
    assert "We are deciding on compensation for you" in page
    assert "Charged twice for November" not in page  # the justification is internal


def test_the_status_page_says_nothing_of_a_withdrawn_proposal(client, affected, incident, agent):
    services.propose(ticket=affected, incident=incident, offer=credit(20000), by=agent).withdraw(by=agent)

    response = client.get(f"/status/{affected.status_token}/")

    assert response.status_code == 200
    assert 'data-testid="status-compensation"' not in response.text


@pytest.fixture
def pending(affected, incident, agent):
    return services.propose(ticket=affected, incident=incident, offer=credit(20000), by=agent)


def test_an_agent_cannot_approve_through_the_page(client, agent, other_agent, pending):
    for person in (agent, other_agent):
        client.force_login(person)
        assert client.post(f"/crisis/compensation/{pending.pk}/approve/").status_code == 403
        assert (
            client.post(
                "/crisis/compensation/decide/", {"proposals": [pending.pk], "decision": "approve"}
            ).status_code
            == 403
        )
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_a_manager_cannot_approve_their_own_proposal_through_the_page(client, manager, affected, incident):
    own = services.propose(ticket=affected, incident=incident, offer=credit(20000), by=manager)
    client.force_login(manager)

    response = client.post(f"/crisis/compensation/{own.pk}/approve/", follow=True)

    assert "another manager has to decide" in response.text
    own.refresh_from_db()
    assert own.state == "pending"


def test_a_manager_approves_with_a_note(client, manager, pending):
    client.force_login(manager)

    response = client.post(f"/crisis/compensation/{pending.pk}/approve/", {"note": "Fair."})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == "approved"
    assert pending.decision_note == "Fair."


def test_deciding_needs_a_post(client, manager, pending):
    client.force_login(manager)

    assert client.get(f"/crisis/compensation/{pending.pk}/approve/").status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client, pending):
    for url in (
        "/crisis/compensation/",
        f"/crisis/compensation/{pending.pk}/",
        "/crisis/compensation/limits/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_queue_is_for_managers(client, agent, outsider):
    client.force_login(agent)
    assert client.get("/crisis/compensation/").status_code == 403
    client.force_login(outsider)
    assert client.get("/crisis/compensation/").status_code == 403


# --- the approval queue -----------------------------------------------------------------------


@pytest.fixture
def many(incident, make_ticket, agent, manager):
    from crisis.models import Incident

    other_incident = Incident.objects.create(title="Mobile data outage in Szeged", declared_by=manager)

    def make(count, offset=0):
        for n in range(offset, offset + count):
            ticket = make_ticket(email=f"q{n}@example.hu")
            target = incident if n % 2 == 0 else other_incident
            IncidentTicket.objects.create(incident=target, ticket=ticket, via="agent")
            offer = (
                credit(1000 * (n + 1))
                if n % 3
                else services.Offer(kind="voucher", amount=Decimal(10), currency="EUR", justification="Sorry")
            )
            services.propose(ticket=ticket, incident=target, offer=offer, by=agent)

    make.other_incident = other_incident
    return make


def queue_queries(client, url="/crisis/compensation/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_queries_for_3_and_30_proposals(client, manager, many):
    client.force_login(manager)
    many(3)
    small = queue_queries(client)
    many(27, offset=3)
    large = queue_queries(client)

    assert small == large
    assert large <= 12


def test_the_queue_totals_are_per_incident_and_kind_and_follow_the_filters(client, manager, many, incident):
    many(6)  # n=0..5: incident gets 0, 2, 4; vouchers at 0 and 3
    client.force_login(manager)

    response = client.get("/crisis/compensation/", {"incident": incident.pk, "state": "pending"})

    by_incident = response.context["by_incident"]
    assert [(row["label"], row["currency"], row["count"], row["amount"]) for row in by_incident] == [
        (incident.title, "EUR", 1, Decimal(10)),
        (incident.title, "HUF", 2, Decimal(3000 + 5000)),
    ]
    by_kind = {(row["kind"], row["currency"]): row["count"] for row in response.context["by_kind"]}
    assert by_kind == {("bill_credit", "HUF"): 2, ("voucher", "EUR"): 1}
    assert len(response.context["page"]) == 3


def test_the_queue_filters_by_kind_and_overdue(client, manager, many):
    many(6)
    client.force_login(manager)
    CompensationProposal.objects.filter(kind="voucher").update(decide_by="2020-01-01T00:00:00Z")

    vouchers = client.get("/crisis/compensation/", {"kind": "voucher"}).context["page"]
    overdue = client.get("/crisis/compensation/", {"overdue": "on", "state": "pending"}).context["page"]

    assert {p.kind for p in vouchers} == {"voucher"}
    assert {p.kind for p in overdue} == {"voucher"}
    assert "overdue" in client.get("/crisis/compensation/", {"overdue": "on"}).text


def test_bulk_approve_skips_a_managers_own_proposals(
    client, manager, second_manager, many, affected, incident
):
    many(4)
    own = services.propose(ticket=affected, incident=incident, offer=credit(50000), by=manager)
    client.force_login(manager)
    ids = list(CompensationProposal.objects.pending().values_list("pk", flat=True))

    response = client.post(
        "/crisis/compensation/decide/",
        {"proposals": ids, "decision": "approve", "note": "Batch OK"},
        follow=True,
    )

    assert response.status_code == 200
    assert CompensationProposal.objects.filter(state="approved").count() == 4
    own.refresh_from_db()
    assert own.state == "pending"
    assert "another manager has to decide" in response.text
    assert AuditEntry.objects.filter(action="approved", note="Batch OK").count() == 4


def test_bulk_reject_needs_a_note(client, manager, many):
    many(2)
    client.force_login(manager)
    ids = list(CompensationProposal.objects.values_list("pk", flat=True))

    response = client.post(
        "/crisis/compensation/decide/", {"proposals": ids, "decision": "reject", "note": ""}
    )

    assert response.status_code == 400
    assert not CompensationProposal.objects.filter(state="rejected").exists()


def test_rejection_in_bulk_notifies_each_customer(client, manager, many):
    many(3)
    client.force_login(manager)
    ids = list(CompensationProposal.objects.values_list("pk", flat=True))

    client.post(
        "/crisis/compensation/decide/", {"proposals": ids, "decision": "reject", "note": "Not covered"}
    )

    assert Notification.objects.filter(kind="status").count() == 3


# --- policies and limits ----------------------------------------------------------------------


def test_a_manager_adds_and_changes_a_policy_on_the_audit_trail(client, manager, incident):
    client.force_login(manager)
    data = {
        "title": "Refund",
        "kind": "bill_credit",
        "amount": "2990",
        "currency": "HUF",
        "eligibility": "Charged twice",
        "is_active": "on",
    }

    assert client.post(f"/crisis/incidents/{incident.pk}/compensation/", data).status_code == 302
    policy = CompensationPolicy.objects.get()
    client.post(
        f"/crisis/incidents/{incident.pk}/compensation/policies/{policy.pk}/", {**data, "amount": "3990"}
    )

    changed = AuditEntry.objects.get(action="policy_changed")
    assert changed.before["amount"] == "2990.00"
    assert changed.after["amount"] == "3990.00"


def test_agents_read_policies_but_cannot_add_them(client, agent, incident):
    client.force_login(agent)

    assert client.get(f"/crisis/incidents/{incident.pk}/compensation/").status_code == 200
    client.post(
        f"/crisis/incidents/{incident.pk}/compensation/",
        {"title": "Mine", "kind": "voucher", "amount": "1", "currency": "EUR", "eligibility": "x"},
    )
    assert not CompensationPolicy.objects.exists()


def test_a_manager_sets_replaces_and_removes_an_agents_limit(client, manager, agent):
    client.force_login(manager)
    data = {"agent": agent.pk, "kind": "bill_credit", "currency": "HUF", "max_amount": "5000"}

    client.post("/crisis/compensation/limits/", data)
    client.post("/crisis/compensation/limits/", {**data, "max_amount": "8000"})

    limit = GrantLimit.objects.get()
    assert limit.max_amount == Decimal(8000)
    client.post(f"/crisis/compensation/limits/{limit.pk}/remove/")
    assert not GrantLimit.objects.exists()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["limit_set", "limit_set", "limit_removed"]


def test_agents_cannot_set_limits(client, agent):
    client.force_login(agent)

    response = client.post(
        "/crisis/compensation/limits/",
        {"agent": agent.pk, "kind": "bill_credit", "currency": "HUF", "max_amount": "999999"},
    )

    assert response.status_code == 403
    assert not GrantLimit.objects.exists()


def test_proposing_for_all_linked_tickets_from_the_page(client, agent, incident, make_ticket):
    for n in range(3):
        IncidentTicket.objects.create(
            incident=incident, ticket=make_ticket(email=f"b{n}@example.hu"), via="bulk"
        )
    client.force_login(agent)

    response = client.post(
        f"/crisis/incidents/{incident.pk}/compensation/propose-all/",
        {"kind": "fee_waiver", "amount": "990", "currency": "HUF", "justification": "Late fee waived"},
    )

    assert response.status_code == 302
    assert CompensationProposal.objects.filter(state="pending", kind="fee_waiver").count() == 3


def test_every_page_renders_for_a_manager(client, manager, agent, affected, incident, agent_limit):
    from crisis.models import Briefing

    granted = services.propose(ticket=affected, incident=incident, offer=credit(100), by=agent)
    waiting = services.propose(ticket=affected, incident=incident, offer=credit(90000), by=agent)
    policy = CompensationPolicy.objects.create(
        incident=incident,
        title="Refund",
        kind="voucher",
        duration_days=None,
        amount=Decimal(5),
        currency="EUR",
        eligibility="All",
        created_by=manager,
    )
    Briefing.publish(incident=incident, by=manager, what_we_know="Known", what_to_say="Say")
    client.force_login(manager)

    for url in (
        f"/crisis/incidents/{incident.pk}/briefing/",
        f"/crisis/incidents/{incident.pk}/briefing/edit/",
        f"/crisis/incidents/{incident.pk}/compensation/",
        f"/crisis/incidents/{incident.pk}/compensation/policies/{policy.pk}/",
        f"/crisis/incidents/{incident.pk}/compensation/propose-all/",
        f"/crisis/incidents/{incident.pk}/report/",
        propose_url(affected),
        "/crisis/compensation/",
        "/crisis/compensation/?state=&overdue=on",
        "/crisis/compensation/limits/",
        "/crisis/compensation/audit/",
        f"/crisis/compensation/{granted.pk}/",
        f"/crisis/compensation/{waiting.pk}/",
        f"/agent/tickets/{affected.reference}/",
    ):
        assert client.get(url).status_code == 200, url


def test_managers_find_the_grants_made_on_the_spot_to_review(
    client, manager, affected, incident, agent, agent_limit
):
    granted = services.propose(ticket=affected, incident=incident, offer=credit(1000), by=agent)
    services.propose(ticket=affected, incident=incident, offer=credit(90000), by=agent)
    client.force_login(manager)

    listed = client.get("/crisis/compensation/", {"to_review": "on"}).context["page"]
    assert [p.pk for p in listed] == [granted.pk]
    client.post(f"/crisis/compensation/{granted.pk}/review/")
    assert list(client.get("/crisis/compensation/", {"to_review": "on"}).context["page"]) == []


def test_bulk_marks_approved_compensation_fulfilled_and_spot_grants_reviewed(
    client, manager, agent, affected, incident, many
):
    many(3)
    GrantLimit.objects.create(
        agent=agent, kind="bill_credit", currency="HUF", max_amount=5000, set_by=manager
    )
    granted = services.propose(ticket=affected, incident=incident, offer=credit(1000), by=agent)
    waiting = list(CompensationProposal.objects.pending())
    assert len(waiting) == 3
    client.force_login(manager)

    client.post("/crisis/compensation/decide/", {"proposals": [p.pk for p in waiting], "decision": "approve"})
    client.post(
        "/crisis/compensation/decide/",
        {"proposals": [p.pk for p in waiting], "decision": "fulfil", "note": "Credit run 2026-11"},
    )
    response = client.post(
        "/crisis/compensation/decide/",
        {"proposals": [granted.pk, waiting[0].pk], "decision": "mark_reviewed"},
        follow=True,
    )

    assert CompensationProposal.objects.filter(state="fulfilled").count() == 3
    assert AuditEntry.objects.filter(action="fulfilled", note="Credit run 2026-11").count() == 3
    granted.refresh_from_db()
    assert granted.reviewed_by == manager
    assert "There is nothing to review on this proposal." in response.text  # not a spot grant
