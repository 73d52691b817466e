"""Consolidation: themes that became the same problem merge, or are proposed to a manager when one
is escalated; one escalation per problem; what a manager keeps apart stays apart."""

import threading

import pytest
from django.db import connection

from feedback.models import (
    RecurringComplaint,
    RecurringComplaintEvent,
    Theme,
    ThemeEvent,
    ThemeGram,
    ThemeMembership,
    ThemeMergeProposal,
    ThemeReply,
    ThemeSeparation,
)
from feedback.tasks import consolidate_themes
from feedback.themes import consolidation, grouping, recurring_complaints
from helpdesk.models import InvalidTransition, Ticket

BILLING = [
    "Hibás a számlám, kétszer terhelték a kártyámat",
    "Kétszer terhelték a kártyámat, hibás a számla",
    "Hibás számla, a kártyámat kétszer terhelték",
    "A számlám hibás: kétszer terhelték a kártyámat",
    "Kétszer terheltek a kartyamat, hibas a szamlam",
]
COURIER = [
    "Kurier nie dostarczył paczki na czas",
    "Paczka nie dotarła, kurier nie przyjechał",
    "Kurier zgubił moją paczkę",
]


@pytest.fixture
def mailbox(mailoutbox, manager, other_manager):
    return mailoutbox


def escalate(theme):
    escalation = RecurringComplaint.raise_for(theme)
    assert escalation is not None
    return escalation


def test_two_themes_of_one_problem_merge_into_the_larger(make_theme, mailbox, other_manager):
    larger = make_theme(BILLING[:3], days=2)
    smaller = make_theme(BILLING[3:5])
    other = make_theme(COURIER, language="pl")
    draft = ThemeReply.objects.create(
        theme=smaller, language="hu", body="Elnézést kérünk", drafted_by=other_manager
    )

    assert consolidate_themes() == "1 merged, 0 proposed"

    larger.refresh_from_db()
    smaller.refresh_from_db()
    assert smaller.merged_into == larger
    assert (larger.size, smaller.size) == (5, 0)
    assert ThemeMembership.objects.filter(theme=larger).count() == 5
    assert not ThemeGram.objects.filter(theme=smaller).exists()
    assert set(ThemeGram.objects.filter(theme=larger).values_list("gram", flat=True)) == set(
        grouping.heaviest(larger.centroid, grouping.POSTINGS_PER_THEME)
    )
    # The earliest first complaint and the latest last one.
    assert larger.created_at < smaller.created_at
    assert larger.last_complaint_at == Theme.objects.get(pk=smaller.pk).last_complaint_at
    assert [
        (event.theme_id, event.kind, event.other_theme_id, event.complaints, event.actor)
        for event in ThemeEvent.objects.order_by("theme_id", "pk")
    ] == [
        (larger.pk, ThemeEvent.Kind.ABSORBED, smaller.pk, 2, None),
        (smaller.pk, ThemeEvent.Kind.MERGED_INTO, larger.pk, 2, None),
    ]
    draft.refresh_from_db()
    assert draft.theme == larger
    assert Theme.objects.get(pk=other.pk).merged_into is None
    # Merged once: the next scan has nothing to do, and the merged-away theme leaves the list.
    assert consolidate_themes() == "0 merged, 0 proposed"
    assert list(Theme.objects.active().order_by("pk")) == [larger, other]


def test_a_problem_in_fragments_is_escalated_once_when_they_merge(make_theme, mailbox):
    # Default rule: 5 complaints from 3 customers within 7 days; each fragment is below it.
    first = make_theme(BILLING[:3])
    make_theme(BILLING[2:5])
    assert not RecurringComplaint.objects.exists()

    consolidation.consolidate()

    escalation = RecurringComplaint.objects.get()
    assert escalation.theme == first
    assert Theme.objects.get(pk=first.pk).size == 6
    assert sorted(message.to[0] for message in mailbox) == ["marek@helpdesk.example", "zofia@example.pl"]


def test_a_theme_like_an_escalated_one_is_proposed_not_merged(make_theme, mailbox):
    escalated = make_theme(BILLING[:2])
    escalate(escalated)
    fragment = make_theme(BILLING[2:5], days=1)

    assert consolidation.consolidate().proposed == 1

    proposal = ThemeMergeProposal.objects.get()
    # The escalated theme is kept, though it is the smaller: its escalation goes on.
    assert (proposal.kept, proposal.absorbed, proposal.status) == (escalated, fragment, "pending")
    assert proposal.similarity > 0.9
    assert (proposal.kept_size, proposal.absorbed_size) == (2, 3)
    assert "terheltek" in proposal.evidence["words"] or "terhelték" in proposal.evidence["words"]
    assert len(proposal.evidence["kept_examples"]) == 2
    assert Theme.objects.get(pk=fragment.pk).merged_into is None
    assert ThemeMembership.objects.filter(theme=fragment).count() == 3
    assert set(ThemeEvent.objects.values_list("kind", flat=True)) == {ThemeEvent.Kind.MERGE_PROPOSED}
    # Proposed once.
    assert consolidation.consolidate().proposed == 0
    assert ThemeMergeProposal.objects.count() == 1


