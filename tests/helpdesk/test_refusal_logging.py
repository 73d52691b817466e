"""A refused request is one warning line in the log: what was refused, not how Django got there."""

import logging

import pytest


@pytest.fixture(autouse=True)
def production_errors(settings):
    settings.DEBUG = False


def test_a_refused_request_logs_one_line_without_a_traceback(client, outsider, caplog):
    client.force_login(outsider)

    with caplog.at_level(logging.INFO):
        response = client.get("/agent/")

    assert response.status_code == 403
    lines = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [(record.name, record.levelname, record.getMessage()) for record in lines] == [
        ("django.request", "WARNING", "Forbidden (Permission denied): /agent/")
    ]
    assert lines[0].exc_info is None
    assert "Traceback" not in caplog.text


def handlers_that_write(record: logging.LogRecord) -> list[logging.Handler]:
    """The configured handlers a record from its logger reaches and passes, as logging routes it
    (pytest's capturing handlers left out)."""
    reached, logger = [], logging.getLogger(record.name)
    while logger:
        reached += [
            handler
            for handler in logger.handlers
            if "pytest" not in type(handler).__module__
            and record.levelno >= handler.level
            and handler.filter(record)
        ]
        logger = logger.parent if logger.propagate else None
    return reached


@pytest.mark.parametrize("debug", [True, False])
def test_a_refusal_is_written_to_the_log_once_in_development_and_production(settings, debug):
    settings.DEBUG = debug
    record = logging.getLogger("django.request").makeRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden (Permission denied): %s",
        ("/agent/",),
        None,
    )

    assert len(handlers_that_write(record)) == 1
