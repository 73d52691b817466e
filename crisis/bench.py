"""The crisis figures of `make bench` (registered into helpdesk.bench from CrisisConfig.ready).

On the seeded helpdesk: one active incident with 10,000 confirmed email subscribers and a
linked request; the home page and that request's status page carry the banner; and the request
that publishes an update, which must return at once whatever the number of recipients (the
sending itself is the worker's; no worker runs during the benchmark).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_q.models import OrmQ

from crisis import banner
from crisis.models import Incident, IncidentTicket, IncidentUpdate, Subscription
from helpdesk.bench import Figure, World, measure, page
from helpdesk.models import Ticket
from helpdesk.roles import AGENTS, MANAGERS

SUBSCRIBERS = 10_000
STATEMENT = {
    "en": "Some customers cannot pay by card. We are working on it.",
    "hu": "Egyes ügyfeleink nem tudnak kártyával fizetni. Dolgozunk a megoldáson.",
    "pl": "Część klientów nie może zapłacić kartą. Pracujemy nad tym.",
}


def manager(username: str):
    # Not "bench-…": helpdesk.bench.reset() deletes those users, and incidents keep their authors.
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.groups.set(Group.objects.filter(name__in=[AGENTS, MANAGERS]))
    return user


def active_incident(world: World) -> Incident:
    """The benchmark's incident, declared once per run; the tickets may have been re-seeded."""
    incident = Incident.objects.active().filter(title="Bench: card payments failing").first()
    if incident is None:
        Incident.objects.filter(title="Bench: card payments failing").delete()
        incident = Incident.declare(
            by=manager("crisis-bench-author"),
            statement=STATEMENT,
            title="Bench: card payments failing",
            title_hu="Kártyás fizetés",
            title_pl="Płatności kartą",
        )
        Subscription.objects.bulk_create(
            Subscription(
                incident=incident,
                email=f"subscriber{n}@example.com",
                language=("en", "hu", "pl")[n % 3],
                token=f"bench-{incident.pk}-{n}",
                confirmed_at=incident.declared_at,
            )
            for n in range(SUBSCRIBERS)
        )
    return incident


def measure_crisis(world: World, repeat: int) -> list[Figure]:
    incident = active_incident(world)
    ticket = Ticket.objects.filter(status="new").order_by("-created_at").first()
    IncidentTicket.objects.get_or_create(incident=incident, ticket=ticket, defaults={"via": "agent"})
    banner.forget()
    client, author = Client(), manager("crisis-bench-author")
    client.force_login(manager("crisis-bench-reviewer"))
    drafts = [IncidentUpdate.draft(incident, by=author, texts=STATEMENT).pk for _n in range(repeat + 4)]

    def publish():
        response = client.post(f"/crisis/updates/{drafts.pop()}/approve/", secure=True)
        if response.status_code != 302:
            raise RuntimeError(f"publishing answered {response.status_code}")

    anonymous = Client()
    figures = [
        measure("home page, active incident  /", page(anonymous, "/"), repeat=repeat),
        measure(
            "status page, linked to the incident",
            page(anonymous, f"/status/{ticket.status_token}/"),
            repeat=repeat,
        ),
        measure(f"publish an update ({SUBSCRIBERS:,} subscribers)", publish, repeat=repeat),
    ]
    # No worker runs here: the sending tasks the publications enqueued are dropped.
    OrmQ.objects.all().delete()
    return figures