def test_while_a_manager_decides_the_fragment_raises_no_escalation_of_its_own(make_theme, mailbox, manager):
    escalated = make_theme(BILLING[:2])
    escalation = escalate(escalated)
    # Past the rule by itself: 5 complaints from 3 customers.
    fragment = make_theme(BILLING, customers=["a", "b", "c", "a", "b"])
    consolidation.consolidate()

    assert recurring_complaints.raise_if_recurring(fragment) is None
    assert RecurringComplaint.objects.count() == 1

    moved = consolidation.accept(ThemeMergeProposal.objects.get(), by=manager)

    assert moved == 5
    assert RecurringComplaint.objects.get() == escalation
    assert Theme.objects.get(pk=escalated.pk).size == 7
    assert list(escalation.events.values_list("kind", "note")) == [
        (RecurringComplaintEvent.Kind.RAISED, ""),
        (RecurringComplaintEvent.Kind.JOINED, "5"),
    ]
    assert mailbox == []


def test_a_new_complaint_of_the_merged_problem_mails_nobody_again(
    make_theme, make_complaint, mailbox, manager
):
    escalated = make_theme(BILLING[:3], customers=["a", "b", "c"])
    escalate(escalated)
    make_theme(BILLING[3:5])
    consolidation.consolidate()
    consolidation.accept(ThemeMergeProposal.objects.get(), by=manager)

    ticket = make_complaint(BILLING[4], customer="d")

    assert ThemeMembership.objects.get(ticket=ticket).theme_id == escalated.pk
    assert RecurringComplaint.objects.count() == 1
    assert mailbox == []


def test_two_escalations_of_one_problem_become_one(make_theme, mailbox, manager):
    first = make_theme(BILLING[:3])
    second = make_theme(BILLING[2:5], days=1)
    kept_escalation = escalate(first)
    joining_escalation = escalate(second)

    consolidation.consolidate()
    proposal = ThemeMergeProposal.objects.get()
    assert proposal.kept == first
    consolidation.accept(proposal, by=manager)

    assert list(RecurringComplaint.objects.open()) == [kept_escalation]
    joining_escalation.refresh_from_db()
    assert joining_escalation.status == RecurringComplaint.Status.MERGED
    assert not joining_escalation.is_open
    assert joining_escalation.events.last().kind == RecurringComplaintEvent.Kind.MERGED_INTO
    assert kept_escalation.events.last().kind == RecurringComplaintEvent.Kind.JOINED
    assert mailbox == []


def test_the_escalated_theme_is_kept_though_smaller(make_theme, manager):
    larger = make_theme(BILLING[:4])
    smaller = make_theme(BILLING[3:5])
    escalation = escalate(smaller)
    consolidation.consolidate()
    proposal = ThemeMergeProposal.objects.get()
    assert (proposal.kept, proposal.absorbed) == (smaller, larger)

    consolidation.accept(proposal, by=manager)

    escalation.refresh_from_db()
    assert escalation.theme == smaller
    assert Theme.objects.get(pk=larger.pk).merged_into == smaller
    assert Theme.objects.get(pk=smaller.pk).size == 6


def test_a_declined_pair_is_not_proposed_again_and_may_escalate(make_theme, mailbox, manager):
    escalate(make_theme(BILLING[:2]))
    fragment = make_theme(BILLING, customers=["a", "b", "c", "a", "b"])
    consolidation.consolidate()
    ThemeMergeProposal.objects.get().decline(by=manager)

    assert consolidation.consolidate().proposed == 0
    assert ThemeMergeProposal.objects.count() == 1
    assert ThemeSeparation.objects.between(fragment, ThemeMergeProposal.objects.get().kept).exists()
    # A different problem after all: it is escalated by itself.
    assert recurring_complaints.raise_if_recurring(fragment) is not None


def test_what_a_merged_theme_was_kept_apart_from_stays_apart(make_theme, manager):
    apart = make_theme(BILLING[:2])
    escalate(apart)
    first = make_theme(BILLING[2:5])
    second = make_theme(BILLING[2:5])
    ThemeSeparation.objects.keep_apart(apart, second, reason=ThemeSeparation.Reason.DECLINED, by=manager)
    ThemeSeparation.objects.keep_apart(apart, first, reason=ThemeSeparation.Reason.DECLINED, by=manager)

    assert consolidation.consolidate().merged == 1

    kept = Theme.objects.active().exclude(pk=apart.pk).get()
    assert list(ThemeSeparation.objects.values_list("first", "second")) == [
        tuple(sorted((apart.pk, kept.pk)))
    ]
    assert consolidation.consolidate().proposed == 0


def test_old_themes_are_not_compared_and_reading_costs_four_queries(make_theme, django_assert_num_queries):
    make_theme(BILLING[:2], days=40)
    make_theme(BILLING[2:4])
    make_theme(COURIER, language="pl")
    # Reading the candidates costs the same however many themes there are: four queries.
    with django_assert_num_queries(4):
        outcome = consolidation.consolidate()
    assert (outcome.merged, outcome.proposed) == (0, 0)


