"""Demo walk-in branches for `seed_demo`: lines, desks and a few visitors waiting today.

Idempotent: branches, lines, desks and queues are looked up by their natural keys, and the
visitors are checked in only while a branch has had none.
"""

from __future__ import annotations

from helpdesk.models import Branch, BranchService, Desk, Queue, SlaTarget, Visit
from helpdesk.models.routing import DEFAULT_SLA
from helpdesk.walk_in import visits

# slug, name, address, calendar slug of a demo queue, lobby language, lines, desks (label, letters)
BRANCHES = [
    (
        "budapest-vaci",
        "Budapest, Váci út",
        "Budapest, Váci út 37, 1134",
        "general",
        "",
        [
            ("A", "General questions", "Általános ügyintézés", "Sprawy ogólne", "walk-in-bp-general"),
            (
                "B",
                "Bills and payments",
                "Számlák és befizetések",
                "Rachunki i płatności",
                "walk-in-bp-billing",
            ),
        ],
        [("1", "A"), ("2", "A"), ("3", "B")],
    ),
    (
        "warszawa-marszalkowska",
        "Warszawa, Marszałkowska",
        "ul. Marszałkowska 104/122, 00-017 Warszawa",
        "billing-pl",
        "pl",
        [("A", "Customer service", "Ügyfélszolgálat", "Obsługa klienta", "walk-in-waw")],
        [("1", ""), ("2", "")],
    ),
]

# branch slug, line letter, name, phone, language, what they need
VISITORS = [
    ("budapest-vaci", "A", "Tóth Erzsébet", "+36 30 555 0101", "hu", "Új szerződést szeretne kötni."),
    ("budapest-vaci", "B", "Nagy Péter", "", "hu", "Kétszer vonták le a novemberi számlát."),
    (
        "budapest-vaci",
        "A",
        "John Miller",
        "+36 20 555 0199",
        "en",
        "Moving into a new flat: transfer the contract.",
    ),
    ("budapest-vaci", "A", "Kovács Ádám", "", "hu", "Router csere."),
    ("warszawa-marszalkowska", "A", "Anna Wiśniewska", "+48 601 555 010", "pl", "Zmiana taryfy na tańszą."),
    ("warszawa-marszalkowska", "A", "Piotr Zieliński", "", "pl", "Reklamacja faktury za październik."),
]


def seed_walk_in(*, agent, manager, queues: dict[str, Queue]) -> int:
    """Create the demo branches; returns the number of visitors checked in now."""
    branches = {}
    for slug, name, address, calendar_of, language, lines, desks in BRANCHES:
        calendar = queues[calendar_of].calendar
        branch, _created = Branch.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "address": address, "calendar": calendar, "display_language": language},
        )
        services = {}
        for position, (letter, name_en, name_hu, name_pl, queue_slug) in enumerate(lines):
            queue = _walk_in_queue(queue_slug, f"Walk-in: {name} · {letter}", calendar, manager)
            services[letter], _created = BranchService.objects.get_or_create(
                branch=branch,
                letter=letter,
                defaults={
                    "name_en": name_en,
                    "name_hu": name_hu,
                    "name_pl": name_pl,
                    "queue": queue,
                    "position": position,
                },
            )
        for label, letters in desks:
            desk, created = Desk.objects.get_or_create(branch=branch, label=label)
            if created and letters:
                desk.services.set([services[letter] for letter in letters])
        branches[slug] = (branch, services)
    return _seed_visitors(branches, agent)


def _walk_in_queue(slug, name, calendar, manager) -> Queue:
    queue, created = Queue.objects.get_or_create(
        slug=slug, defaults={"name": name, "calendar": calendar, "manager": manager}
    )
    if created:
        SlaTarget.objects.bulk_create(
            SlaTarget(queue=queue, priority=priority, first_response=first, resolution=resolution)
            for priority, (first, resolution) in DEFAULT_SLA.items()
        )
    return queue


def _seed_visitors(branches, agent) -> int:
    with_visits = set(Visit.objects.filter(branch__slug__in=branches).values_list("branch__slug", flat=True))
    checked_in = 0
    for slug, letter, name, phone, language, need in VISITORS:
        if slug in with_visits:
            continue
        _branch, services = branches[slug]
        visits.check_in(
            service=services[letter], name=name, need=need, phone=phone, language=language, by=agent
        )
        checked_in += 1
    return checked_in
