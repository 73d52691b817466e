"""The one way other apps plug into the helpdesk: named hooks, declared here, filled in ready().

The helpdesk never imports crisis or feedback. Where a page, an email or an event of the helpdesk
may carry another app's part, the helpdesk declares a `Hook` below, and the app adds its entry
from its AppConfig.ready:

    from helpdesk import hooks
    hooks.STAFF_PAGE_NOTICES.add(notices.incident_line)

The helpdesk asks the hook for its entries where the slot is drawn or the event happens; it knows
the hooks' names and the shape of their entries, never who fills them. An app that builds on
another declares its own hooks the same way (crisis.hooks, which feedback fills).

What may go into each hook, and when it runs:

| hook | entry | where |
|---|---|---|
| NAVIGATION | `NavLink` | the menu of staff pages (an agent's items, a manager's) |
| CUSTOMER_PAGE_NOTICES | provider(request) -> [Notice] | top of every customer page |
| STAFF_PAGE_NOTICES | provider(request) -> [Notice] | top of every staff page (see `staff_page`) |
| LOBBY_NOTICES | provider(request) -> [Notice] | a branch's lobby screen (see below) |
| WORKSPACE_NOTICES | provider(request, ticket) -> [Notice] | top of a ticket's workspace |
| WORKSPACE_PANELS | provider(request, ticket) -> [Notice] | the workspace's right-hand column |
| CUSTOMER_FACTS | provider(customer) -> [CustomerFact] | the customer panel and page (opt-outs) |
| CUSTOMER_PREFERENCES | `CustomerPreference` | the customer page's preferences form (see below) |
| STATUS_NOTICES | provider(request, ticket) -> [Notice] | top of the customer's status page |
| STATUS_PANELS | provider(request, ticket) -> [Notice] | the status page, under its live part |
| ACKNOWLEDGEMENT_OVERRIDES | override(ticket) -> (template, context) or None | a new request's reply |
| COMPLAINT_ARRIVED | listener(ticket_id) | after commit, when a ticket becomes a complaint |
| PERSONAL_DATA_EXPORT | provider(customer) -> [PersonalDataSection] | a customer's data export |
| PERSONAL_DATA_ERASURE | eraser(customer) -> {what: count} | erasing a customer, in its transaction |
| REQUEST_PERSONAL_DATA_ERASURE | eraser(ticket) -> {what: count} | anonymising an old request (retention) |

An eraser runs before the helpdesk's own part, while the customer record still holds the address
the app may know the person by (an incident subscription), and inside the erasure's transaction.
A request's eraser likewise runs while the request still has its subject.

The lobby screen is read from across a room and nobody touches it: its notices are large and
high contrast (the `lobby-notice` classes of lobby.css), with nothing to click or fill in, in
the language the screen shows now (`request.LANGUAGE_CODE`).

A customer preference another app keeps (surveys, incident updates) is changed by an agent at the
customer's request on the customer's page: its entry gives the form field (with the current value
as initial, one query), applies a value (returning whether anything changed), and describes a value
for the record of the change, in the reader's language.

Providers run on every render of their page, so each reads a fixed number of rows (cache what it
can); listeners run after the transaction commits and only enqueue work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest


class Hook:
    """A named point where installed apps add entries; adding the same entry twice has no effect
    (an AppConfig's ready() may run more than once in tests)."""

    def __init__(self, name: str):
        self.name = name
        self._entries: list[Any] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._entries)} entries>"

    def add(self, entry):
        """Add an entry; usable as a decorator."""
        if entry not in self._entries:
            self._entries.append(entry)
        return entry

    def remove(self, entry) -> None:
        self._entries.remove(entry)

    def entries(self) -> list:
        return list(self._entries)

    def collect(self, *arguments) -> list:
        """Every provider's answer, in the order they were added, as one list."""
        return [item for provider in self._entries for item in provider(*arguments)]

    def call_on_commit(self, *arguments) -> None:
        """Each listener, after the current transaction commits; one failing spares the others."""
        for listener in self._entries:
            transaction.on_commit(lambda listener=listener: listener(*arguments), robust=True)


@dataclass(frozen=True)
class Notice:
    """Something another app shows on a page: the template that draws it, with `notice` in its
    context holding `context`."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CustomerFact:
    """One line about a customer that another app knows ("Surveys: opted out on 2 March"), both
    parts already translated; `tone` "warning" marks what an agent should mind (an opt-out)."""

    label: str
    value: str
    tone: str = ""


@dataclass(frozen=True)
class CustomerPreference:
    """A choice the customer makes that another app keeps. `name` is the form field's name (unique
    among preferences, kept in the record of changes); `field(customer)` a new form field, its
    initial the current value; `apply(customer, value)` makes the change, True when it changed
    anything; `describe(value)` the value as the record reads it ("opted out of surveys")."""

    name: str
    field: Callable[[Any], Any]
    apply: Callable[[Any, Any], bool]
    describe: Callable[[Any], str]


@dataclass(frozen=True)
class NavLink:
    """An item of the staff menu: `section` is "agent" (the bar, for every agent) or "manager" (the
    management menu); `order` places it among the others (the helpdesk's own go in tens)."""

    section: str
    label: str
    url_name: str
    order: int


@dataclass(frozen=True)
class PersonalDataSection:
    """An app's part of a customer's data export: `data` (JSON-able) goes into the document under
    `key`; `files` maps a name inside the archive to a file's name in the default storage."""

    key: str
    data: Any
    files: dict[str, str] = field(default_factory=dict)


NAVIGATION = Hook("navigation")
CUSTOMER_PAGE_NOTICES = Hook("customer page notices")
STAFF_PAGE_NOTICES = Hook("staff page notices")
LOBBY_NOTICES = Hook("lobby notices")
WORKSPACE_NOTICES = Hook("workspace notices")
WORKSPACE_PANELS = Hook("workspace panels")
CUSTOMER_FACTS = Hook("customer facts")
CUSTOMER_PREFERENCES = Hook("customer preferences")
STATUS_NOTICES = Hook("status page notices")
STATUS_PANELS = Hook("status page panels")
ACKNOWLEDGEMENT_OVERRIDES = Hook("acknowledgement overrides")
COMPLAINT_ARRIVED = Hook("complaint arrived")
PERSONAL_DATA_EXPORT = Hook("personal data export")
PERSONAL_DATA_ERASURE = Hook("personal data erasure")
REQUEST_PERSONAL_DATA_ERASURE = Hook("request personal data erasure")

Provider = Callable[[HttpRequest], list[Notice]]
TicketProvider = Callable[[HttpRequest, Any], list[Notice]]


def staff_page(request: HttpRequest) -> bool:
    """A page for staff: its view requires a staff role (helpdesk.roles marks the request)."""
    return getattr(request, "is_staff_page", False)


def page_notices(request: HttpRequest) -> list[Notice]:
    """The notices at the top of this page: the staff slot on a staff page, else the customer's."""
    hook = STAFF_PAGE_NOTICES if staff_page(request) else CUSTOMER_PAGE_NOTICES
    return hook.collect(request)


def navigation(section: str) -> list[NavLink]:
    links = [link for link in NAVIGATION.entries() if link.section == section]
    return sorted(links, key=lambda link: link.order)
