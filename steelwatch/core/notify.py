"""In-app notifications, sent only after the surrounding transaction commits."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from .models import Notification

logger = logging.getLogger(__name__)


def after_commit(callback, what: str) -> None:
    """Run `callback` once the surrounding transaction commits; if it fails, the committed work stands and
    the request that committed still answers (a reporter whose tip is stored gets the receipt and key).
    The failure is logged by `what` and the exception's type only: its message and traceback locals may
    carry names, phone numbers or SQL parameters."""

    def run():
        try:
            callback()
        except Exception as exc:  # noqa: BLE001 — nothing after a commit may undo or fail the request
            logger.error("提交后的操作失败：%s（%s）", what, type(exc).__name__)

    transaction.on_commit(run)


@contextmanager
def stored_language():
    """Write texts kept in the database (notifications, case events, stored reasons) and exported workbooks
    in the platform's own language, Chinese, whatever language the person who triggered them reads the pages
    in: choice labels and other translated strings formatted into them come out Chinese too. Usable as a
    decorator."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def notify(users, text: str, url: str = "") -> None:
    """Store `text` (written under `stored_language()` by the caller) for `users` once the transaction commits."""
    recipients = [u for u in users if u is not None and u.is_active]
    with stored_language():
        text = str(text)

    def deliver():
        Notification.objects.bulk_create(
            Notification(recipient=u, text=text[:300], url=url) for u in recipients
        )
        if getattr(settings, "STEELWATCH_SEND_EMAIL", False):
            emails = [u.email for u in recipients if u.email]
            if emails:
                send_mail("严防“地条钢”监管平台通知", f"{text}\n{url}", None, emails, fail_silently=True)

    after_commit(deliver, f"通知 {len(recipients)} 位用户")


def users_with(capability: str, division_code: str, *, department: str = ""):
    """Active users who hold `capability` and whose jurisdiction covers `division_code`."""
    from steelwatch.accounts.models import User
    from steelwatch.accounts.roles import can

    candidates = User.objects.filter(is_active=True).select_related("division")
    if department:
        candidates = candidates.filter(department=department)
    return [
        u
        for u in candidates
        if u.division_id and division_code.startswith(u.division.prefix) and can(u, capability)
    ]