# --- two scans at once ------------------------------------------------------------------------


def consolidate_together(count: int) -> list:
    barrier = threading.Barrier(count)
    outcomes, errors = [], []

    def scan():
        try:
            barrier.wait(timeout=10)
            outcomes.append(consolidation.consolidate())
        except Exception as error:  # reported in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory and row locks need PostgreSQL")
def test_two_scans_at_once_merge_each_pair_once(make_theme, mailbox):
    # One customer each: merged, neither crosses the escalation rule.
    larger = make_theme(BILLING[:3], customers=["anna"] * 3)
    smaller = make_theme(BILLING[3:5], customers=["anna"] * 2)
    couriers = make_theme(COURIER, customers=["piotr"] * 3, language="pl")
    make_theme(COURIER[:2], customers=["piotr"] * 2, language="pl")

    outcomes = consolidate_together(3)

    assert sum(outcome.merged for outcome in outcomes) == 2
    assert Theme.objects.get(pk=larger.pk).size == 5
    assert Theme.objects.get(pk=couriers.pk).size == 5
    assert Theme.objects.get(pk=smaller.pk).merged_into_id == larger.pk
    assert ThemeMembership.objects.filter(theme=larger).count() == 5
    assert ThemeEvent.objects.filter(kind=ThemeEvent.Kind.ABSORBED).count() == 2
    assert not ThemeMergeProposal.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory and row locks need PostgreSQL")
def test_two_scans_at_once_raise_the_merged_problem_once(make_theme, mailbox):
    larger = make_theme(BILLING[:3])
    make_theme(BILLING[3:5])

    outcomes = consolidate_together(3)

    assert sum(outcome.merged for outcome in outcomes) == 1
    assert RecurringComplaint.objects.get().theme_id == larger.pk
    assert len(mailbox) == 2
    # The scans that came second found the pair merged: nothing to propose.
    assert not ThemeMergeProposal.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory and row locks need PostgreSQL")
def test_two_scans_at_once_propose_once(make_theme, mailbox):
    escalate(make_theme(BILLING[:2]))
    make_theme(BILLING[2:5])

    outcomes = consolidate_together(3)

    assert sum(outcome.proposed for outcome in outcomes) == 1
    assert ThemeMergeProposal.objects.count() == 1
    assert ThemeEvent.objects.count() == 2


def test_erasure_retitles_a_merged_theme_named_after_the_persons_complaint(make_theme):
    from feedback import personal_data

    make_theme(BILLING[:3])
    merged = make_theme(["Kovács Jánosné számlája hibás, kétszer terhelték a kártyámat", *BILLING[3:5]])
    consolidation.consolidate()
    merged.refresh_from_db()
    assert merged.merged_into is not None
    ticket = Ticket.objects.get(subject__startswith="Kovács Jánosné")

    personal_data.erase_request(ticket)

    merged.refresh_from_db()
    assert "Kovács" not in merged.title


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory and row locks need PostgreSQL")
def test_two_managers_accepting_at_once_merge_once(make_theme, manager, other_manager):
    escalate(make_theme(BILLING[:2]))
    make_theme(BILLING[2:5])
    consolidation.consolidate()
    proposal_id = ThemeMergeProposal.objects.get().pk
    barrier = threading.Barrier(2)
    moved, refused = [], []

    def accept(user):
        try:
            barrier.wait(timeout=10)
            moved.append(consolidation.accept(ThemeMergeProposal.objects.get(pk=proposal_id), by=user))
        except InvalidTransition as error:
            refused.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in (manager, other_manager)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert moved == [3]
    assert len(refused) == 1
    assert refused[0].startswith("Already decided by")
    assert ThemeEvent.objects.filter(kind=ThemeEvent.Kind.ABSORBED).count() == 1
    assert Theme.objects.active().get().size == 5


def test_a_backlog_is_worked_off_over_several_scans(make_theme, monkeypatch):
    monkeypatch.setattr(consolidation, "MAX_CHANGES", 1)
    make_theme(BILLING[:3], customers=["anna"] * 3)
    make_theme(BILLING[3:5], customers=["anna"] * 2)
    make_theme(COURIER, customers=["piotr"] * 3, language="pl")
    make_theme(COURIER[:2], customers=["piotr"] * 2, language="pl")

    assert consolidation.consolidate().merged == 1
    assert consolidation.consolidate().merged == 1
    assert consolidation.consolidate().merged == 0
    assert Theme.objects.active().count() == 2


def test_the_escalation_that_joined_another_says_so_on_its_page(client, make_theme, manager):
    first = make_theme(BILLING[:3])
    second = make_theme(BILLING[2:5], days=1)
    escalate(first)
    escalate(second)
    consolidation.consolidate()
    consolidation.accept(ThemeMergeProposal.objects.get(), by=manager)
    client.force_login(manager)

    page = client.get(second.get_absolute_url()).content.decode()

    assert 'data-testid="escalation-merged"' in page
    assert 'data-testid="merged-into"' in page
    assert "Close escalation" not in page
    assert "Merged into another escalation" in client.get("/manage/escalations/?status=").content.decode()
