"""One reviewed answer to every open request of a theme: draft, second approval, worker sends."""

import pytest

from feedback.models import ThemeReply
from feedback.themes import replies
from helpdesk.models import Notification, Ticket, TicketEntry

TEXTS = [
    "Błędna faktura za prąd",
    "Błąd na fakturze za prąd",
    "Problem z fakturą za prąd, błędna kwota",
    "bledna faktura za prad",
]
ANSWER = "Dziękujemy za zgłoszenie. Błąd w fakturach za prąd został poprawiony, korekta jest w drodze."


@pytest.fixture
def tickets(make_complaint):
    return [make_complaint(text, language="pl") for text in TEXTS]


@pytest.fixture
def theme(tickets):
    return tickets[0].theme_membership.theme


def test_a_manager_drafts_and_another_approves_then_the_worker_answers_each_open_ticket(
    client, manager, other_manager, tickets, theme, django_capture_on_commit_callbacks
):
    tickets[3].resolve(by=manager)
    client.force_login(manager)
    page = client.get(theme.get_absolute_url()).content.decode()
    assert 'value="pl" selected' in page  # the language most open requests are in
    response = client.post(f"/manage/themes/{theme.pk}/answers/", {"body": ANSWER, "language": "pl"})
    assert response.status_code == 302
    reply = ThemeReply.objects.get()
    assert reply.status == ThemeReply.Status.DRAFT
    assert not TicketEntry.objects.filter(kind=TicketEntry.Kind.REPLY).exists()

    # The author cannot approve their own text.
    client.post(f"/manage/theme-answers/{reply.pk}/approve/")
    reply.refresh_from_db()
    assert reply.status == ThemeReply.Status.DRAFT

    client.force_login(other_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/manage/theme-answers/{reply.pk}/approve/")
    reply.refresh_from_db()
    assert (reply.status, reply.approved_by) == (ThemeReply.Status.APPROVED, other_manager)

    assert replies.send(reply.pk) == 3  # what the worker's task runs
    reply.refresh_from_db()
    assert (reply.status, reply.sent_count) == (ThemeReply.Status.SENT, 3)
    for ticket in tickets[:3]:
        entry = ticket.entries.get(kind=TicketEntry.Kind.REPLY)
        assert (entry.body, entry.author, entry.is_public) == (ANSWER, manager, True)
        assert Notification.objects.filter(ticket=ticket, kind=Notification.Kind.REPLY).count() == 1
    assert not tickets[3].entries.filter(kind=TicketEntry.Kind.REPLY).exists()
    assert Ticket.objects.get(pk=tickets[0].pk).first_responded_at is not None


def test_sending_again_answers_nobody_twice(manager, other_manager, tickets, theme):
    reply = ThemeReply.objects.create(theme=theme, language="pl", body=ANSWER, drafted_by=manager)
    replies.approve(reply, by=other_manager)
    replies.send(reply.pk)
    reply.status = ThemeReply.Status.APPROVED  # as if the worker died before marking it sent
    reply.save(update_fields=["status"])
    assert replies.send_approved() == 0
    assert TicketEntry.objects.filter(kind=TicketEntry.Kind.REPLY).count() == 4


def test_a_draft_is_not_sent_and_can_be_discarded(client, manager, tickets, theme):
    reply = ThemeReply.objects.create(theme=theme, language="pl", body=ANSWER, drafted_by=manager)
    assert replies.send(reply.pk) == 0
    client.force_login(manager)
    client.post(f"/manage/theme-answers/{reply.pk}/discard/")
    reply.refresh_from_db()
    assert reply.status == ThemeReply.Status.DISCARDED


def test_an_empty_answer_is_refused(client, manager, theme):
    client.force_login(manager)
    response = client.post(f"/manage/themes/{theme.pk}/answers/", {"body": "  ", "language": "pl"})
    assert response.status_code == 400
    assert not ThemeReply.objects.exists()


def test_agents_cannot_draft_or_approve(client, agent, manager, theme):
    reply = ThemeReply.objects.create(theme=theme, language="pl", body=ANSWER, drafted_by=manager)
    client.force_login(agent)
    assert (
        client.post(f"/manage/themes/{theme.pk}/answers/", {"body": ANSWER, "language": "pl"}).status_code
        == 403
    )
    assert client.post(f"/manage/theme-answers/{reply.pk}/approve/").status_code == 403


def test_an_answer_goes_only_to_the_requests_in_its_language(
    manager, other_manager, make_complaint, theme, tickets
):
    # A Hungarian customer's complaint in the same theme (it shares the Polish words).
    hungarian = make_complaint("Błędna faktura za prąd, kérem javítsák", language="hu")
    assert hungarian.theme_membership.theme == theme
    reply = ThemeReply.objects.create(theme=theme, language="pl", body=ANSWER, drafted_by=manager)
    replies.approve(reply, by=other_manager)
    assert replies.send(reply.pk) == 4
    assert not hungarian.entries.filter(kind=TicketEntry.Kind.REPLY).exists()
