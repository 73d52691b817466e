"""Twelve weeks of past requests for the demo, so the manager dashboard shows trends.

Closed requests in the five main queues, each with the customer's message, the agent's reply
and a follow-up survey (most sent, many answered), spread over the last twelve weeks. Times
improve week by week, as after a team's first quarter. Written with bulk inserts (a handful of
queries in all) so `make run` starts quickly; the values come from a fixed seed, so every run
of the demo shows the same figures. Idempotent: the requests carry external ids
"demo-history-N".
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from feedback.models import Survey
from helpdesk.models import Channel, Customer, Queue, Ticket, TicketEntry
from helpdesk.references import new_reference

WEEKS = 12
PER_WEEK = 10  # two requests a week in each of the five queues
QUEUES = ["general", "billing-hu", "billing-pl", "technical", "complaints"]
CHANNELS = [Channel.WEB, Channel.EMAIL, Channel.PHONE]

CUSTOMERS = {
    "hu": [
        ("Tóth Eszter", "toth.eszter@example.hu"),
        ("Varga Gábor", "varga.gabor@example.hu"),
        ("Horváth Judit", "horvath.judit@example.hu"),
        ("Kiss Balázs", "kiss.balazs@example.hu"),
    ],
    "pl": [
        ("Agnieszka Wójcik", "agnieszka.wojcik@example.pl"),
        ("Tomasz Kamiński", "tomasz.kaminski@example.pl"),
        ("Magdalena Lewandowska", "m.lewandowska@example.pl"),
        ("Paweł Dąbrowski", "pawel.dabrowski@example.pl"),
    ],
    "en": [
        ("Sarah Mitchell", "sarah.mitchell@example.com"),
        ("James O'Connor", "james.oconnor@example.com"),
        ("Laura Bennett", "laura.bennett@example.com"),
        ("Daniel Hughes", "daniel.hughes@example.com"),
    ],
}
REQUESTS = {
    "hu": [
        ("Kétszer terhelték a számlámat", "A havi díjat kétszer vonták le a számlámról."),
        ("Mérőállás bejelentése", "Szeretném bejelenteni a mai mérőállást, de az oldal hibát ad."),
        ("Nem kaptam meg a számlát", "Az októberi számla nem érkezett meg e-mailben."),
    ],
    "pl": [
        ("Podwójna płatność za fakturę", "Opłata za październik została pobrana dwa razy."),
        ("Zmiana adresu korespondencyjnego", "Proszę o zmianę adresu do korespondencji."),
        ("Brak faktury za wrzesień", "Nie otrzymałem faktury za wrzesień."),
    ],
    "en": [
        ("Router keeps dropping the connection", "The internet drops every evening for a few minutes."),
        ("Late fee charged by mistake", "I paid on time but was charged a late fee."),
        ("Question about my tariff", "Which tariff would be cheaper for a household of two?"),
    ],
}
REPLIES = {
    "hu": "Köszönjük, hogy jelezte. Megnéztük, és rendeztük; a részleteket alább írjuk.",
    "pl": "Dziękujemy za zgłoszenie. Sprawdziliśmy i wszystko jest już w porządku.",
    "en": "Thank you for letting us know. We have looked into it and put it right.",
}
COMMENTS = {
    "hu": ["Gyors és udvarias segítség.", "Sokáig tartott, mire válaszoltak."],
    "pl": ["Szybka i miła obsługa.", "Długo czekałem na odpowiedź."],
    "en": ["Quick and friendly, thank you.", "It took a while to hear back."],
}


def seed_history(*, agent, manager, now: datetime | None = None) -> int:
    if Ticket.objects.filter(external_id__startswith="demo-history-").exists():
        return 0
    queues = {queue.slug: queue for queue in Queue.objects.filter(slug__in=QUEUES)}
    if len(queues) < len(QUEUES):
        return 0
    now = now or timezone.now()
    customers = _customers()
    rng = random.Random(15)  # noqa: S311 (demo figures, the same on every run)
    plans = [_plan(number, rng, now) for number in range(WEEKS * PER_WEEK)]
    tickets = []
    for number, plan in enumerate(plans):
        queue = queues[QUEUES[number % len(QUEUES)]]
        language = queue.language or ["en", "hu", "pl"][number // len(QUEUES) % 3]
        customer = customers[language][number % len(customers[language])]
        subject, _body = REQUESTS[language][number % len(REQUESTS[language])]
        ticket = Ticket(
            reference=new_reference(),
            customer=customer,
            requester_name=customer.name,
            channel=CHANNELS[number % len(CHANNELS)],
            queue=queue,
            status=Ticket.Status.CLOSED if plan["closed_at"] else Ticket.Status.RESOLVED,
            assignee=agent,
            subject=subject,
            language=language,
            external_id=f"demo-history-{number + 1}",
            **{key: value for key, value in plan.items() if key in TICKET_FIELDS},
        )
        ticket.refresh_queue_place()
        tickets.append(ticket)
    # Random references may collide with an existing one: draw again for those (rare).
    taken = set(
        Ticket.objects.filter(reference__in=[t.reference for t in tickets]).values_list(
            "reference", flat=True
        )
    )
    for ticket in tickets:
        while ticket.reference in taken:
            ticket.reference = new_reference()
        taken.add(ticket.reference)
    Ticket.objects.bulk_create(tickets)
    tickets = list(
        Ticket.objects.filter(external_id__startswith="demo-history-")
        .select_related("customer", "queue")
        .order_by("pk")
    )
    TicketEntry.objects.bulk_create(_entries(tickets, agent))
    Survey.objects.bulk_create(_surveys(tickets, plans, rng, manager, now))
    return len(tickets)


TICKET_FIELDS = {
    "created_at",
    "first_response_due_at",
    "resolution_due_at",
    "first_responded_at",
    "resolved_at",
    "closed_at",
    "solved_on_first_contact",
}


def _plan(number: int, rng: random.Random, now: datetime) -> dict:
    """One request's times: resolved within week `number // PER_WEEK` back from now, spread
    over its seven days; the older the week, the slower the answers."""
    weeks_back, place = divmod(number, PER_WEEK)
    resolved_at = now - timedelta(days=7 * weeks_back + 0.3 + 6.5 * place / PER_WEEK)
    age = weeks_back / (WEEKS - 1)  # 0 this week, 1 twelve weeks ago
    first_response = timedelta(hours=max(0.5, 2 + 7 * age + rng.uniform(-1.5, 2.5)))
    first_contact = rng.random() < 0.55 - 0.25 * age
    resolution = first_response if first_contact else timedelta(hours=18 + 30 * age + rng.uniform(-6, 20))
    created_at = resolved_at - resolution
    return {
        "created_at": created_at,
        "first_response_due_at": created_at + timedelta(hours=8),
        "resolution_due_at": created_at + timedelta(hours=48),
        "first_responded_at": created_at + first_response,
        "resolved_at": resolved_at,
        "closed_at": resolved_at + timedelta(days=7) if resolved_at + timedelta(days=7) < now else None,
        "solved_on_first_contact": first_contact,
        "rating": _rating(rng, age),
        "answers": rng.random() < 0.6,
    }


def _rating(rng: random.Random, age: float) -> int:
    return max(1, min(5, round(rng.gauss(4.4 - 1.2 * age, 0.9))))


def _customers() -> dict[str, list[Customer]]:
    result = {}
    for language, people in CUSTOMERS.items():
        result[language] = []
        for name, email in people:
            customer, _created = Customer.objects.get_or_create(
                email=email, defaults={"name": name, "language": language}
            )
            result[language].append(customer)
    return result


def _entries(tickets: list[Ticket], agent) -> list[TicketEntry]:
    entries = []
    for ticket in tickets:
        _subject, body = next(pair for pair in REQUESTS[ticket.language] if pair[0] == ticket.subject)
        entries.append(
            TicketEntry(
                ticket=ticket,
                kind=TicketEntry.Kind.MESSAGE,
                channel=ticket.channel,
                body=body,
                created_at=ticket.created_at,
            )
        )
        entries.append(
            TicketEntry(
                ticket=ticket,
                kind=TicketEntry.Kind.REPLY,
                author=agent,
                channel=ticket.channel,
                body=REPLIES[ticket.language],
                created_at=ticket.first_responded_at,
            )
        )
    return entries


def _surveys(tickets, plans, rng: random.Random, manager, now: datetime) -> list[Survey]:
    surveys = []
    for ticket, plan in zip(tickets, plans, strict=True):
        sent_at = ticket.resolved_at + timedelta(days=1)
        survey = Survey(
            ticket=ticket,
            customer=ticket.customer,
            queue=ticket.queue,
            channel=ticket.channel,
            language=ticket.language,
            created_at=ticket.resolved_at,
            due_at=sent_at,
        )
        if sent_at > now:  # resolved yesterday: the worker sends it when due
            survey.status = Survey.Status.SCHEDULED
        elif not plan["answers"]:
            survey.status, survey.sent_at = Survey.Status.SENT, sent_at
        else:
            rating = plan["rating"]
            survey.status, survey.sent_at = Survey.Status.ANSWERED, sent_at
            survey.answered_at = min(now, sent_at + timedelta(hours=rng.uniform(1, 40)))
            survey.rating, survey.solved = rating, rating >= 3
            survey.comment = COMMENTS[ticket.language][0 if rating >= 4 else 1] if rng.random() < 0.3 else ""
            # Low ratings come to a manager; those older than a week have been looked at.
            survey.needs_review = rating <= 2
            if survey.needs_review and survey.answered_at < now - timedelta(days=7):
                survey.reviewed_at, survey.reviewed_by = survey.answered_at + timedelta(days=1), manager
                survey.review_note = "Called the customer back and apologised."
        surveys.append(survey)
    return surveys
