"""Demo data for crisis compensation and briefings: an active incident about a double charge,
its briefing, two policies, the demo agent's grant limits, one gesture granted on the spot and
one proposal waiting for the manager. Idempotent, like the rest of seed_demo."""

from decimal import Decimal

from crisis.compensation import services
from crisis.models import (
    Briefing,
    CompensationPolicy,
    CompensationProposal,
    GrantLimit,
    Incident,
    IncidentTicket,
)
from helpdesk.models import Ticket

TITLE = "Double charge on November bills"


STATEMENT = {
    "en": (
        "Some customers were charged twice for their November bill. We are sorry. The second "
        "charge is refunded automatically: you need not do anything. We will tell you here as soon "
        "as every refund is on its way."
    ),
    "hu": (
        "Egyes ügyfeleinktől kétszer vontuk le a novemberi számla összegét. Elnézést kérünk. A második "
        "terhelést automatikusan visszautaljuk, Önnek nincs teendője. Amint minden visszautalás "
        "elindult, itt tájékoztatjuk."
    ),
    "pl": (
        "Od części klientów pobraliśmy dwukrotnie opłatę za listopadowy rachunek. Przepraszamy. Drugie "
        "obciążenie zwrócimy automatycznie, nie trzeba nic robić. Poinformujemy tutaj, gdy tylko "
        "wszystkie zwroty zostaną zlecone."
    ),
}


def seed(*, agent, manager) -> dict[str, int]:
    if Incident.objects.filter(title=TITLE).exists():
        return {"incidents": 0}
    # Declared as a manager declares one: its first public statement, in every language, is on
    # the banner at once.
    incident = Incident.declare(
        by=manager,
        statement=STATEMENT,
        title=TITLE,
        title_hu="Kétszeres terhelés a novemberi számláknál",
        title_pl="Podwójne obciążenie za listopadowe rachunki",
        affected_service="Billing",
        description="The November direct debit ran twice for part of the Hungarian customers.",
    )
    incident.move_to(Incident.State.IDENTIFIED, by=manager)
    tickets = list(Ticket.objects.filter(category__slug="billing", language="hu").order_by("created_at")[:3])
    for ticket in tickets:
        IncidentTicket.objects.get_or_create(
            incident=incident, ticket=ticket, defaults={"via": "agent", "linked_by": agent}
        )
    Briefing.publish(
        incident=incident,
        by=manager,
        what_we_know="The November direct debit was taken twice from some accounts on 20 November.",
        what_to_say="We know, the second charge is refunded automatically, nobody has to do anything.",
        what_not_to_promise="An exact refund date: the bank has not confirmed it yet.",
        phrases_hu="Tudunk a hibáról: a második terhelést automatikusan visszautaljuk, Önnek nincs teendője.",
        phrases_pl="Wiemy o błędzie: drugie obciążenie zwrócimy automatycznie, nie musisz nic robić.",
        phrases_en="We know about it: the second charge is refunded automatically, you need not do anything.",
    )
    CompensationPolicy.objects.create(
        incident=incident,
        title="Apology credit",
        kind="bill_credit",
        amount=Decimal(2000),
        currency="HUF",
        eligibility="Every customer charged twice.",
        created_by=manager,
    )
    CompensationPolicy.objects.create(
        incident=incident,
        title="Overdraft fees",
        kind="fee_waiver",
        amount=Decimal(15000),
        currency="HUF",
        eligibility="Customers charged an overdraft fee for the second debit (ask for the statement).",
        created_by=manager,
    )
    GrantLimit.objects.get_or_create(
        agent=agent,
        kind="bill_credit",
        currency="HUF",
        defaults={"max_amount": Decimal(5000), "set_by": manager},
    )
    GrantLimit.objects.get_or_create(
        agent=agent, kind="warranty_extension", currency="", defaults={"max_days": 90, "set_by": manager}
    )
    if len(tickets) >= 2 and not CompensationProposal.objects.filter(incident=incident).exists():
        services.propose(
            ticket=tickets[0],
            incident=incident,
            offer=services.Offer(
                kind="bill_credit",
                amount=Decimal(2000),
                currency="HUF",
                justification="Apology credit for the double charge.",
            ),
            by=agent,
        )
        services.propose(
            ticket=tickets[1],
            incident=incident,
            offer=services.Offer(
                kind="fee_waiver",
                amount=Decimal(12500),
                currency="HUF",
                justification="Her bank charged an overdraft fee; statement attached to the ticket.",
            ),
            by=agent,
        )
    return {"incidents": 1}
