"""Demo data of the feedback app (run by devtools.demo.seed when feedback is installed):
a few resolved demo requests with their surveys sent and some answered, a shared lesson, and
twelve weeks of past requests for the dashboard (devtools.demo.history)."""

from django.utils import timezone

from devtools.demo.history import seed_history
from feedback.models import Lesson, Survey
from helpdesk.models import Ticket

# (ticket subject's demo number, rating, solved, comment); None: sent, not answered yet.
ANSWERS = [
    (1, 5, True, "Gyors és udvarias segítség, köszönöm!"),
    (2, 2, True, "It took three calls to get this sorted."),
    (3, None, None, ""),
    (4, 4, True, ""),
]


def seed(*, agent, manager) -> dict[str, int]:
    added = 0
    now = timezone.now()
    for number, rating, solved, comment in ANSWERS:
        ticket = Ticket.objects.filter(external_id=f"demo-{number}").select_related("customer").first()
        if ticket is None or ticket.surveys.exists():
            continue
        if ticket.is_open:
            ticket.resolve(by=agent)
        survey = Survey.objects.create(
            ticket=ticket,
            customer=ticket.customer,
            language=ticket.customer.language,
            status=Survey.Status.SENT,
            due_at=now,
            sent_at=now,
        )
        if rating is not None:
            survey.answer(rating=rating, solved=solved, comment=comment)
        added += 1
    complaint = Ticket.objects.filter(external_id__startswith="demo-", is_complaint=True).first()
    if complaint is not None and not Lesson.objects.filter(ticket=complaint).exists():
        if complaint.is_open:
            complaint.resolve(by=agent)
        Lesson.record(
            complaint,
            by=agent,
            title="Read the meter history before answering a billing complaint",
            cause="The estimated reading was used although the customer had sent a real one.",
            lesson="Check the readings the customer sent in the last three months before re-billing.",
            share=True,
            language="en",
        )
        added += 1
    return {"survey_answers": added, "history": seed_history(agent=agent, manager=manager)}
