"""A refused request is logged as one line, without a traceback; a server error keeps its traceback."""

import io
import logging
import sys

from django.conf import settings

from steelwatch.core.logging import QuietRefusals


def _formatted(status_code: int) -> str:
    try:
        raise PermissionError("refused")
    except PermissionError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request", logging.WARNING, __file__, 1, "Forbidden: /tips/reveals/", (), sys.exc_info(),
            extra={"status_code": status_code},
        )  # fmt: skip
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(QuietRefusals())
    handler.handle(record)
    return stream.getvalue()


def test_refusals_are_one_line_and_errors_keep_their_traceback():
    assert _formatted(403) == "Forbidden: /tips/reveals/\n"
    assert _formatted(404) == "Forbidden: /tips/reveals/\n"
    assert "Traceback" in _formatted(500)
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["quiet_refusals"]
