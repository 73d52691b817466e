"""Two web processes and two workers sharing one PostgreSQL and one Redis, as on several
machines: a chat line sent through one web process reaches the customer's page connected to the
other, by push and by its poll; the crisis banner changes on both at once; a client's limit
counts across the web processes; and a crisis update is sent exactly once by two workers, even
when one of them is killed in the middle of sending."""

import json
import os
import re
import signal
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ

from crisis import sending
from crisis.models import IncidentUpdate, Subscription
from helpdesk.channels import chat as chat_channel
from helpdesk.mail.delivery import SENDING_TIMEOUT
from helpdesk.models import Notification, Ticket
from tests.cluster.conftest import EventStream, Visitor, WebNode, log_of, start_process, stop, wait_until
from tests.crisis.conftest import UPDATE
from tests.crisis.test_staff_pages import declare_data
from tests.helpdesk.local_smtp import LocalSmtpServer, RecordingHandler
from tests.helpdesk.test_web_form import FORM

pytestmark = [pytest.mark.cluster, pytest.mark.django_db(transaction=True)]

LIMIT = 3  # WEB_FORM_LIMIT_PER_IP_PER_HOUR of both web nodes


@pytest.mark.parametrize("shared_redis", [13], indirect=True)
def test_a_clients_limit_counts_across_both_web_processes(node_environment, category):
    nodes = start_web_nodes(node_environment(WEB_FORM_LIMIT_PER_IP_PER_HOUR=str(LIMIT)))
    try:
        visitor = Visitor()
        answers = []
        for number in range(LIMIT + 1):
            node = nodes[number % 2]  # the load balancer alternates
            status, _page = visitor.post_form(
                f"{node.url}/tickets/new/",
                {**FORM, "email": f"person{number}@example.hu", "category": str(category.pk)},
                token_from=f"{node.url}/tickets/new/",
            )
            answers.append(status)
    finally:
        for node in nodes:
            stop(node.process)
        connection.close()

    # Two requests through each node, yet the fourth is refused: the nodes count together.
    assert answers == [302, 302, 302, 429]
    assert Ticket.objects.count() == LIMIT


def start_web_nodes(env: dict[str, str]) -> list[WebNode]:
    nodes = [WebNode(env), WebNode(env)]
    wait_until(
        lambda: all(node.answers() for node in nodes), seconds=30, processes=[n.process for n in nodes]
    )
    return nodes


def sign_in(visitor: Visitor, node: WebNode, user) -> None:
    # The web processes check passwords with the site's own hashers, not the tests' fast one.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode("correct horse battery", hasher.salt())
    user.save(update_fields=["password"])
    status, _page = visitor.post_form(
        f"{node.url}/accounts/login/",
        {"username": user.username, "password": "correct horse battery"},
        token_from=f"{node.url}/accounts/login/",
    )
    assert status == 302, "the sign-in was refused"


@pytest.mark.parametrize("shared_redis", [11], indirect=True)
def test_a_chat_line_sent_through_one_web_process_reaches_the_page_on_the_other(
    node_environment, queue, agent
):
    chat = chat_channel.start_chat(
        queue=queue, name="Katalin Szabó", email="", message="My bill is twice the usual.", source_ip=None
    )
    room = f"/chat/{chat.token}/"
    # A stream that never hears the news ends (and the test fails) within seconds, not minutes.
    nodes = start_web_nodes(node_environment(LIVE_STREAM_MAX_SECONDS="15"))
    a, b = nodes
    try:
        # The customer's page is served by B, its push channel open there.
        customer = Visitor()
        assert customer.get(f"{b.url}{room}")[0] == 200
        stream = EventStream(f"{b.url}/events/chat/{chat.token}/")
        assert stream.next_message()["event"] == "ready"

        # The agent, whose requests the load balancer sends to A, answers.
        anna = Visitor()
        sign_in(anna, a, agent)
        workspace = f"{a.url}{chat.ticket.get_absolute_url()}"
        status, _page = anna.post_form(
            f"{workspace}chat/send/", {"chat-body": "Hello Katalin, I am Anna."}, token_from=workspace
        )
        assert status == 302

        # B's stream hears of it (the line itself is fetched with the page's own key)...
        heard = []
        while not any(event.get("channel") == chat.live_channel for event in heard):
            message = stream.next_message()
            assert message, f"B's stream ended without the chat's news: {heard} {log_of(a.process)[-3000:]}"
            heard.append(json.loads(message["data"]))
        stream.close()
        # ... and the poll it triggers, answered by B, brings the line.
        status, answer = customer.post_form(
            f"{b.url}{room}poll/", {"after": "0"}, token_from=f"{b.url}{room}"
        )
    finally:
        for node in nodes:
            stop(node.process)
        connection.close()

    assert status == 200
    assert "Hello Katalin, I am Anna." in answer


