"""The feedback part of `make bench` (one of devtools.bench.helpdesk.OPTIONAL_PARTS):
survey answers for the seeded resolved tickets, and the manager dashboard's timing."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test import Client

from devtools.bench.helpdesk import BenchExtension, page
from feedback.dashboard import metrics, snapshots
from feedback.models import Survey
from helpdesk.models import Ticket
from helpdesk.queue.line import queues_managed_by

# Of the resolved tickets: most get a survey; of those, about one in three answers.
SURVEYED, ANSWERED = 0.8, 0.35
RATINGS = [(5, 40), (4, 30), (3, 12), (2, 10), (1, 8)]


def seed(world) -> None:
    rng = world.rng
    tickets = (
        Ticket.objects.filter(resolved_at__isnull=False)
        .filter(~Exists(Survey.objects.filter(ticket=OuterRef("pk"))))
        .values_list("pk", "customer_id", "queue_id", "channel", "language", "resolved_at")
        .order_by("pk")
    )
    surveys = []
    for ticket_id, customer_id, queue_id, channel, language, resolved_at in tickets.iterator(chunk_size=5000):
        if rng.random() > SURVEYED:
            continue
        sent_at = resolved_at + timedelta(days=2)
        survey = Survey(
            ticket_id=ticket_id,
            customer_id=customer_id,
            queue_id=queue_id,
            channel=channel,
            language=language,
            status=Survey.Status.SENT,
            due_at=sent_at,
            sent_at=sent_at,
        )
        if rng.random() < ANSWERED:
            rating = rng.choices([r for r, _w in RATINGS], [w for _r, w in RATINGS])[0]
            survey.status, survey.answered_at = (
                Survey.Status.ANSWERED,
                sent_at + timedelta(hours=rng.randint(1, 60)),
            )
            survey.rating, survey.solved = rating, rating >= 3 or rng.random() < 0.3
            survey.needs_review = rating <= 2
        surveys.append(survey)
    Survey.objects.bulk_create(surveys, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE feedback_survey")


def figures(world):
    manager = get_user_model().objects.get(username="bench-manager")
    client = Client()
    client.force_login(manager)
    # As in production: the worker has stored the figures; the page reads them.
    snapshots.refresh_all()
    scope = metrics.default_scope(queues_managed_by(manager))
    return [
        ("manager dashboard /manage/", page(client, "/manage/"), {"target_ms": 200}),
        (
            "dashboard figures, computed (worker, 12 weeks)",
            lambda: snapshots.compute(scope),
            {"target_ms": None},
        ),
    ]


EXTENSION = BenchExtension(name="feedback", seed=seed, figures=figures)
