"""What an agent sees of a customer beside a ticket and on the customer's page: contact details,
how they reach us, what they opted out of (what other apps add, through `hooks.CUSTOMER_FACTS`),
and their requests, open ones first. A fixed number of queries whatever the number of requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, Value, When

from helpdesk import hooks
from helpdesk.models import Customer, Ticket
from helpdesk.pagination import CountedWithThePage

# Besides every open request, the panel lists this many of the customer's latest closed ones,
# and at most PANEL_MOST in all (a customer with hundreds open has the link to their page).
LATEST_CLOSED = 10
PANEL_MOST = 25
PER_PAGE = 50
OPEN = Q(status__in=[Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING])


@dataclass
class CustomerProfile:
    customer: Customer
    requests: list[Ticket]
    preferred_channel: str  # the channel of their latest request, as a label; "" when none
    facts: list[hooks.CustomerFact] = field(default_factory=list)
    more: bool = False  # the panel does not show them all
    page: object = None  # the customer's page: its page of requests

    @property
    def open_requests(self) -> list[Ticket]:
        return [ticket for ticket in self.requests if ticket.is_open]

    @property
    def closed_requests(self) -> list[Ticket]:
        return [ticket for ticket in self.requests if not ticket.is_open]


def customer_requests(customer: Customer, *, besides: Ticket | None = None, latest_closed: int | None):
    """The customer's requests, open ones first, then the latest; `latest_closed` limits the
    closed ones (None: all). One query."""
    tickets = customer.tickets.filter(merged_into__isnull=True)
    if besides is not None:
        tickets = tickets.exclude(pk=besides.pk)
    if latest_closed is not None:
        latest = tickets.exclude(OPEN).order_by("-created_at", "-pk").values("pk")[:latest_closed]
        tickets = tickets.filter(OPEN | Q(pk__in=latest))
    return (
        tickets.select_related("queue")
        .only("reference", "subject", "status", "channel", "created_at", "queue__name", "customer_id")
        .order_by(
            Case(When(OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-created_at",
            "-pk",
        )
    )


def customer_profile(customer: Customer, *, besides: Ticket | None = None) -> CustomerProfile:
    """The panel beside `besides`: its customer's other requests, open first, then the latest."""
    requests = list(
        customer_requests(customer, besides=besides, latest_closed=LATEST_CLOSED)[: PANEL_MOST + 1]
    )
    return _profile(customer, requests[:PANEL_MOST], also=besides, more=len(requests) > PANEL_MOST)


def customer_page_profile(customer: Customer, *, page_number) -> CustomerProfile:
    """The customer's page: a page of all their requests, open first; rows and count in one query."""
    page = CountedWithThePage(customer_requests(customer, latest_closed=None), PER_PAGE).get_page(page_number)
    profile = _profile(customer, list(page.object_list))
    profile.page = page
    return profile


def _profile(customer, requests, *, also=None, more=False) -> CustomerProfile:
    # The usual channel: the one of their latest request listed (or the one beside the panel).
    latest = max([*requests, *([also] if also else [])], key=lambda t: t.created_at, default=None)
    return CustomerProfile(
        customer=customer,
        requests=requests,
        preferred_channel=latest.get_channel_display() if latest else "",
        facts=hooks.CUSTOMER_FACTS.collect(customer),
        more=more,
    )


@dataclass
class PersonalDataPanel:
    """What a manager sees of a customer's personal data: the erasure waiting for a second
    manager, if any, and whether this manager may confirm it (not their own)."""

    pending_erasure: object
    may_confirm: bool


def personal_data_panel(customer: Customer, manager) -> PersonalDataPanel:
    from helpdesk.models import ErasureRequest

    pending = (
        ErasureRequest.objects.pending().filter(customer=customer).select_related("requested_by").first()
    )
    return PersonalDataPanel(pending, pending is not None and pending.requested_by_id != manager.pk)
