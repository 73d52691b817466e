"""One customer who used every channel we have, for the export and erasure tests.

Zsófia Kertész-Nowak wrote an email with a file, sent the web form, called, chatted, came to a
branch, answered a survey, subscribed to an incident's updates and was granted compensation.
Her name, address and number appear wherever the product keeps them; the tests look for them
everywhere afterwards.
"""

from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage

import pytest

from crisis import emails as crisis_emails
from crisis.compensation.services import Offer, propose
from crisis.models import GrantLimit, Incident, IncidentTicket, Subscription
from feedback.models import Survey
from feedback.themes import complaints
from helpdesk import intake
from helpdesk.channels.chat import start_chat
from helpdesk.mail.inbound import ingest_message
from helpdesk.models import Branch, BranchService, Customer, Ticket
from helpdesk.walk_in import visits

NAME = "Zsófia Kertész-Nowak"
EMAIL = "zsofia.kertesz@example.hu"
PHONE = "+36309876543"
# How an agent or the customer writes the number in a text.
PHONE_AS_WRITTEN = "+36 30 987 6543"
IP = "203.0.113.77"


@dataclass
class EveryChannel:
    customer: Customer
    tickets: dict
    status_tokens: list
    survey: Survey
    incident: Incident


def email_with_file() -> bytes:
    message = EmailMessage()
    message["From"] = f"{NAME} <{EMAIL}>"
    message["To"] = "help@example.com"
    message["Subject"] = "Meter reading"
    message["Message-ID"] = "<reading-1@example.hu>"
    message.set_content(f"Hello, my reading is attached. {NAME}, {PHONE_AS_WRITTEN}")
    message.add_attachment(
        b"Meter 12345 kWh, Zsofia", maintype="text", subtype="plain", filename="reading.txt"
    )
    return message.as_bytes()


@pytest.fixture
def every_channel(
    settings, tmp_path, queue, complaint_category, agent, manager, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    tickets = {}
    with django_capture_on_commit_callbacks(execute=True):
        assert ingest_message(email_with_file(), source="test").outcome == "created"
        tickets["email"] = Ticket.objects.get(channel="email")
        tickets["web"] = intake.receive(
            channel="web",
            subject=f"{NAME}: charged twice",
            body=f"My bill was taken twice. Call me on {PHONE_AS_WRITTEN}.",
            name=NAME,
            email=EMAIL,
            language="hu",
            category=complaint_category,
            source_ip=IP,
            identity_verified=False,
            acknowledge=True,
        )
        complaints.group_complaint(tickets["web"].pk)
        tickets["phone"] = intake.receive(
            channel="phone",
            subject="Called about the meter",
            body="Asked when the fitter comes.",
            name=NAME,
            email=EMAIL,
            phone=PHONE_AS_WRITTEN,
            language="hu",
            identity_verified=True,
            acknowledge=False,
        )
        tickets["phone"].add_note(by=agent, body=f"{NAME} sounded upset; prefers {PHONE_AS_WRITTEN}.")
        chat = start_chat(queue=queue, name=NAME, email=EMAIL, message="Is anyone there?", source_ip=IP)
        chat.post_customer_message(f"This is {NAME}, my number is {PHONE_AS_WRITTEN}.")
        tickets["chat"] = chat.ticket
        branch = Branch.objects.create(name="Budapest, Váci út", slug="vaci", calendar=queue.calendar)
        line = BranchService.objects.create(
            branch=branch, letter="A", name_en="General", name_hu="Általános", name_pl="Ogólne", queue=queue
        )
        visit = visits.check_in(service=line, name=NAME, phone=PHONE_AS_WRITTEN, language="hu", by=agent)
        tickets["walk_in"] = visit.ticket
        survey = Survey.objects.create(
            ticket=tickets["web"],
            customer=tickets["web"].customer,
            queue=queue,
            channel="web",
            language="hu",
            status=Survey.Status.SENT,
        )
        survey.answer(rating=2, solved=True, comment=f"Please call {NAME} back on {PHONE_AS_WRITTEN}.")
        incident = Incident.objects.create(
            title="Double charge", affected_service="Billing", declared_by=manager
        )
        subscription = Subscription.request(incident, email=EMAIL, language="hu")
        crisis_emails.subscription_confirmation(subscription)
        IncidentTicket.objects.create(incident=incident, ticket=tickets["web"], via=IncidentTicket.Via.AGENT)
        GrantLimit.objects.create(
            agent=agent, kind="bill_credit", currency="HUF", max_amount=Decimal(5000), set_by=manager
        )
        offer = Offer(
            kind="bill_credit", amount=Decimal(3000), currency="HUF", justification="Charged twice."
        )
        propose(ticket=tickets["web"], incident=incident, offer=offer, by=agent)
    customer = Customer.objects.get(email=EMAIL)
    assert {ticket.customer_id for ticket in tickets.values()} == {customer.pk}
    tokens = [ticket.draw_status_link() for ticket in tickets.values()]
    return EveryChannel(customer, tickets, tokens, survey, incident)
