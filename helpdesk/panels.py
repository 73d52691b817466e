"""Panels other apps add to one ticket's pages without the helpdesk knowing them.

The agent's workspace and the customer's status page each have a slot; an app that owns data
about a ticket (crisis: compensation for an affected customer) registers a provider for a slot
in its AppConfig.ready, and the page renders what the providers return. Like helpdesk.notices,
the helpdesk never imports those apps.

A provider takes the request and the ticket and returns a list of `Notice`s (a template and its
context). It runs on every render of the page, so it must read a fixed number of rows.
"""

from collections.abc import Callable

from django.http import HttpRequest

from helpdesk.notices import Notice

WORKSPACE = "workspace"  # the agent's ticket page, right-hand column
STATUS = "status"  # the customer's status page, under the live part

PanelProvider = Callable[[HttpRequest, object], list[Notice]]

_providers: dict[str, list[PanelProvider]] = {WORKSPACE: [], STATUS: []}


def register(slot: str, provider: PanelProvider) -> PanelProvider:
    """Register a provider for a slot; registering twice has no effect."""
    if provider not in _providers[slot]:
        _providers[slot].append(provider)
    return provider


def panels_for(slot: str, request: HttpRequest, ticket) -> list[Notice]:
    return [panel for provider in _providers[slot] for panel in provider(request, ticket)]
