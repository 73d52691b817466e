"""The benchmark behind `make bench`: seed a realistic helpdesk, time the pages that matter.

Seeding writes rows in bulk, but every ticket's due times, SLA band and queue key come from the
same model code as a ticket saved normally (`apply_sla`, `refresh_queue_place`), so the queue
order the pages read is the real one. Timings go through Django's test client against the real
database in this process: server time including templates and middleware, without a network.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import time as clock
from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from helpdesk.intake import IncomingAttachment, store_attachment
from helpdesk.models import (
    Attachment,
    BusinessCalendar,
    Category,
    Customer,
    NextStep,
    OpeningHours,
    Priority,
    Queue,
    SlaTarget,
    StaffProfile,
    Ticket,
    TicketEntry,
)
from helpdesk.models.routing import DEFAULT_SLA
from helpdesk.queue import line
from helpdesk.references import REFERENCE_ALPHABET
from helpdesk.roles import AGENTS, MANAGERS
from helpdesk.text_folding import fold

BATCH = 5000
# Every page: median under 50 ms at 100,000 tickets (the queue issue's target).
PAGE_TARGET_MS = 50
HISTORY_DAYS = 120
# State of the tickets by age: most of a helpdesk's history is closed; the line is recent.
STATES = [("closed", 56), ("resolved", 28), ("waiting", 4), ("open", 7), ("new", 5)]
CHANNELS = [("email", 40), ("web", 30), ("phone", 15), ("chat", 8), ("walk_in", 4), ("api", 3)]
PRIORITIES = [(Priority.NORMAL, 70), (Priority.HIGH, 15), (Priority.LOW, 10), (Priority.URGENT, 5)]
FIRST_NAMES = ["Anna", "Péter", "Zofia", "Marek", "Eva"]
SURNAMES = ["Kovács", "Nagy", "Szabó", "Tóth", "Horváth", "Nowak", "Kowalski", "Wiśniewska", "Smith"]
SUBJECTS = [
    "Charged twice for November",
    "Router offline since the storm",
    "Cannot log in to the app",
    "Parcel not delivered",
    "Wrong address on the invoice",
    "Refund still missing",
    "Contract cancellation",
    "Meter reading disputed",
]


@dataclass(frozen=True)
class BenchExtension:
    """An optional app's part of `make bench` (see OPTIONAL_PARTS).

    `seed(world)` runs after every round of seeding (add the app's own rows for the tickets that
    exist now; idempotent); `figures(world)` returns (label, action) pairs to time, or (label,
    action, options) with options for `measure`, such as `{"target_ms": 200}` or `{"target_ms":
    None}` for work that is not a page.
    """

    name: str
    seed: Callable[[World], None]
    figures: Callable[[World], list[tuple]]


# The optional apps' parts, measured when their app is installed.
OPTIONAL_PARTS = {"crisis": "devtools.bench.crisis", "feedback": "devtools.bench.feedback"}


def extensions() -> list[BenchExtension]:
    return [
        import_module(module).EXTENSION for app, module in OPTIONAL_PARTS.items() if apps.is_installed(app)
    ]


def pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class World:
    agent: object
    queues: list
    rng: random.Random
    references: set
    customers: list
    entry_tickets: list
    # One of the long tickets, with files on its messages (add_files).
    files_ticket: Ticket | None = None


def reset() -> None:
    """Empty what the benchmark seeds (only ever on the benchmark's own database)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE helpdesk_customer, helpdesk_businesscalendar, helpdesk_notification "
            "RESTART IDENTITY CASCADE"
        )
    get_user_model().objects.filter(username__startswith="bench-").delete()


