"""Themes form in the worker from real tickets, and recurring ones reach management once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_q.models import OrmQ

from feedback.models import (
    RecurringComplaint,
    RecurringComplaintEvent,
    RecurringComplaintRule,
    Theme,
    ThemeMembership,
)
from feedback.themes import complaints

BILLING = [
    "Hibás a számlám, kétszer terhelték",
    "Hibás számlát kaptam megint",
    "hibas szamlamat kaptam, kerem javitsak",
    "Hibás számlázási adatok a számlámon",
    "Nem értem a számlámat, hibás az összeg",
    "Hibás a számla, kétszer fizettem",
]
INVOICE = [
    "Błędna faktura za prąd",
    "Błąd na fakturze za prąd",
    "Problem z fakturą za prąd, błędna kwota",
    "bledna faktura za prad",
]


@pytest.fixture
def mailbox(mailoutbox, manager, other_manager):
    manager.email = "marek@example.hu"
    manager.save(update_fields=["email"])
    return mailoutbox


def theme_of(ticket):
    return ThemeMembership.objects.get(ticket=ticket).theme_id


def test_hungarian_and_polish_word_forms_each_join_one_theme(make_complaint):
    billing = [make_complaint(text) for text in BILLING]
    invoice = [make_complaint(text, language="pl") for text in INVOICE]
    courier = make_complaint("A futár nem hozta ki a csomagot")

    assert len({theme_of(ticket) for ticket in billing}) == 1
    assert len({theme_of(ticket) for ticket in invoice}) == 1
    # A wrong bill in Hungarian and a wrong invoice in Polish may be one fault, joined by
    # meaning (test_themes_across_languages); a courier who never came is another fault.
    assert theme_of(courier) not in {theme_of(billing[0]), theme_of(invoice[0])}
    theme = Theme.objects.get(pk=theme_of(billing[0]))
    assert theme.size == len(BILLING)
    assert theme.title == BILLING[0][:60]


def test_grouping_a_complaint_twice_changes_nothing(make_complaint):
    ticket = make_complaint(BILLING[0])
    assert complaints.group_complaint(ticket.pk) is None
    assert Theme.objects.get().size == 1


def test_a_ticket_that_is_no_complaint_is_not_grouped(make_ticket):
    ticket = make_ticket()
    assert complaints.group_complaint(ticket.pk) is None
    assert not ThemeMembership.objects.exists()


def test_a_complaint_enqueues_its_grouping_after_commit(
    make_complaint, make_ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(subject="Where is my parcel", category=None)
    assert OrmQ.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        make_complaint(BILLING[0], group=False)
    assert OrmQ.objects.count() == 1


def test_the_catch_up_scan_groups_complaints_whose_task_was_lost(make_complaint):
    tickets = [make_complaint(text, group=False) for text in BILLING[:3]]
    assert complaints.group_missed_complaints() == 3
    assert complaints.group_missed_complaints() == 0
    assert ThemeMembership.objects.filter(ticket__in=tickets).count() == 3


def test_escalation_is_raised_once_at_the_threshold_and_managers_told_once(make_complaint, mailbox):
    # Default rule: 5 complaints from 3 customers within 7 days.
    for text, customer in zip(BILLING[:4], ["anna", "bela", "cecil", "anna"], strict=True):
        make_complaint(text, customer=customer)
    assert not RecurringComplaint.objects.exists()
    assert mailbox == []

    make_complaint(BILLING[4], customer="bela")

    recurring_complaint = RecurringComplaint.objects.get()
    assert recurring_complaint.status == RecurringComplaint.Status.OPEN
    assert sorted(message.to[0] for message in mailbox) == ["marek@example.hu", "zofia@example.pl"]
    assert "Recurring complaint" in mailbox[0].subject
    assert recurring_complaint.theme.get_absolute_url() in mailbox[0].body

    make_complaint(BILLING[5], customer="dora")
    assert RecurringComplaint.objects.count() == 1
    assert len(mailbox) == 2
    assert list(recurring_complaint.events.values_list("kind", flat=True)) == [
        RecurringComplaintEvent.Kind.RAISED
    ]


def test_many_complaints_from_too_few_customers_do_not_escalate(make_complaint, mailbox):
    for text in BILLING:
        make_complaint(text, customer=["anna", "bela"][len(text) % 2])
    assert not RecurringComplaint.objects.exists()


def test_complaints_outside_the_window_do_not_count(make_complaint, mailbox):
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        for text in BILLING[:3]:
            make_complaint(text)
    for text in BILLING[3:5]:
        make_complaint(text)
    assert Theme.objects.get().size == 5
    assert not RecurringComplaint.objects.exists()


def test_managers_configure_the_rule(make_complaint, mailbox):
    RecurringComplaintRule.objects.update_or_create(pk=1, defaults={"min_complaints": 2, "min_customers": 2})
    make_complaint(BILLING[0])
    assert not RecurringComplaint.objects.exists()
    make_complaint(BILLING[1])
    assert RecurringComplaint.objects.count() == 1


def test_a_theme_that_comes_back_after_closing_reopens_its_escalation(make_complaint, mailbox, manager):
    with time_machine.travel(timezone.now() - timedelta(days=3), tick=False):
        for text in BILLING[:5]:
            make_complaint(text)
        recurring_complaint = RecurringComplaint.objects.get()
        recurring_complaint.close(
            by=manager, root_cause="Double debit in the batch job", fix="Job made idempotent"
        )
    mailbox.clear()

    # The complaints before the close no longer count: one new complaint does not re-open it.
    make_complaint(BILLING[5], customer="new1")
    recurring_complaint.refresh_from_db()
    assert recurring_complaint.status == RecurringComplaint.Status.CLOSED
    assert mailbox == []

    for number, text in enumerate(BILLING[:4], start=2):
        make_complaint(text, customer=f"new{number % 3}")

    recurring_complaint.refresh_from_db()
    assert recurring_complaint.status == RecurringComplaint.Status.OPEN
    assert recurring_complaint.times_raised == 2
    assert recurring_complaint.closed_at is None
    assert len(mailbox) == 2
    assert "back" in mailbox[0].subject
    assert list(recurring_complaint.events.values_list("kind", flat=True)) == ["raised", "closed", "reopened"]
    # It re-opens once, not at every further complaint.
    make_complaint(BILLING[4], customer="new9")
    assert len(mailbox) == 2
