"""The log: one line per event, JSON when LOG_FORMAT=json, each line carrying the id of the
request (sent back in X-Request-ID) or of the background task it belongs to."""

import io
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Queue, Value

import pytest
from asgiref.sync import async_to_sync
from django.http import HttpResponse
from django.test import AsyncClient, Client
from django.urls import path
from django_q.worker import worker

from config.log_context import JsonFormatter
from tests.helpdesk.test_settings import PRODUCTION_ENV, run_django


def console_handler() -> logging.Handler:
    return next(handler for handler in logging.getLogger().handlers if handler.name == "console")


@pytest.fixture
def console():
    """What the site's console handler writes, as it writes it."""
    written = io.StringIO()
    previous = console_handler().setStream(written)
    yield written
    console_handler().setStream(previous)


def lines(written: io.StringIO) -> list[str]:
    return written.getvalue().splitlines()


def test_the_lines_logged_for_a_request_carry_the_id_its_response_names(client, console, db):
    written = console

    response = client.get("/no-such-page/")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [logged] = [line for line in lines(written) if "Not Found: /no-such-page/" in line]
    assert f"WARNING django.request [request {request_id}]: Not Found" in logged


def a_page_that_logs(request):
    logging.getLogger("helpdesk").info("Working on it")
    return HttpResponse("done")


urlpatterns = [path("working/", a_page_that_logs)]


@pytest.mark.parametrize("server", ["wsgi", "asgi"])
def test_a_line_logged_by_a_page_carries_its_requests_id(console, settings, server):
    written = console
    settings.ROOT_URLCONF = __name__

    if server == "asgi":  # a sync page under ASGI runs in a thread of its own
        # In a thread of the test's own: the browser tests' session keeps an event loop running
        # in the main thread of the process that ran them.
        with ThreadPoolExecutor(max_workers=1) as thread:
            response = thread.submit(async_to_sync(AsyncClient().get), "/working/").result()
    else:
        response = Client().get("/working/")

    [logged] = [line for line in lines(written) if "Working on it" in line]
    assert f"INFO helpdesk [request {response['X-Request-ID']}]: Working on it" in logged


def test_two_requests_get_two_ids(client, db):
    first = client.get("/no-such-page/")["X-Request-ID"]
    second = client.get("/no-such-page/")["X-Request-ID"]

    assert first != second


def test_the_proxys_request_id_is_kept_when_well_formed(client, console, db):
    written = console

    response = client.get("/no-such-page/", headers={"x-request-id": "5f0c6a2e9b1d4c3fa7e8d6b5c4a39281"})

    assert response["X-Request-ID"] == "5f0c6a2e9b1d4c3fa7e8d6b5c4a39281"
    assert "[request 5f0c6a2e9b1d4c3fa7e8d6b5c4a39281]" in written.getvalue()


@pytest.mark.parametrize(
    "forged", ["abc\n2026-01-01 ERROR forged line", "short", "x" * 65, "a b c d e f g h"]
)
def test_a_malformed_request_id_is_replaced_so_it_cannot_forge_log_lines(client, db, forged):
    response = client.get("/no-such-page/", headers={"x-request-id": forged})

    assert response["X-Request-ID"] != forged
    assert len(response["X-Request-ID"]) == 32


def test_json_lines_parse_and_keep_a_traceback_on_one_line(client, console, db):
    written = console
    handler = console_handler()
    plain = handler.formatter
    handler.setFormatter(JsonFormatter())
    try:
        response = client.get("/no-such-page/")
        try:
            raise ValueError("first line\nsecond line")
        except ValueError:
            logging.getLogger("helpdesk").exception("It failed\nwhile testing")
    finally:
        handler.setFormatter(plain)

    records = [json.loads(line) for line in lines(written)]
    not_found = next(record for record in records if record["message"] == "Not Found: /no-such-page/")
    assert not_found["request_id"] == response["X-Request-ID"]
    assert not_found["level"] == "WARNING"
    assert not_found["status_code"] == 404
    failure = records[-1]
    assert failure["message"] == "It failed\nwhile testing"
    assert "ValueError: first line\nsecond line" in failure["exception"]
    assert failure["time"].endswith("+00:00")


def test_plain_lines_keep_a_traceback_on_one_line(console):
    written = console

    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        logging.getLogger("helpdesk").exception("It failed")

    [line] = lines(written)
    assert "ERROR helpdesk: It failed\\nTraceback (most recent call last):\\n" in line
    assert line.endswith("ValueError: first line\\nsecond line")


def test_log_format_json_makes_the_console_write_json():
    log_one = (
        "import django, logging; django.setup();"
        "logging.getLogger('helpdesk').warning('Mailbox unreachable:\\n%s', 'timeout')"
    )

    result = run_django("-c", log_one, env={**PRODUCTION_ENV, "LOG_FORMAT": "json"})

    assert result.returncode == 0, result.stderr
    [line] = result.stderr.splitlines()
    record = json.loads(line)
    assert record["message"] == "Mailbox unreachable:\ntimeout"
    assert record["level"] == "WARNING"
    assert record["logger"] == "helpdesk"


def test_an_unknown_log_format_stops_the_start():
    result = run_django("-c", "import django; django.setup()", env={**PRODUCTION_ENV, "LOG_FORMAT": "xml"})

    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr


def a_task_that_logs():
    logging.getLogger("helpdesk.tasks").info("Did the work")


def test_a_worker_task_logs_with_its_task_id(console, db):
    written = console
    tasks, results = Queue(), Queue()
    # As the cluster hands it to a worker process; sync keeps the test's database connection.
    tasks.put(
        {
            "id": "0f3c2b1a9d8e4f7a6b5c4d3e2f1a0b9c",
            "name": "seven-alpha-kilo-echo",
            "func": f"{__name__}.a_task_that_logs",
            "args": (),
            "kwargs": {},
            "sync": True,
        }
    )
    tasks.put("STOP")

    worker(tasks, results, Value("f", -1))

    assert results.get(timeout=5)["success"] is True
    [line] = [line for line in lines(written) if "Did the work" in line]
    assert "INFO helpdesk.tasks [task 0f3c2b1a9d8e4f7a6b5c4d3e2f1a0b9c]: Did the work" in line
