"""Log filters: a refused request is one line in the log, not a traceback."""

import logging


class QuietRefusals(logging.Filter):
    """Drop the traceback Django attaches to a 403 or 404 (an outsider or a forbidden action is routine)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = record.exc_text = None
        return True