@pytest.mark.parametrize("shared_redis", [5], indirect=True)
def test_an_agent_deactivated_through_one_web_process_stops_hearing_the_chat_on_the_other(
    node_environment, queue, agent, manager
):
    chat = chat_channel.start_chat(
        queue=queue, name="Katalin Szabó", email="", message="My bill is twice the usual.", source_ip=None
    )
    chat.join(agent)
    room = f"/chat/{chat.token}/"
    nodes = start_web_nodes(node_environment(LIVE_STREAM_MAX_SECONDS="15"))
    a, b = nodes
    try:
        # Anna's chat panel follows the chat through B.
        anna = Visitor()
        sign_in(anna, b, agent)
        stream = EventStream(f"{b.url}/events/staff/?channel={chat.live_channel}", visitor=anna)
        assert stream.next_message()["event"] == "ready"

        # Through A, her manager deactivates her account, then the customer writes.
        marek = Visitor()
        sign_in(marek, a, manager)
        status, _page = marek.post_form(
            f"{a.url}/manage/staff/{agent.pk}/deactivate/", {}, token_from=f"{a.url}/manage/staff/"
        )
        assert status == 302
        customer = Visitor()
        status, _page = customer.post_form(
            f"{a.url}{room}send/", {"body": "My card number ends in 4242."}, token_from=f"{a.url}{room}"
        )
        assert status == 302

        # B's stream ends, and the customer's words never reach her page.
        heard = []
        while message := stream.next_message():
            heard.append(message)
        stream.close()
    finally:
        for node in nodes:
            stop(node.process)
        connection.close()

    assert heard == []


BANNER = "We know about a problem: {title}"


@pytest.mark.parametrize("shared_redis", [10], indirect=True)
def test_the_crisis_banner_changes_on_both_web_processes_at_once(node_environment, manager, category):
    env = node_environment()
    nodes = start_web_nodes(env)
    customer = Visitor()

    def banners() -> list[str]:
        return [customer.get(f"{node.url}/tickets/new/")[1] for node in nodes]

    try:
        before = banners()  # both processes have the banner's state cached: no incident
        # A manager declares through A (the web form)...
        mira = Visitor()
        sign_in(mira, nodes[0], manager)
        declared, _page = mira.post_form(
            f"{nodes[0].url}/crisis/incidents/new/",
            declare_data(category),
            token_from=f"{nodes[0].url}/crisis/incidents/new/",
        )
        after_the_form = banners()  # at once: no waiting out the cache's half a minute
        # ... and another incident is declared outside any web process (a command, the model).
        statement = {
            "en": "Card payments fail.",
            "hu": "Nem működik a kártyás fizetés.",
            "pl": "Płatności nie działają.",
        }
        code = (
            "from crisis.models import Incident; from django.contrib.auth import get_user_model; "
            "Incident.declare(title='Card payments failing', title_hu='Kártyás fizetés', "
            f"title_pl='Płatności kartą', statement={statement!r}, "
            f"by=get_user_model().objects.get(pk={manager.pk}))"
        )
        declaring = start_process(["manage.py", "shell", "-c", code], env)
        assert declaring.wait(timeout=60) == 0, log_of(declaring)
        declaring.log.close()
        after_the_model = banners()
    finally:
        for node in nodes:
            stop(node.process)
        connection.close()

    login_fails = BANNER.format(title="Mobile app login fails")
    card_payments = BANNER.format(title="Card payments failing")
    assert declared == 302
    assert not any(login_fails in page for page in before)
    assert all(login_fails in page for page in after_the_form)
    assert not any(card_payments in page for page in after_the_form)
    assert all(login_fails in page and card_payments in page for page in after_the_model)


SUBSCRIBERS = 120
BATCH = 20
KILL_ON_MESSAGE = SUBSCRIBERS // 3


