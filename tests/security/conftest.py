"""Fixtures of the security tests: personas, an incident, and every page of the site with something
on it, for the tests that look at all of them."""

from datetime import time

import pytest
from django.utils import timezone

from crisis.models import Incident
from feedback.models import Survey
from helpdesk.channels import chat as chat_channel
from helpdesk.models import (
    Branch,
    BranchService,
    BusinessCalendar,
    FaqCategory,
    FaqEntry,
    OpeningHours,
    Queue,
)
from helpdesk.public_holidays import NationalDays
from helpdesk.roles import AGENTS, MANAGERS
from tests.factories import UserFactory


@pytest.fixture
def third_manager(roles):
    return UserFactory(username="tamas", first_name="Tamás", roles=[AGENTS, MANAGERS])


@pytest.fixture
def incident(manager):
    return Incident.objects.create(
        title="Double charge on November bills", affected_service="Billing", declared_by=manager
    )


@pytest.fixture
def chat_queue(manager, monkeypatch):
    """A chat queue open around the clock, every day (even on a public holiday)."""
    calendar = BusinessCalendar.objects.create(name="Always", country="HU", time_zone="Europe/Budapest")
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=day, opens=time(0), closes=time(0)) for day in range(7)
    )
    monkeypatch.setattr(NationalDays, "is_holiday", lambda self, day: False)
    return Queue.objects.create(
        name="Chat", slug="chat", calendar=calendar, manager=manager, serves_chat=True
    )


@pytest.fixture
def public_pages(make_ticket, category, chat_queue, manager, budapest_calendar):
    """The customers' pages, by name, with an active incident so that the crisis banner shows."""
    ticket = make_ticket(language="en")
    resolved = make_ticket(language="en", email="emma@example.com", name="Emma Clarke")
    resolved.resolve(by=manager, note="Refunded the second charge.")
    survey = Survey.objects.create(
        ticket=resolved, customer=resolved.customer, language="en", status="sent", sent_at=timezone.now()
    )
    chat = chat_channel.start_chat(
        queue=chat_queue, name="Emma Clarke", email="", message="My bill is twice as high.", source_ip=None
    )
    faq = FaqCategory.objects.create(slug="billing", name_en="Bills", name_hu="Számlák", name_pl="Rachunki")
    FaqEntry.objects.create(
        category=faq,
        slug="higher-bill",
        question_en="Why is my bill higher?",
        answer_en="Read the meter.",
        is_published=True,
    )
    branch = Branch.objects.create(
        name="Váci út", slug="vaci", address="Váci út 37", calendar=budapest_calendar
    )
    BranchService.objects.create(
        branch=branch,
        letter="A",
        name_en="General",
        name_hu="Általános",
        name_pl="Ogólne",
        queue=category.queue,
    )
    incident = Incident.declare(
        title="Card payments failing",
        statement={"en": "Card payments fail for some customers.", "hu": "Nem megy.", "pl": "Nie działa."},
        by=manager,
        categories=[category],
        match_keywords="card",
    )
    return {
        "home": "/",
        "web form": "/tickets/new/",
        "web form confirmation": f"/tickets/new/done/{ticket.status_token}/",
        "status lookup": "/status/",
        "status page": f"/status/{ticket.status_token}/",
        "chat start": "/chat/",
        "chat room": f"/chat/{chat.token}/",
        "faq": "/faq/",
        "faq entry": "/faq/higher-bill/",
        "contact": "/contact/",
        "lobby screen": f"/display/{branch.slug}/",
        "survey": f"/survey/{survey.draw_link()}/",
        "incident report": f"/crisis/report/{incident.pk}/",
        "sign in": "/accounts/login/",
        "api docs": "/api/docs/",
        "_chat_ticket": chat.ticket.reference,
        "_queue": category.queue_id,
    }


@pytest.fixture
def staff_pages(public_pages, manager):
    """The main staff pages (a manager is an agent too): queue, workspace with chat, dashboard,
    and the admin, where this manager may go."""
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    return {
        "queue": "/agent/",
        "notifications": "/agent/notifications/",
        "notifications by email": "/agent/notifications/email/",
        "workspace with chat": f"/agent/tickets/{public_pages['_chat_ticket']}/",
        "manager dashboard": "/manage/",
        "incidents": "/crisis/",
        "admin": "/admin/",
        "admin queue": f"/admin/helpdesk/queue/{public_pages['_queue']}/change/",
    }
