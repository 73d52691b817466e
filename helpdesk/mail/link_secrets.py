"""Links that open something by themselves (a status page, a chat, a survey, a password form):
where they are, so that a stored copy of a sent message can keep its text without them.

Only hashes of these tokens are stored (see README, Security); the outbox is the one place that
holds the message as written. Once a message is sent, its copy keeps each such link up to the
part of its path before the secret: "https://…/status/<token>/" becomes "https://…/status/",
which is the page that looks a request up by reference and address.

The paths come from the URL patterns (any route with a `token` argument), so another app's
links (a survey, a subscription) are covered without the helpdesk naming them.
"""

from __future__ import annotations

import functools
import re

from django.urls import URLPattern, URLResolver, get_resolver

# What may follow the fixed part of a link's path in a text, a page or a header: up to the next
# space, quote, angle bracket or closing parenthesis.
REST_OF_LINK = r"[^\s\"'<>()]+"


def _secret_routes(resolver=None, prefix: str = ""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _secret_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and "token>" in route:
            yield route


@functools.cache
def _secret_link() -> re.Pattern:
    fixed_parts = sorted({"/" + route.split("<", 1)[0] for route in _secret_routes()}, key=len, reverse=True)
    return re.compile(f"({'|'.join(map(re.escape, fixed_parts))}){REST_OF_LINK}")


def without_secret_links(text: str) -> str:
    return _secret_link().sub(r"\1", text) if text else text
