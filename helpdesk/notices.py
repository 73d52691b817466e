"""Notices that other apps put on our pages without the helpdesk knowing them.

A crisis banner on the home page, a briefing on every agent page: the app that owns the data
registers a provider here (in its AppConfig.ready) and the base template shows whatever the
providers return. The helpdesk never imports those apps; they import this module.

A provider is a callable taking the request and returning a list of `Notice`s. It runs once per
page, only when the page renders the notices, so it must be cheap (cache what it reads).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass(frozen=True)
class Notice:
    # The template that renders the notice, with `notice` in its context.
    template: str
    context: dict = field(default_factory=dict)


Provider = Callable[[HttpRequest], list[Notice]]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register a provider; usable as a decorator. Registering twice has no effect."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def notices_for(request: HttpRequest) -> list[Notice]:
    return [notice for provider in _providers for notice in provider(request)]
