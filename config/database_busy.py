"""A request that found every pooled database connection of its process busy for longer than
DATABASE_POOL_TIMEOUT (a burst of load) is asked to come back in a moment: 503 with Retry-After,
a short page in the visitor's language (the API answers in JSON: helpdesk.api.errors). Not a
server error: nothing is broken, and a browser or a client that retries a moment later is served."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.deprecation import MiddlewareMixin
from django.utils.log import log_response
from psycopg_pool import PoolTimeout

# Long enough for a burst to pass, short enough that a person waiting notices no outage.
RETRY_AFTER_SECONDS = 5


def found_pool_busy(error: BaseException | None) -> bool:
    """Django wraps the pool's time-out in its own OperationalError: look along the causes."""
    while error is not None:
        if isinstance(error, PoolTimeout):
            return True
        error = error.__cause__
    return False


def logged_as_busy(request, response):
    """A warning, not an error: Django logs a 5xx answer as an error, and errors mail ADMINS, one
    mail per request of a burst."""
    log_response(
        "Database busy, asked to come back: %s",
        request.path,
        response=response,
        request=request,
        level="warning",
    )
    return response


def come_back_later(request):
    # Drawn without the request's context: its processors read the signed-in user, whose session
    # is a row, and no connection is to be had (a signed-in agent's 503 became a 500). The page
    # needs nothing but the language the locale middleware chose.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return logged_as_busy(request, response)


class DatabaseBusyMiddleware(MiddlewareMixin):
    """A view's first query is where a request takes its connection from the pool: its
    time-out comes out of the view."""

    def process_exception(self, request, exception):
        return come_back_later(request) if found_pool_busy(exception) else None
