"""Links are stored only as hashes: a copy of the database is not a list of working links.

From the security review: status, chat and survey tokens were stored in plain text (API tokens
were already hashed). Each test takes a link the way the customer gets it (an email in the
outbox, a redirect), tries every value the database holds as a link (404), and follows the
link it was given (200).
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from crisis.models import Incident, Subscription
from feedback.models import Survey, SurveyLink
from feedback.surveys import scheduling
from helpdesk import tasks
from helpdesk.channels import chat as chat_channel
from helpdesk.mail import delivery
from helpdesk.models import ApiIntegration, Chat, Notification, StatusLink, Ticket

MONDAY_MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
FORM = {
    "name": "Katalin Szabó",
    "email": "katalin@example.hu",
    "phone": "",
    "language": "en",
    "subject": "Charged twice",
    "description": "My November bill was taken twice from my account.",
}


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)


def links_in(notification: Notification, path: str) -> list[str]:
    return re.findall(rf"https?://[^/\s]+({path}[^/\s?]+/)", notification.body_text)


def stored_strings(*models) -> list[str]:
    """Every text value of every row of the models, as a database dump would show them."""
    values = []
    for model in models:
        for row in model.objects.values():
            values += [value for value in row.values() if isinstance(value, str) and value]
    return values


def assert_none_opens(client, values: list[str], url: str):
    assert values
    for value in values:
        assert client.get(url.format(value)).status_code == 404, value


# --- the status page -------------------------------------------------------------------------


def test_the_emailed_status_link_works_and_no_stored_value_does(client, queue):
    client.post("/tickets/new/", FORM, REMOTE_ADDR="203.0.113.7")
    acknowledgement = Notification.objects.get(kind=Notification.Kind.ACKNOWLEDGEMENT)
    (link,) = set(links_in(acknowledgement, "/status/"))

    assert client.get(link).status_code == 200
    assert_none_opens(Client(), stored_strings(Ticket, StatusLink), "/status/{}/")


def test_once_sent_the_outbox_keeps_no_working_link(client, queue, mailoutbox):
    client.post("/tickets/new/", FORM, REMOTE_ADDR="203.0.113.7")
    acknowledgement = Notification.objects.get(kind=Notification.Kind.ACKNOWLEDGEMENT)

    assert delivery.deliver(acknowledgement.pk) == "sent"

    (sent,) = mailoutbox
    (emailed,) = set(re.findall(r"https?://[^/\s]+(/status/[^/\s?]+/)", sent.body))
    assert client.get(emailed).status_code == 200
    stored = " ".join(stored_strings(Notification))
    assert "/status/" in stored  # the message is kept, with its links written out
    # Whatever stands after a status page's address in the stored copy opens no request.
    for path in re.findall(r"/status/[^\s\"'<>]+", stored):
        assert Client().get(path).status_code == 404, path


def test_sending_the_links_again_draws_new_ones_and_the_old_ones_keep_working(client, queue):
    client.post("/tickets/new/", FORM, REMOTE_ADDR="203.0.113.7")
    (first,) = set(links_in(Notification.objects.get(), "/status/"))

    client.post("/status/links/", {"links-email": FORM["email"]}, REMOTE_ADDR="203.0.113.7")
    tasks.send_status_links(FORM["email"])
    links_mail = Notification.objects.exclude(kind=Notification.Kind.ACKNOWLEDGEMENT).get()
    (second,) = set(links_in(links_mail, "/status/"))

    assert second != first
    assert client.get(first).status_code == 200
    assert client.get(second).status_code == 200


def test_a_new_link_revokes_every_older_one(client, queue):
    client.post("/tickets/new/", FORM, REMOTE_ADDR="203.0.113.7")
    ticket = Ticket.objects.get()
    (first,) = set(links_in(Notification.objects.get(), "/status/"))
    second = f"/status/{ticket.draw_status_link()}/"

    assert client.post(f"{first}new-link/").status_code == 302

    newest = Notification.objects.latest("pk")
    (third,) = set(links_in(newest, "/status/"))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 404
    assert client.get(third).status_code == 200
    assert StatusLink.objects.count() == 1


def test_the_lookup_by_reference_and_email_leads_to_a_working_link(client, queue):
    client.post("/tickets/new/", FORM, REMOTE_ADDR="203.0.113.7")
    ticket = Ticket.objects.get()

    response = client.post("/status/", {"reference": ticket.reference, "email": FORM["email"]})

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_the_api_gives_working_status_links(client, queue):
    token = ApiIntegration.objects.create_with_token(name="Web shop")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"name": "Katalin", "email": "katalin@example.hu", "description": "Broken vase."}

    created = client.post("/api/tickets/", body, content_type="application/json", **headers).json()
    followed = client.get(f"/api/tickets/{created['reference']}/", **headers).json()

    for answer in (created, followed):
        assert client.get(answer["status_url"].removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert_none_opens(Client(), stored_strings(Ticket, StatusLink), "/status/{}/")


# --- live chat ---------------------------------------------------------------------------------


def test_the_chat_link_works_and_no_stored_value_does(client, queue):
    response = client.post(
        reverse("helpdesk:chat-start"),
        {"name": "Katalin Szabó", "email": "", "message": "My bill is twice the usual amount."},
    )
    room = response["Location"]

    assert client.get(room).status_code == 200
    assert_none_opens(Client(), stored_strings(Chat), "/chat/{}/")


def test_from_the_chat_to_its_request_s_status_page(client, queue):
    chat = chat_channel.start_chat(
        queue=queue, name="Katalin Szabó", email="", message="Hello", source_ip="192.0.2.1"
    )

    response = client.post(f"/chat/{chat.token}/request/")

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"/chat/{chat.token}/request/").status_code == 405


# --- surveys -----------------------------------------------------------------------------------


@pytest.fixture
def survey_mails(make_ticket, agent, time_machine):
    """The invitation and the reminder of one follow-up survey."""
    ticket = make_ticket()
    ticket.assign(agent)
    ticket.resolve(by=agent)
    scheduling.schedule_surveys()
    survey = Survey.objects.get()
    time_machine.move_to(survey.due_at, tick=False)
    scheduling.send_due_surveys()
    survey.refresh_from_db()
    time_machine.move_to(survey.reminder_due_at + timedelta(minutes=1), tick=False)
    scheduling.send_due_reminders()
    return list(Notification.objects.filter(kind=Notification.Kind.SURVEY).order_by("pk"))


def test_the_survey_links_of_both_messages_work_and_no_stored_value_does(client, survey_mails):
    invitation, reminder = survey_mails
    (first,) = set(links_in(invitation, "/survey/"))
    (second,) = set(links_in(reminder, "/survey/"))

    assert first != second
    assert client.get(first).status_code == 200
    assert client.get(second).status_code == 200
    assert client.get(f"{first}opt-out/").status_code == 200
    assert_none_opens(Client(), stored_strings(Survey, SurveyLink), "/survey/{}/")


# --- crisis subscriptions ----------------------------------------------------------------------


@pytest.fixture
def incident(manager, category):
    statement = {"en": "Card payments fail.", "hu": "Nem működik a kártya.", "pl": "Karty nie działają."}
    return Incident.declare(
        title="Card payments failing", statement=statement, by=manager, categories=[category]
    )


def test_the_confirmation_link_works_and_no_stored_value_does(client, incident, mailoutbox):
    client.post(f"/crisis/subscribe/{incident.pk}/", {"email": "eve@example.com"})
    delivery.deliver_due()
    (confirmation,) = mailoutbox  # the message as sent: the stored copy keeps no working link
    (link,) = set(re.findall(r"https?://[^/\s]+(/crisis/subscriptions/[^/\s?]+/)", confirmation.body))

    assert client.get(link).status_code == 200
    assert_none_opens(Client(), stored_strings(Subscription), "/crisis/subscriptions/{}/")


# --- links sent before the upgrade -------------------------------------------------------------


def migration_named(executor, app: str, suffix: str):
    (key,) = [key for key in executor.loader.disk_migrations if key[0] == app and key[1].endswith(suffix)]
    return key


def take_back(executor, hashing: list[tuple[str, str]]):
    """Unapply the hashing migrations; return what `apply_again` needs to apply them again.

    On PostgreSQL only the three are taken back and applied again, each from the models as it
    found them: PostgreSQL alters their tables in place, and no later migration touches their
    columns, so the later ones stay as they are (Django would otherwise draw the models' state at
    each of the forty-odd migrations after them, back and forth: nearly all of the test's time).
    SQLite rebuilds a table from the migration's own model, which would drop the columns of
    later migrations: there everything after them is taken back too."""
    if connection.vendor != "postgresql":
        targets = [min(executor.loader.graph.node_map[key].parents) for key in hashing]
        leaves = executor.loader.graph.leaf_nodes()
        executor.migrate(targets)
        return leaves, None
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    order = [migration for migration, _backwards in plan]
    migrations = sorted((executor.loader.graph.nodes[key] for key in hashing), key=order.index)
    for migration in reversed(migrations):
        executor.unapply_migration(state_before(executor, migration), migration)
    return None, migrations


def apply_again(taken_back) -> None:
    leaves, migrations = taken_back
    executor = MigrationExecutor(connection)
    if migrations is None:
        executor.migrate(leaves)
    else:
        for migration in migrations:
            executor.apply_migration(state_before(executor, migration), migration)
    executor.loader.build_graph()
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []  # all applied again


def state_before(executor, migration):
    """The models as the migration found them (its app's and those it depends on), drawn once:
    each of its operations then draws again only the models it changes."""
    state = executor.loader.project_state((migration.app_label, migration.name), at_end=False)
    state.apps  # noqa: B018
    return state


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_links_sent_before_the_hashing_keep_working(make_ticket, agent, incident):
    """The migrations hash the stored tokens in place: a link already in someone's inbox works."""
    ticket = make_ticket()
    chat = chat_channel.start_chat(
        queue=ticket.queue, name="Kata", email="", message="Hi", source_ip="192.0.2.1"
    )
    ticket.assign(agent)
    ticket.resolve(by=agent)
    scheduling.schedule_surveys()
    Subscription.request(incident, email="eve@example.com", language="en")
    executor = MigrationExecutor(connection)
    hashing = [
        migration_named(executor, "helpdesk", "_hashed_link_tokens"),
        migration_named(executor, "feedback", "_hashed_survey_links"),
        migration_named(executor, "crisis", "_hashed_subscription_tokens"),
    ]
    taken_back = take_back(executor, hashing)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE helpdesk_ticket SET status_token = %s WHERE id = %s", ["old-status-link", ticket.pk]
        )
        cursor.execute("UPDATE helpdesk_chat SET token = %s WHERE id = %s", ["old-chat-link", chat.pk])
        cursor.execute("UPDATE feedback_survey SET token = %s, status = 'sent'", ["old-survey-link"])
        cursor.execute("UPDATE crisis_subscription SET token = %s", ["old-confirmation-link"])

    apply_again(taken_back)

    client = Client()
    assert client.get("/status/old-status-link/").status_code == 200
    assert client.get("/chat/old-chat-link/").status_code == 200
    assert client.get("/survey/old-survey-link/").status_code == 200
    assert client.get("/crisis/subscriptions/old-confirmation-link/").status_code == 200
    assert "old-status-link" not in stored_strings(Ticket, StatusLink)
    assert "old-chat-link" not in stored_strings(Chat)
    assert "old-survey-link" not in stored_strings(Survey, SurveyLink)
    assert "old-confirmation-link" not in stored_strings(Subscription)
