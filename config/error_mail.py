"""Error mail to ADMINS without the personal data a request carries.

Django's AdminEmailHandler puts the request's path in the subject and its form fields, query
string, headers and client address in the body. Here a path holds a customer's secret link
(/status/<token>/, /chat/<token>/) and a form holds names, email addresses and messages: mail
is read on phones and kept in mailboxes for years, beyond the retention periods. So the mail
names the page by its URL pattern and keeps the field names without their values; the traceback,
which is what fixes the fault, is whole.
"""

import copy
import logging
from http import HTTPStatus

from django.utils.log import AdminEmailHandler

HIDDEN = "[hidden]"
# Request headers that say how the request was made without saying who made it.
SHOWN_META = {
    "CONTENT_LENGTH",
    "CONTENT_TYPE",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_HOST",
    "HTTP_HX_REQUEST",
    "REQUEST_METHOD",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "wsgi.url_scheme",
}


def page_pattern(request) -> str:
    """The URL pattern the request matched (status/<str:token>/), never the path that fills it."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.route:
        return "(an address no page matched)"
    return "/" + match.route.lstrip("^")


def what_happened(record: logging.LogRecord) -> str:
    try:
        return HTTPStatus(getattr(record, "status_code", None)).phrase
    except ValueError:
        return record.levelname


class AdminEmailWithoutPersonalData(AdminEmailHandler):
    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info is None and hasattr(record, "status_code"):
            # A 5xx the site answered on purpose (/healthz's 503 while the worker is down,
            # asked every few seconds by a load balancer) is logged, not mailed: only a fault is.
            return None
        request = getattr(record, "request", None)
        if request is None:
            return super().emit(record)
        shown = copy.copy(request)
        shown.path = shown.path_info = page_pattern(request)
        shown.META = {key: value for key, value in request.META.items() if key in SHOWN_META}
        shown.GET = dict.fromkeys(request.GET, HIDDEN)
        shown.POST = dict.fromkeys(request.POST, HIDDEN)
        shown._files = dict.fromkeys(request.FILES, HIDDEN)
        record = copy.copy(record)
        record.request = shown
        record.msg = "%s: %s"
        record.args = (what_happened(record), shown.path)
        return super().emit(record)
