"""Every error the API gives is JSON: `{"detail": "...", "errors": {"field": ["..."]}}`.

Schema errors and business errors (an unknown category, neither email nor phone) have the
same shape, so a client needs one error path.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from config.database_busy import RETRY_AFTER_SECONDS, found_pool_busy, logged_as_busy
from helpdesk.api.auth import IntegrationInactive
from helpdesk.api.channel import Invalid, RateLimited
from helpdesk.api.input import UNSTORABLE_TEXT

NON_FIELD = "__all__"


def error_response(api: NinjaAPI, request, status: int, detail: str, errors=None, headers=None):
    body = {"detail": str(detail)}
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def invalid_detail() -> str:
    return _("Some fields are not valid; see errors.")


def unstorable_message() -> str:
    return _(
        "This text contains a character that cannot be stored: "
        "a NUL (U+0000) or an unpaired surrogate (U+D800 to U+DFFF)."
    )


def schema_errors(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # ("body", "payload", "email") -> "email"; the body as a whole -> "__all__"
        location = [part for part in error.get("loc", ()) if part not in ("body", "payload")]
        field = str(location[0]) if location else NON_FIELD
        if error.get("type") == UNSTORABLE_TEXT:
            message = unstorable_message()
        elif error.get("type") == "string_type":
            message = _("Send text here (a JSON string).")
        elif field == NON_FIELD:
            message = _("Send a JSON object with the ticket's fields.")
        else:
            message = error.get("msg", "")
        errors.setdefault(field, []).append(message)
    return errors


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def schema_invalid(request, exc):
        return error_response(api, request, 400, invalid_detail(), schema_errors(exc))

    @api.exception_handler(Invalid)
    def business_invalid(request, exc):
        return error_response(api, request, 400, invalid_detail(), exc.errors)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400:  # the body is not JSON at all
            message = _("Send the ticket as a JSON object (Content-Type: application/json).")
            return error_response(api, request, 400, message, {NON_FIELD: [message]})
        return error_response(api, request, exc.status_code, exc.message)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        message = _("The request is larger than %(limit)s; send a shorter description.") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
        return error_response(api, request, 413, message, {NON_FIELD: [message]})

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return error_response(
            api,
            request,
            401,
            _("Send a valid API token in the Authorization header: “Bearer <token>”."),
            headers={"WWW-Authenticate": "Bearer"},
        )

    @api.exception_handler(IntegrationInactive)
    def inactive(request, exc):
        return error_response(
            api, request, 403, _("This integration has been deactivated; ask a manager to reactivate it.")
        )

    @api.exception_handler(RateLimited)
    def rate_limited(request, exc):
        return error_response(
            api,
            request,
            429,
            _("Too many new tickets from this integration in the last minute; try again shortly."),
            headers={"Retry-After": str(exc.retry_after)},
        )

    @api.exception_handler(OperationalError)
    def database_busy(request, exc):
        if not found_pool_busy(exc):
            raise exc
        busy = error_response(
            api,
            request,
            503,
            _("The service is busy; try again in a few seconds."),
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
        return logged_as_busy(request, busy)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(api, request, 404, _("There is no such ticket for this integration."))
