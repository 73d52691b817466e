"""Filters of the log configuration (settings.LOGGING)."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused or bad request (403, 400) is the visitor's doing, not a fault of ours: one line
    saying what was refused is what the log needs. Django attaches the exception's traceback to
    it, which buried real errors under pages of noise; it is dropped here."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info, record.exc_text = None, None
        return True