def addresses(handler: RecordingHandler) -> Counter:
    with handler.lock:
        return Counter(message["To"] for message in handler.received)


def enqueue(env: dict[str, str], arguments: str) -> None:
    """Queue a task as a node of the cluster does: in the shared Redis."""
    code = f"from django_q.tasks import async_task; async_task({arguments})"
    queued = start_process(["manage.py", "shell", "-c", code], env)
    assert queued.wait(timeout=30) == 0, log_of(queued)
    queued.log.close()


def sending_worker(workers: dict) -> str | None:
    """The worker whose log shows it running the update's sending."""
    for name, worker in workers.items():
        if re.search(r"processing .*'crisis\.tasks\.send_update'", log_of(worker)):
            return name
    return None


@pytest.mark.parametrize("shared_redis", [12], indirect=True)
def test_two_workers_send_a_crisis_update_exactly_once_even_when_one_is_killed_mid_send(
    node_environment, incident, agent, manager
):
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(
            incident=incident,
            email=f"subscriber{number}@example.com",
            language=("en", "hu", "pl")[number % 3],
            token_hash=f"test-{number}",  # stands for a hash: no confirmation link is needed
            confirmed_at=now,
        )
        for number in range(SUBSCRIBERS)
    )
    OrmQ.objects.all().delete()  # the declaration's own sending ran before anyone subscribed
    IncidentUpdate.objects.filter(incident=incident).update(recipient_count=0, sending_finished_at=now)
    update = IncidentUpdate.draft(incident, by=agent, texts=UPDATE)

    workers: dict = {}
    killed: list[str] = []

    def kill_the_sending_worker(number):
        # The worker sending dies with this message on the wire: it never arrives (refused), as
        # when a machine dies mid-conversation. Every other message is accepted.
        if number != KILL_ON_MESSAGE:
            return True
        victim = sending_worker(workers)
        os.killpg(workers[victim].pid, signal.SIGKILL)
        killed.append(victim)
        return False

    handler = RecordingHandler(before_accepting=kill_the_sending_worker)
    with LocalSmtpServer(handler) as smtp:
        env = node_environment(
            **smtp.email_settings(),
            INCIDENT_UPDATE_BATCH=str(BATCH),
            Q_WORKERS="1",
            WORKER_HEARTBEAT_INTERVAL="1",
        )
        for name in ("worker-a", "worker-b"):
            workers[name] = start_process(["manage.py", "qcluster"], {**env, "WORKER_NAME": name})
        try:
            update.publish(by=manager)
            # The test's own process queues in its database; the workers read Redis, where a web
            # node of this cluster (REDIS_URL set) queues the sending.
            OrmQ.objects.all().delete()
            enqueue(env, f"'crisis.tasks.send_update', {update.pk}")
            wait_until(lambda: killed, seconds=60, processes=list(workers.values()))
            workers[killed[0]].wait(timeout=10)
            survivor = workers[({"worker-a", "worker-b"} - set(killed)).pop()]
            assert survivor.poll() is None
            sent_when_killed = addresses(handler)
            assert 0 < len(sent_when_killed) < SUBSCRIBERS

            # Later: the scheduled scan finds the sending its worker left unfinished, and the
            # claims of the killed worker's messages have expired (time moved, not waited out).
            Notification.objects.filter(status="sending").update(
                claimed_at=timezone.now() - SENDING_TIMEOUT - timedelta(minutes=1)
            )
            Notification.objects.filter(status="pending").update(next_attempt_at=timezone.now())
            IncidentUpdate.objects.filter(pk=update.pk).update(
                published_at=timezone.now() - timedelta(minutes=10)
            )
            enqueue(env, "'crisis.tasks.resume_update_sending'")

            wait_until(
                lambda: sending.progress(update)["sent"] == SUBSCRIBERS, seconds=60, processes=[survivor]
            )
            # The other worker finished the sending the killed one began.
            assert re.search(r"processing .*'crisis\.tasks\.send_update'", log_of(survivor))
        finally:
            for worker in workers.values():
                stop(worker)
            connection.close()

    received = addresses(handler)
    assert len(received) == SUBSCRIBERS
    assert set(received.values()) == {1}, "an address received the update twice"
    progress = sending.progress(update)
    assert (progress["sent"], progress["pending"], progress["failed"]) == (SUBSCRIBERS, 0, 0)
