"""Which request or background task a log line belongs to, and the log's line formats.

Every request gets an id (RequestIdMiddleware): the one the proxy in front of the site sent in
X-Request-ID when it is well-formed, so the proxy's access log and ours name it alike, else a
new one. It goes back in the response's X-Request-ID header, and onto every line logged while
the request is served (LogContextFilter). A task run by the worker puts its task id on its lines
the same way. The ids live in context variables: under ASGI each request is its own task with
its own context, and sync code run for it in a thread sees that context too.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id: ContextVar[str | None] = ContextVar("task_id", default=None)

HEADER = "X-Request-ID"
# Letters, digits and - _ . only: an id is written into every log line, so one carrying a line
# break or a quote would forge lines; nginx's $request_id (32 hex digits) and UUIDs fit.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def id_for(request) -> str:
    sent = request.headers.get(HEADER, "")
    return sent if WELL_FORMED.fullmatch(sent) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every line logged while the request is served carries its id.
    Django logs a refused or failed request (django.request) after the middleware has returned;
    that line names the request itself, and LogContextFilter reads the id from it."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.async_mode:
            return self.__acall__(request)
        request.request_id = id_for(request)
        token = request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = request.request_id
        return response

    async def __acall__(self, request):
        request.request_id = id_for(request)
        token = request_id.set(request.request_id)
        try:
            response = await self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = request.request_id
        return response


def note_task_id(sender, task, **kwargs):
    """django-q2 tells which task a worker is about to run, and when it has run it, only by its
    pre_execute and post_execute_in_worker signals: the worker's lines in between name it."""
    task_id.set(task.get("id"))


def forget_task_id(sender, task, **kwargs):
    task_id.set(None)


class LogContextFilter(logging.Filter):
    """On the log handlers (not on a logger), so every line of every logger gets the ids."""

    def filter(self, record: logging.LogRecord) -> bool:
        named = getattr(record, "request", None)  # django.request's lines name their request
        record.request_id = getattr(named, "request_id", None) or request_id.get()
        record.task_id = task_id.get()
        if record.request_id:
            record.context = f" [request {record.request_id}]"
        elif record.task_id:
            record.context = f" [task {record.task_id}]"
        else:
            record.context = ""
        return True


class OneLineFormatter(logging.Formatter):
    """The plain format, with a traceback's or a message's line breaks written as \\n, so one
    event is one line for journald, grep and log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the request's or task's id,
    the response status of a request's line, and the traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "task_id", "status_code"):
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        # default=str: a message argument that JSON cannot hold is written as its text.
        return json.dumps(line, ensure_ascii=False, default=str)
