"""The crisis figures of `make bench` (one of devtools.bench.helpdesk.OPTIONAL_PARTS).

On the seeded helpdesk: one active incident with 10,000 confirmed email subscribers and a
linked request; the home page and that request's status page carry the banner; and the request
that publishes an update, which must return at once whatever the number of recipients (the
sending itself is the worker's; no worker runs during the benchmark).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_q.models import OrmQ

from crisis import banner
from crisis.models import Incident, IncidentTicket, IncidentUpdate
from devtools.bench import mass_send
from devtools.bench.helpdesk import BenchExtension, World, page
from helpdesk.models import Ticket
from helpdesk.roles import AGENTS, MANAGERS

SUBSCRIBERS = 10_000
DRAFTS = 100
# Published updates (the first statement included) when the linked status page is measured.
UPDATES_SHOWN = 5
STATEMENT = {
    "en": "Some customers cannot pay by card. We are working on it.",
    "hu": "Egyes ügyfeleink nem tudnak kártyával fizetni. Dolgozunk a megoldáson.",
    "pl": "Część klientów nie może zapłacić kartą. Pracujemy nad tym.",
}


def manager(username: str):
    # Not "bench-…": devtools.bench.helpdesk.reset() deletes those users, and incidents keep their authors.
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.groups.set(Group.objects.filter(name__in=[AGENTS, MANAGERS]))
    return user


def active_incident(world: World) -> Incident:
    """The benchmark's incident, declared on the first run and kept (the tickets are re-seeded)."""
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
        mass_send.add_confirmed_subscribers(incident, SUBSCRIBERS, name="subscriber")
    return incident


def earlier_updates_removed(incident: Incident, *, author, reviewer) -> None:
    """The incident as the linked status page shows it at every size and on every run: its first
    statement and UPDATES_SHOWN - 1 updates. The incident outlives a run (reset() empties the
    helpdesk's tables, not these), and each round publishes some thirty more, which the page lists."""
    IncidentUpdate.objects.filter(incident=incident).exclude(
        kind=IncidentUpdate.Kind.ACKNOWLEDGEMENT
    ).delete()
    for _n in range(UPDATES_SHOWN - 1):
        IncidentUpdate.draft(incident, by=author, texts=STATEMENT).publish(by=reviewer)


def seed(world: World) -> None:
    # No worker runs during the benchmark: the sending tasks that the previous round's
    # publications enqueued are dropped before measuring again.
    OrmQ.objects.all().delete()


def figures(world: World) -> list[tuple[str, Callable[[], object]]]:
    incident = active_incident(world)
    ticket = Ticket.objects.filter(status="new").order_by("-created_at").first()
    IncidentTicket.objects.get_or_create(incident=incident, ticket=ticket, defaults={"via": "agent"})
    client, author, reviewer = Client(), manager("crisis-bench-author"), manager("crisis-bench-reviewer")
    # The worker's sending to 10,000 subscribers, killed half-way: printed, once.
    mass_send.report_once(author=author, reviewer=reviewer)
    client.force_login(reviewer)
    earlier_updates_removed(incident, author=author, reviewer=reviewer)
    banner.forget()
    # Enough drafts for the warm-up and the timed runs of devtools.bench.helpdesk.measure (30 by default).
    drafts = [IncidentUpdate.draft(incident, by=author, texts=STATEMENT).pk for _n in range(DRAFTS)]

    def publish():
        if not drafts:
            raise RuntimeError(f"more repetitions than the {DRAFTS} drafts prepared: lower --repeat")
        response = client.post(f"/crisis/updates/{drafts.pop()}/approve/", secure=True)
        if response.status_code != 302:
            raise RuntimeError(f"publishing answered {response.status_code}")

    anonymous = Client()
    return [
        ("home page, active incident  /", page(anonymous, "/")),
        ("status page, linked to the incident", page(anonymous, f"/status/{ticket.status_link_token()}/")),
        (f"publish an update ({SUBSCRIBERS:,} subscribers)", publish),
    ]


EXTENSION = BenchExtension(name="crisis", seed=seed, figures=figures)
