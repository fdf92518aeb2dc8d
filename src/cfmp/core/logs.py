"""Logging helpers named in settings.LOGGING."""

from __future__ import annotations

import logging


class NoTracebackBelow500(logging.Filter):
    """A refused request (403, 404: someone outside their scope, a mistyped address) is one
    line in the log, not a traceback; errors of CFMP's own (500) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