def build_world() -> World:
    User = get_user_model()
    agents_group, managers_group = Group.objects.get(name=AGENTS), Group.objects.get(name=MANAGERS)
    manager = User.objects.create_user("bench-manager", "manager@bench.example", "bench")
    manager.groups.set([agents_group, managers_group])
    calendars = []
    for name, country, tz, closes in [
        ("Budapest", "HU", "Europe/Budapest", 17),
        ("Warsaw", "PL", "Europe/Warsaw", 18),
    ]:
        calendar = BusinessCalendar.objects.create(name=f"Bench {name}", country=country, time_zone=tz)
        OpeningHours.objects.bulk_create(
            OpeningHours(calendar=calendar, weekday=day, opens=clock(8), closes=clock(closes))
            for day in range(5)
        )
        calendars.append(calendar)
    queues = []
    for slug, language, calendar in [
        ("general", "en", calendars[0]),
        ("billing-hu", "hu", calendars[0]),
        ("technical-hu", "hu", calendars[0]),
        ("billing-pl", "pl", calendars[1]),
        ("technical-pl", "pl", calendars[1]),
        ("complaints", "", calendars[0]),
    ]:
        queue = Queue.objects.create(
            name=slug.replace("-", " ").title(),
            slug=f"bench-{slug}",
            language=language,
            calendar=calendar,
            manager=manager,
        )
        SlaTarget.objects.bulk_create(
            SlaTarget(queue=queue, priority=priority, first_response=first, resolution=resolution)
            for priority, (first, resolution) in DEFAULT_SLA.items()
        )
        Category.objects.create(slug=f"bench-{slug}", name_en=slug, name_hu=slug, name_pl=slug, queue=queue)
        queues.append(queue)
    queues = list(Queue.objects.filter(pk__in=[q.pk for q in queues]).with_calendar_details())
    agents = []
    for number in range(20):
        agent = User.objects.create_user(f"bench-agent-{number}", f"agent{number}@bench.example", "bench")
        agent.groups.set([agents_group])
        agent.queues.set(queues[number % 3 :: 3] if number else queues[1:3])
        agents.append(agent)
    StaffProfile.objects.bulk_create(StaffProfile(user=user) for user in [manager, *agents])
    # A fixed seed: every run measures the same data, not a security matter.
    return World(agents[0], queues, random.Random(20260316), set(), [], [])  # noqa: S311


def seeded_world() -> World | None:
    """The world a previous run seeded and left in the database, to measure it again without
    seeding (`manage.py bench --reuse`); None when there is none. Only measuring needs it: the
    agent, the queues, the long cases (each has a next step) and the one of them with files."""
    agent = get_user_model().objects.filter(username="bench-agent-0").first()
    files_ticket = Ticket.objects.filter(entries__attachments__isnull=False).distinct().first()
    if agent is None or files_ticket is None:
        return None
    queues = list(Queue.objects.filter(slug__startswith="bench-").order_by("pk").with_calendar_details())
    long_cases = list(
        Ticket.objects.filter(next_steps__isnull=False).exclude(pk=files_ticket.pk).distinct().order_by("pk")
    )
    # A fixed seed: every run measures the same data, not a security matter.
    world = World(agent, queues, random.Random(20260316), set(), [], long_cases, files_ticket)  # noqa: S311
    # The files of the previous run went with its temporary media directory: attached again.
    Attachment.objects.filter(entry__ticket=files_ticket).delete()
    add_files(files_ticket)
    for extension in extensions():
        extension.seed(world)
    return world


