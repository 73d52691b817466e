"""Fixtures of the feedback tests: complaints grouped into themes; resolved tickets and surveys."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from feedback.models import Survey, Theme, ThemeMembership
from feedback.surveys import scheduling
from feedback.themes import complaints, embeddings, grouping, separation, store
from helpdesk import intake
from helpdesk.models import Notification
from tests.factories import UserFactory


@pytest.fixture
def other_manager(roles):
    from helpdesk.roles import AGENTS, MANAGERS

    return UserFactory(
        username="zofia", first_name="Zofia", email="zofia@example.pl", roles=[AGENTS, MANAGERS]
    )


@pytest.fixture
def make_complaint(complaint_category):
    """A complaint through the real intake path, grouped as the worker would group it."""
    counter = iter(range(1, 10_000))

    def make(body, *, customer=None, subject="", channel="web", language="hu", group=True, **overrides):
        number = next(counter)
        customer = customer or f"customer{number}"
        ticket = intake.receive(
            channel=channel,
            identity_verified=channel in ("phone", "walk_in"),
            subject=subject or body[:60],
            body=body,
            name=customer.title(),
            email=f"{customer}@example.hu",
            language=language,
            category=overrides.pop("category", complaint_category),
            acknowledge=False,
            **overrides,
        )
        if group:
            complaints.group_complaint(ticket.pk)
        return ticket

    return make


@pytest.fixture
def make_theme(make_complaint):
    """A theme as the grouping leaves it (centroid, size, index, memberships), built from these
    texts directly: two themes of the same texts are the same problem split in two, as the
    incremental grouping leaves a problem whose first complaints came apart."""
    counter = iter(range(1, 1000))

    def make(texts, *, customers=None, language="hu", days=0):
        customers = customers or [f"person{next(counter)}" for _text in texts]
        tickets = [
            make_complaint(text, customer=customer, language=language, group=False)
            for text, customer in zip(texts, customers, strict=True)
        ]
        complaint_texts = separation.texts([ticket.pk for ticket in tickets])
        vectors = separation.vectors(complaint_texts)
        embedding = None  # as the worker has it: the members' mean, when it uses embeddings
        english = None  # and the English model's mean, for English ones
        if grouping.default_method() != grouping.NGRAMS:
            embedding = embeddings.embed_many(list(complaint_texts.values())).mean(axis=0)
            if language == grouping.ENGLISH and embeddings.english_available():
                english = sum(map(embeddings.embed_english, complaint_texts.values())) / len(tickets)
        centroid = {}
        for ticket in tickets:
            centroid = grouping.add_to_centroid(centroid, vectors[ticket.pk])
        theme = Theme.objects.create(
            title=texts[0][:60],
            category_id=tickets[0].category_id,
            centroid=centroid,
            embedding=store.to_bytes(embedding),
            english_embedding=store.to_bytes(english),
            english_size=len(tickets) if english is not None else 0,
            language=language,
            size=len(tickets),
            created_at=days_ago(days),
            last_complaint_at=days_ago(days),
        )
        ThemeMembership.objects.bulk_create(
            ThemeMembership(
                ticket=ticket,
                theme=theme,
                customer_id=ticket.customer_id,
                channel=ticket.channel,
                complained_at=ticket.created_at,
                similarity=0.8,
            )
            for ticket in tickets
        )
        theme.list_in_index()
        return theme

    return make


def days_ago(days):
    from django.utils import timezone

    return timezone.now() - timedelta(days=days)


# Monday 2 March 2026, 10:00 in Budapest (09:00 UTC): the office is open (08:00-17:00).
MONDAY_10 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def resolved_ticket(make_ticket, agent, time_machine):
    """A request resolved by Anna on Monday 2 March 2026 at 10:00 Budapest time."""
    time_machine.move_to(MONDAY_10, tick=False)
    ticket = make_ticket()
    ticket.assign(agent)
    ticket.resolve(by=agent, note="Refunded the second charge.")
    return ticket


@pytest.fixture
def sent_survey(resolved_ticket, time_machine):
    """The follow-up of `resolved_ticket`, sent on Wednesday at 10:00 as scheduled."""
    scheduling.schedule_surveys()
    survey = Survey.objects.get(ticket=resolved_ticket)
    time_machine.move_to(survey.due_at, tick=False)
    assert scheduling.send_due_surveys() == 1
    survey.refresh_from_db()
    # Only the link's hash is stored: the customer's token is the one in the invitation.
    invitation = Notification.objects.get(kind=Notification.Kind.SURVEY)
    survey.token = re.search(r"/survey/([^/\s]+)/", invitation.body_text).group(1)
    return survey
