"""The load test's world, written straight into its own database (never through HTTP): agents
signed in (their sessions made here), a chat queue with N live chats each joined by an agent,
branches for the lobby screens, and open requests in other queues for the status pages.

Each chat is made by the same model code as one started on the site (intake, then `join`), less
the "chat waiting" alerts to every agent: each chat is joined at once. Everything it seeds is
emptied first: the command refuses any database whose name does not say "loadtest".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time as clock
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from helpdesk import intake
from helpdesk.models import Branch, BusinessCalendar, Channel, Chat, OpeningHours, Queue, StaffProfile
from helpdesk.roles import AGENTS

PREFIX = "loadtest-"
# Status pages' requests are spread over a few queues other than the chat queue, as in a real
# helpdesk: a chat line changes the chat queue, not theirs.
STATUS_QUEUES = 4
LOBBY_SCREENS_PER_BRANCH = 5


@dataclass(frozen=True)
class ChatSeat:
    chat_id: int
    queue_id: int
    token: str  # the customer's key
    reference: str  # the ticket, for the agent's panel
    agent_id: int
    agent_session: str


@dataclass
class World:
    chats: list[ChatSeat] = field(default_factory=list)
    lobby_slugs: list[str] = field(default_factory=list)  # one per screen (several share a branch)
    status_tokens: list[str] = field(default_factory=list)


def reset() -> None:
    """Empty what a previous run seeded (only ever on the load test's own database)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE helpdesk_customer, helpdesk_businesscalendar, helpdesk_notification, "
            "django_session RESTART IDENTITY CASCADE"
        )
    get_user_model().objects.filter(username__startswith=PREFIX).delete()


def seed(*, chats: int, chats_per_agent: int, lobby_screens: int, status_pages: int) -> World:
    world = World()
    with transaction.atomic():
        every_day = BusinessCalendar.objects.create(name=f"{PREFIX}always", country="HU", time_zone="UTC")
        OpeningHours.objects.bulk_create(
            OpeningHours(calendar=every_day, weekday=day, opens=clock(0), closes=clock(23, 59))
            for day in range(7)
        )
        agents = _agents(max(1, -(-chats // chats_per_agent)))
        manager = agents[0][0]
        chat_queue = Queue.objects.create(
            name="Live chat", slug=f"{PREFIX}chat", calendar=every_day, manager=manager, serves_chat=True
        )
        for number in range(chats):
            agent, session = agents[number // chats_per_agent]
            world.chats.append(_chat(number, chat_queue, agent, session))
        branches = [
            Branch.objects.create(name=f"Branch {n}", slug=f"{PREFIX}branch-{n}", calendar=every_day)
            for n in range(-(-lobby_screens // LOBBY_SCREENS_PER_BRANCH))
        ]
        world.lobby_slugs = [branches[n // LOBBY_SCREENS_PER_BRANCH].slug for n in range(lobby_screens)]
        queues = [
            Queue.objects.create(
                name=f"Requests {n}", slug=f"{PREFIX}requests-{n}", calendar=every_day, manager=manager
            )
            for n in range(STATUS_QUEUES)
        ]
        for number in range(status_pages):
            ticket = intake.receive(
                channel=Channel.WEB,
                identity_verified=False,
                subject=f"Load test request {number}",
                body="My bill is wrong.",
                name=f"Status Customer {number}",
                email="",
                language="en",
                queue=queues[number % STATUS_QUEUES],
                acknowledge=False,
            )
            world.status_tokens.append(ticket.draw_status_link())
    return world


def _agents(count: int) -> list[tuple]:
    """Agents, each signed in: a session as the sign-in page would have made it."""
    User = get_user_model()
    group = Group.objects.get(name=AGENTS)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    agents = []
    for number in range(count):
        agent = User.objects.create_user(f"{PREFIX}agent-{number}", first_name=f"Agent{number}")
        agent.groups.add(group)
        session = store()
        session[SESSION_KEY] = str(agent.pk)
        session[BACKEND_SESSION_KEY] = "helpdesk.staff_backend.StaffBackend"
        session[HASH_SESSION_KEY] = agent.get_session_auth_hash()
        session.create()
        agents.append((agent, session.session_key))
    StaffProfile.objects.bulk_create(StaffProfile(user=agent) for agent, _session in agents)
    return agents


def _chat(number: int, queue: Queue, agent, session: str) -> ChatSeat:
    ticket = intake.receive(
        channel=Channel.CHAT,
        identity_verified=False,
        subject="",
        body="Hello, my invoice is wrong.",
        name=f"Chat Customer {number}",
        email="",
        language="en",
        queue=queue,
        acknowledge=False,
    )
    chat = Chat.objects.create(ticket=ticket)
    chat.join(agent)
    return ChatSeat(chat.pk, queue.pk, chat.token, ticket.reference, agent.pk, session)