def new_reference(world: World) -> str:
    while True:
        chars = "".join(world.rng.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"{chars[:4]}-{chars[4:]}"
        if reference not in world.references:
            world.references.add(reference)
            return reference


def seed(world: World, count: int) -> None:
    """Add `count` tickets (customers reused: about one in three writes again)."""
    rng, now = world.rng, timezone.now()
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        customers = []
        for _n in range(size * 2 // 3 if world.customers else size):
            number = len(world.customers) + len(customers)
            customers.append(
                Customer(
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {number}",
                    email=f"customer{number}@example.com",
                    language=rng.choice(["en", "hu", "hu", "pl", "pl"]),
                )
            )
        world.customers.extend(Customer.objects.bulk_create(customers))
        tickets = [make_ticket(world, now) for _n in range(size)]
        Ticket.objects.bulk_create(tickets)
        entries = []
        for ticket in tickets:
            entries.append(
                TicketEntry(
                    ticket=ticket,
                    kind="message",
                    channel=ticket.channel,
                    body=ticket.subject,
                    is_public=True,
                    created_at=ticket.created_at,
                )
            )
            if ticket.first_responded_at:
                entries.append(
                    TicketEntry(
                        ticket=ticket,
                        kind="reply",
                        channel=ticket.channel,
                        body="Thank you, we are on it.",
                        is_public=True,
                        author=world.agent,
                        created_at=ticket.first_responded_at,
                    )
                )
        TicketEntry.objects.bulk_create(entries, batch_size=BATCH)
    for extension in extensions():
        extension.seed(world)


def make_ticket(world: World, now) -> Ticket:
    rng = world.rng
    state = pick(rng, STATES)
    # Closed and resolved tickets spread over the months; open ones arrived in the last days.
    age_days = rng.uniform(0, HISTORY_DAYS) if state in ("closed", "resolved") else rng.expovariate(1 / 3)
    created = now - timedelta(days=min(age_days, HISTORY_DAYS))
    queue = rng.choice(world.queues)
    customer = rng.choice(world.customers)
    ticket = Ticket(
        reference=new_reference(world),
        customer=customer,
        channel=pick(rng, CHANNELS),
        queue=queue,
        priority=pick(rng, PRIORITIES),
        status=state,
        subject=rng.choice(SUBJECTS),
        language=queue.language or customer.language,
        is_complaint=queue.slug == "bench-complaints",
        created_at=created,
    )
    ticket.apply_sla()
    answered = state != "new" and (state != "open" or rng.random() < 0.7)
    if answered:
        ticket.first_responded_at = created + timedelta(minutes=rng.randint(5, 600))
        ticket.assignee = rng.choice([world.agent, None, None]) if state in ("open", "waiting") else None
    if state == "open" and not answered:
        ticket.assignee = world.agent if rng.random() < 0.3 else None
    if state == "waiting":
        ticket.waiting_since = ticket.first_responded_at
    if state in ("resolved", "closed"):
        ticket.resolved_at = ticket.first_responded_at + timedelta(hours=rng.randint(1, 72))
        ticket.closed_at = ticket.resolved_at + timedelta(days=3) if state == "closed" else None
    ticket.refresh_sla_clock()
    ticket.refresh_queue_place()
    return ticket


def add_long_tickets(world: World, count: int = 5, entries: int = 50) -> list[Ticket]:
    """A few tickets with a long history, for the workspace figure: a long case, with a next step
    promised to the customer (the workspace reads next steps only for a ticket that has some)."""
    tickets = list(Ticket.objects.filter(status="open", first_responded_at__isnull=False)[:count])
    NextStep.objects.bulk_create(
        NextStep(
            ticket=ticket,
            description="Call the customer back with the corrected invoice",
            due_on=(ticket.created_at + timedelta(days=3)).date(),
            created_by=world.agent,
        )
        for ticket in tickets
    )
    rows = []
    for ticket in tickets:
        for number in range(entries - ticket.entries.count()):
            kind = ("message", "reply", "note", "event")[number % 4]
            rows.append(
                TicketEntry(
                    ticket=ticket,
                    kind=kind,
                    event="status_changed" if kind == "event" else "",
                    data={"from": "open", "to": "open"} if kind == "event" else {},
                    channel=ticket.channel,
                    author=None if kind == "message" else world.agent,
                    body=f"Entry {number}: " + "Checked the account and the last three invoices. " * 3,
                    is_public=kind in ("message", "reply"),
                    created_at=ticket.created_at + timedelta(minutes=10 * (number + 1)),
                )
            )
    TicketEntry.objects.bulk_create(rows)
    return tickets


# A small PDF and a note in plain text: documents, as customers send them (pictures would wait
# for the worker's thumbnails, which the benchmark does not run).
SAMPLE_FILES = [
    ("invoice-{n}.pdf", "application/pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"),
    ("meter-reading-{n}.txt", "text/plain", b"Meter reading on the 1st: 04512 kWh.\n"),
]


def add_files(ticket: Ticket, count: int = 20) -> Ticket:
    """Attach `count` files to the ticket's messages, through the storage as every channel does."""
    messages = list(ticket.entries.filter(kind="message").order_by("created_at"))
    for number in range(count):
        name, content_type, content = SAMPLE_FILES[number % len(SAMPLE_FILES)]
        incoming = IncomingAttachment(name.format(n=number + 1), content_type, content)
        store_attachment(messages[number % len(messages)], incoming)
    return ticket


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    median_ms: float
    p95_ms: float
    queries: int
    # The page target: median under this at the largest size, and at most twice the median of the
    # smallest. None for work that is not a page (the worker's computations): reported, not judged.
    target_ms: float | None = PAGE_TARGET_MS


def measure(
    label: str,
    action: Callable[[], object],
    *,
    repeat: int,
    warmup: int = 3,
    target_ms: float | None = PAGE_TARGET_MS,
) -> Figure:
    return measure_together([(label, action)], repeat=repeat, warmup=warmup, target_ms=target_ms)[0]


def machine_reference_ms() -> float:
    """The time of a fixed piece of pure Python (the median of five): this shared machine's own
    speed moves from minute to minute, and the figures read better beside it."""
    samples = []
    for _n in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(300_000):
            total += number
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def queries_of(action: Callable[[], object]) -> int:
    # Counted at the cursor: a request resets Django's own query log when it starts.
    if isinstance(action, OnItsOwnConnection):
        return action.queries()
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        action()
    return len(executed)


def measure_together(
    actions: list[tuple[str, Callable[[], object]]],
    *,
    repeat: int,
    warmup: int = 3,
    target_ms: float | None = PAGE_TARGET_MS,
) -> list[Figure]:
    """Time several actions in turns: one run of each, then the next round.

    This machine's speed drifts over seconds (it is shared); timed one after the other, a page
    measured during a slow spell took all of it. In turns, each page has runs all along the
    measurement, and their medians compare.
    """
    counts = []
    for _label, action in actions:
        for _n in range(warmup):
            action()
        counts.append(queries_of(action))
    samples = [[] for _action in actions]
    for _n in range(repeat):
        for times, (_label, action) in zip(samples, actions, strict=True):
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
    return [
        Figure(
            label,
            statistics.median(times),
            statistics.quantiles(times, n=20, method="inclusive")[-1],
            count,
            target_ms,
        )
        for (label, _action), times, count in zip(actions, samples, counts, strict=True)
    ]


def page(client: Client, url: str) -> Callable[[], object]:
    def get():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    return get


def take_next_rolled_back(agent, connection_of_its_own: ThreadPoolExecutor) -> Callable[[], object]:
    """Take-next as the button does, rolled back so every repetition finds the same line.

    It runs on a database connection of its own (Django gives each thread one): a rollback makes
    psycopg forget the statements it prepared on its connection, and the pages timed in turns
    with take-next would otherwise be planned afresh on every round, as no server's are.
    """

    def take():
        with transaction.atomic():
            ticket = line.take_next(agent)
            transaction.set_rollback(True)
        return ticket

    return OnItsOwnConnection(take, connection_of_its_own)


@dataclass
class OnItsOwnConnection:
    """An action run in the bench's second thread, and so on that thread's connection."""

    action: Callable[[], object]
    thread: ThreadPoolExecutor

    def __call__(self):
        return self.thread.submit(self.action).result()

    def queries(self) -> int:
        return self.thread.submit(queries_of, self.action).result()


def measure_all(world: World, *, repeat: int) -> list[Figure]:
    # The seeding leaves this process holding some 100,000 model objects that a web server's
    # process never has; the garbage collector walking them made the workspace some 8 ms slower.
    # Frozen, they are left out of its walks, and the pages are timed as a server runs them.
    gc.collect()
    gc.freeze()
    try:
        return _measure_all(world, repeat=repeat)
    finally:
        gc.unfreeze()


def _measure_all(world: World, *, repeat: int) -> list[Figure]:
    with ThreadPoolExecutor(max_workers=1) as connection_of_its_own:
        try:
            return _measure_with(world, repeat=repeat, connection_of_its_own=connection_of_its_own)
        finally:
            connection_of_its_own.submit(connections.close_all).result()


def _measure_with(world: World, *, repeat: int, connection_of_its_own: ThreadPoolExecutor) -> list[Figure]:
    client = Client()
    client.force_login(world.agent)
    served = list(line.queues_served_by(world.agent))
    long_ticket = Ticket.objects.filter(pk__in=[t.pk for t in world.entry_tickets]).first()
    last_in_line = Ticket.objects.in_line().filter(queue=served[0]).in_queue_order().last()
    customer = last_in_line.customer.name.split()[1]
    search = f"/agent/?q={customer}&queue={served[0].pk}&channel=email&status=new"
    # "Kovács" typed without accents, as agents do (one customer in nine): with the same filters,
    # and among the open requests of all the agent's queues (some 5,000 at 100,000 tickets).
    unaccented = fold(SURNAMES[0])
    filtered = f"/agent/?q={unaccented}&queue={served[0].pk}&channel=email&status=new"
    # The queue's own figures change nothing between runs (take-next is rolled back), so they are
    # timed in turns; the other apps' figures may (publishing an update), and are timed apart.
    core = [
        ("agent queue page  /agent/", page(client, "/agent/")),
        ("filtered search   /agent/?q=…", page(client, search)),
        (f"no-accent search  /agent/?q={unaccented}&…", page(client, filtered)),
        (f"search all open   /agent/?q={unaccented}", page(client, f"/agent/?q={unaccented}")),
        ("take-next         take_next()", take_next_rolled_back(world.agent, connection_of_its_own)),
        (
            f"ticket workspace  /agent/tickets/<ref>/ ({long_ticket.entries.count()} entries)",
            page(client, long_ticket.get_absolute_url()),
        ),
        (
            f"ticket workspace  /agent/tickets/<ref>/ ({world.files_ticket.entries.count()} entries, "
            f"{Attachment.objects.filter(entry__ticket=world.files_ticket).count()} files)",
            page(client, world.files_ticket.get_absolute_url()),
        ),
        # As a customer opens it: from the link in their email, without an account.
        (
            "status page       /status/<token>/",
            page(Client(), f"/status/{last_in_line.status_link_token()}/"),
        ),
        ("position          position()", lambda: line.position(last_in_line)),
    ]
    return [
        *measure_together(core, repeat=repeat),
        *(
            measure(label, action, repeat=repeat, **options)
            for extension in extensions()
            for label, action, *rest in extension.figures(world)
            for options in [rest[0] if rest else {}]
        ),
    ]


def explain(world: World) -> list[tuple[str, str, bool, str]]:
    """The plans of the two queries the order rests on, and whether they use their index."""
    served = list(line.queues_served_by(world.agent))
    last_in_line = Ticket.objects.in_line().filter(queue=served[0]).in_queue_order().last()
    queue_page = Ticket.objects.filter(
        status__one_of=["new", "open", "waiting"], queue__in=served
    ).in_queue_order()[:25]
    sql, params = Ticket.objects.ahead_of(last_in_line).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # The SQL is Django's own for position(); EXPLAIN needs it as the count the view runs.
        cursor.execute(f"EXPLAIN SELECT count(*) FROM ({sql}) AS ahead", params)  # noqa: S608
        position_plan = "\n".join(row[0] for row in cursor.fetchall())
    plans = [
        ("position count", "ticket_line_order", position_plan),
        ("queue page (first 25 open, in order)", "ticket_open_order", queue_page.explain()),
    ]
    return [(label, index, index in plan, plan) for label, index, plan in plans]
