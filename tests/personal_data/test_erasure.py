"""Erasing a customer: nothing that names them is left anywhere, what the business keeps stays."""

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from crisis.models import AuditEntry, CompensationProposal
from feedback.dashboard import compensation, metrics
from feedback.models import Survey, ThemeMembership
from helpdesk.mail.inbound import ingest_message
from helpdesk.models import AccessRecord, Attachment, Customer, InboundEmail, Queue, Ticket
from helpdesk.personal_data.erasure import erase_customer
from tests.personal_data.conftest import EMAIL, IP, NAME, PHONE, PHONE_AS_WRITTEN, email_with_file
from tests.personal_data.traces import traces_of

DETAILS = (NAME, "Kertész", EMAIL, PHONE, PHONE_AS_WRITTEN, IP)


def dashboard_figures():
    scope = metrics.Scope(queues=Queue.objects.all(), weeks=52, now=timezone.now())
    return {
        "tickets": metrics.ticket_totals(scope),
        "surveys": metrics.survey_totals(scope),
        "compensation": compensation.totals(scope),
    }


def erase(customer):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return erase_customer(customer)


def test_the_seeded_customer_is_found_everywhere_before_erasure(every_channel):
    # The search itself can fail: before erasure it finds her in every kind of place.
    tables = {table for table, _column, _text in traces_of(*DETAILS)}
    assert {
        "helpdesk_customer",
        "helpdesk_ticket",
        "helpdesk_ticketentry",
        "helpdesk_notification",
        "helpdesk_inboundemail",
        "crisis_subscription",
        "feedback_survey",
    } <= tables


def test_after_erasure_no_column_of_any_table_holds_her_name_address_or_number(every_channel):
    erase(every_channel.customer)

    assert traces_of(*DETAILS) == []


def test_her_files_are_deleted_from_storage(every_channel):
    names = list(
        Attachment.objects.filter(entry__ticket__customer=every_channel.customer).values_list(
            "file", flat=True
        )
    )
    assert names
    assert all(default_storage.exists(name) for name in names)

    counts = erase(every_channel.customer)

    assert counts["files"] == len(names)
    assert not any(default_storage.exists(name) for name in names)


def test_the_customer_stays_as_a_pseudonym_with_her_requests_and_their_times(every_channel):
    customer = every_channel.customer
    times = list(
        Ticket.objects.filter(customer=customer)
        .order_by("pk")
        .values_list("pk", "created_at", "resolution_due_at")
    )

    counts = erase(customer)

    customer.refresh_from_db()
    assert customer.erased_at is not None
    assert str(customer) == f"erased customer #{customer.pk}"
    assert counts["requests"] == len(times) == 5
    after = Ticket.objects.filter(customer=customer).order_by("pk")
    assert list(after.values_list("pk", "created_at", "resolution_due_at")) == times
    assert ThemeMembership.objects.filter(customer=customer).count() == 1


def test_every_audit_row_stays_and_still_reads(every_channel):
    before = [(entry.pk, str(entry)) for entry in AuditEntry.objects.all()]
    assert before

    erase(every_channel.customer)

    assert [(entry.pk, str(entry)) for entry in AuditEntry.objects.all()] == before
    assert CompensationProposal.objects.get().amount == 3000


def test_the_dashboard_figures_are_the_same_after_erasure(every_channel):
    before = dashboard_figures()

    erase(every_channel.customer)

    assert dashboard_figures() == before


def test_her_status_and_survey_links_answer_404(client, every_channel):
    token = every_channel.status_tokens[0]
    assert client.get(reverse("helpdesk:status", args=[token])).status_code == 200

    erase(every_channel.customer)

    for token in every_channel.status_tokens:
        assert client.get(reverse("helpdesk:status", args=[token])).status_code == 404
    assert not Survey.objects.filter(links__isnull=False, customer=every_channel.customer).exists()


def test_erasing_twice_is_harmless(every_channel):
    erase(every_channel.customer)
    erased_at = Customer.objects.get(pk=every_channel.customer.pk).erased_at

    erase(every_channel.customer)

    assert Customer.objects.get(pk=every_channel.customer.pk).erased_at == erased_at
    assert traces_of(*DETAILS) == []


@pytest.mark.parametrize("detail", [EMAIL, PHONE_AS_WRITTEN, "Kertész"])
def test_the_erased_customer_is_not_found_by_a_search(every_channel, detail):
    erase(every_channel.customer)

    assert not Customer.objects.search(detail).exists()


def test_another_persons_email_whose_address_contains_hers_is_left_alone(every_channel):
    # "m.zsofia.kertesz@…" is someone else: erasing Zsófia must not wipe what that person sent.
    other_address = f"m.{EMAIL}"
    message = email_with_file().replace(EMAIL.encode(), other_address.encode())
    message = message.replace(b"<reading-1@example.hu>", b"<other-1@example.hu>")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert ingest_message(message, source="test").outcome == "created"

    erase(every_channel.customer)

    theirs = InboundEmail.objects.get(from_address=other_address)
    assert theirs.raw
    assert theirs.subject == "Meter reading"


def test_what_staff_typed_about_her_goes_too(client, agent, every_channel):
    """The record of who looked keeps the searches typed, and a preference change how she asked:
    both may name her. The rows stay (who looked, when), the words that name her go."""
    customer = every_channel.customer
    client.force_login(agent)
    client.get(f"/agent/calls/customers/?q={EMAIL}")
    client.get(f"/agent/?q={NAME}")
    client.post(
        f"/agent/customers/{customer.pk}/preferences/",
        {"language": "en", "request": f"{NAME} asked on the phone, from {PHONE_AS_WRITTEN}"},
    )
    assert {table for table, _column, _text in traces_of(*DETAILS)} >= {
        "helpdesk_accessrecord",
        "helpdesk_preferencechange",
    }
    looks = AccessRecord.objects.count()

    erase(customer)

    assert traces_of(*DETAILS) == []
    assert AccessRecord.objects.count() == looks
