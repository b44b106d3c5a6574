"""Abuse guards for the public channel, applied before the request body is read.

A request that is too large is refused from its Content-Length; a client over its hourly allowance is
refused from the rate-limit table (which counts accepted submissions and every lookup); a body without a length (chunked) is cut off by an upload handler once
it passes the cap. Only then is the body parsed (and, for pages, the CSRF token checked).
"""

from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from steelwatch.core.clients import client_address

from .services import RateLimited, public_rate_check, public_rate_record

MAX_REQUEST_BYTES = getattr(settings, "TIP_MAX_REQUEST_BYTES", 64 * 1024 * 1024)


class TooLarge(Exception):
    pass


class QuotaUploadHandler(FileUploadHandler):
    """Stops reading files once the request passes the cap, and marks the request so the view refuses it."""

    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.total > MAX_REQUEST_BYTES:
            self.request.tip_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def client_ip(request) -> str:
    return client_address(request)


def count_accepted(request, kind: str) -> None:
    """Count a request that the allowance spends on: an accepted tip (refused ones do not count)."""
    public_rate_record(ip=client_ip(request), kind=kind)


def guard_public_request(request, kind: str) -> None:
    """Raise TooLarge or RateLimited before anything is parsed; install the upload quota."""
    if request.method != "POST":
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_BYTES:
        raise TooLarge(_("提交内容过大：总大小不能超过 {value} MB").format(value=MAX_REQUEST_BYTES // 2**20))
    # A lookup spends the allowance whatever it finds (it guesses keys); a submission only once accepted.
    public_rate_check(ip=client_ip(request), kind=kind, spend=kind != "submit")
    request.upload_handlers.insert(0, QuotaUploadHandler(request))


def check_upload_quota(request) -> None:
    """After parsing: refuse a request whose files were cut off by the quota handler."""
    if getattr(request, "tip_upload_too_large", False):
        raise TooLarge(_("提交内容过大：总大小不能超过 {value} MB").format(value=MAX_REQUEST_BYTES // 2**20))


def guarded(kind: str, on_refusal):
    """Decorate a view: guards first; `on_refusal(request, message, status)` renders a refusal."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                guard_public_request(request, kind)
            except TooLarge as exc:
                return on_refusal(request, str(exc), 413)
            except RateLimited as exc:
                return on_refusal(request, str(exc), 429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


__all__ = [
    "RateLimited",
    "TooLarge",
    "check_upload_quota",
    "client_ip",
    "count_accepted",
    "guard_public_request",
    "guarded",
]
